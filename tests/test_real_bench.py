"""`boardqa bench --real` on a two-paper slice of the real corpus: every measurement is there and adds up.

No timing thresholds: the 1.25 × target is reported by the bench, not asserted here."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REAL

from boardqa.cli import cli

SLICE = ["board/dp-2025-4.en.pdf", "board/dp-2025-14-corr1.en.pdf"]


def test_real_bench_measures_parsing_embedding_and_ingest(tmp_path: Path) -> None:
    if not (REAL / "manifest.json").is_file():
        pytest.skip("../shared/corpus/real is not beside the repo")
    real = tmp_path / "real"
    manifest = json.loads((REAL / "manifest.json").read_text(encoding="utf-8"))
    entries = [e for e in manifest["documents"] if e["path"] in SLICE]
    for e in entries:
        (real / e["path"]).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REAL / e["path"], real / e["path"])
    (real / "manifest.json").write_text(json.dumps({"documents": entries}), encoding="utf-8")
    config = tmp_path / "config.toml"
    config.write_text('[index]\npath = "index"\n[ingest]\nlog_file = "ingest.log"\n', encoding="utf-8")
    out = tmp_path / "real.json"
    result = CliRunner().invoke(cli, ["--config", str(config), "bench", "--real", str(real),
                                      "--dir", str(tmp_path / "bench"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["parsing"]["files"] == 2 and data["parsing"]["pages"] == 4
    assert data["raw_embedding"]["passages"] == data["ingest"]["passages"] == data["ingest"]["embedded"] > 0
    assert data["ingest"]["documents"] == 2 and not data["ingest"]["refused"]
    assert set(data["raw_embedding"]["models"]) == {"primary", "use"}  # e5 and its companion, timed apart
    parts = data["parsing"]["seconds"] + data["raw_embedding"]["seconds"]
    assert data["ingest_over_parts"] == pytest.approx(data["ingest"]["seconds"] / parts, abs=0.01)
    assert "Whole ingest over parsing + raw embedding" in result.output
