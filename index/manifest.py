"""A version's manifest: what it holds, which model embedded it, and the checksum of every file."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from index.fsutil import sha256_file
from index.store_errors import CorruptVersionError

MANIFEST = "manifest.json"
FORMAT = 1


@dataclass
class Manifest:
    version: str
    created: str
    model_id: str
    dim: int
    documents: int
    passages: int
    rows: int
    document_list: list[dict[str, Any]] = field(default_factory=list)
    files: dict[str, dict[str, Any]] = field(default_factory=dict)  # relative path -> {sha256, size}
    embedded: int = 0
    reused: int = 0
    format: int = FORMAT
    # companion name -> {"model_id", "dim", "file", "embedded", "reused"}; absent in older versions
    extra: dict[str, dict[str, Any]] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=1)

    @classmethod
    def read(cls, folder: Path) -> Manifest:
        path = folder / MANIFEST
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(**data)
        except FileNotFoundError as exc:
            raise CorruptVersionError(f"version {folder.name}: manifest missing") from exc
        except (OSError, ValueError, TypeError) as exc:
            raise CorruptVersionError(f"version {folder.name}: manifest unreadable ({exc})") from exc


def file_table(folder: Path) -> dict[str, dict[str, Any]]:
    """sha256 and size of every file under `folder` except the manifest itself."""
    out: dict[str, dict[str, Any]] = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = path.relative_to(folder).as_posix()
        if rel == MANIFEST:
            continue
        out[rel] = {"sha256": sha256_file(path), "size": path.stat().st_size}
    return out


def verify_files(folder: Path, manifest: Manifest, names: list[str] | None = None) -> None:
    """Raise CorruptVersionError naming the first file that is missing or differs from the manifest."""
    for rel, want in manifest.files.items():
        if names is not None and rel not in names:
            continue
        path = folder / rel
        if not path.is_file():
            raise CorruptVersionError(f"version {manifest.version}: {rel} is missing")
        if path.stat().st_size != want["size"] or sha256_file(path) != want["sha256"]:
            raise CorruptVersionError(f"version {manifest.version}: {rel} fails its checksum")
