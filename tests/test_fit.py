"""The fitting procedure: the shipped parameters load and rank, and `boardqa fit` runs end to end on a
small store (its numbers are not asserted: they depend on the data)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from click.testing import CliRunner
from conftest import EVAL

from index.answering.confidence import SIGNALS, Calibrator
from index.retrieval.features import FEATURES
from index.retrieval.ranker import PARAMS_PATH, RankParams, softmax


def test_shipped_parameters_load_and_name_every_feature() -> None:
    params = RankParams.load(PARAMS_PATH)
    assert params.features == FEATURES
    assert any(w != 0 for w in params.weights)
    info = params.info
    assert {"fitted", "cross_validated", "confidence"} <= set(info)
    cal = Calibrator.shipped()
    assert cal.signals == SIGNALS and 0.0 < cal.decision_line < 1.0
    x = np.zeros((3, len(FEATURES)), dtype=np.float32)
    x[1:, FEATURES.index("dense_gap")] = -0.1
    p = softmax(params.logits(x))
    assert abs(float(p.sum()) - 1.0) < 1e-5
    assert p[0] > p[1]  # the closer passage, all else equal, is the likelier answer


def test_fit_command_runs_on_a_small_store(tmp_path: Path, corpus_documents, qa_embedder) -> None:  # type: ignore[no-untyped-def]
    from boardqa.cli import cli
    from index.store import IndexStore

    docs = [d for d in corpus_documents if d.source in {"covid19-response-update.en.pdf",
                                                        "funding-and-resource-mobilization.en.pdf"}]
    store = tmp_path / "index"
    IndexStore(store).publish(docs, qa_embedder)
    questions = tmp_path / "q.jsonl"
    lines = [line for line in (EVAL / "dev_questions.jsonl").read_text(encoding="utf-8").splitlines()
             if '"covid19-response-update"' in line or '"funding-and-resource-mobilization"' in line
             or '"doc": null' in line]
    questions.write_text("\n".join(lines) + "\n", encoding="utf-8")
    config = tmp_path / "config.toml"
    config.write_text(f'[index]\npath = "{store}"\n', encoding="utf-8")
    out, conf = tmp_path / "params.json", tmp_path / "confidence.json"
    args = ["--config", str(config), "fit", "--set", str(store), str(questions), "--folds", "2",
            "--no-ablations", "--eliminate", "--out", str(out), "--confidence-out", str(conf),
            "--cache", str(tmp_path / "c.npz")]
    r = CliRunner().invoke(cli, args)
    assert r.exit_code == 0, r.output
    report = json.loads(r.stdout)
    assert report["fitted"]["all"]["n"] >= 5 and "all" in report["cross_validated"]
    # feature selection ran and kept its record; whatever it removed is fitted at weight 0
    removed = [r["removed"] for r in report["elimination"]]
    assert all((r["cv_r1_after"], r["cv_mrr_after"]) >= (r["cv_r1_before"], r["cv_mrr_before"])
               for r in report["elimination"])
    weights = dict(zip(FEATURES, RankParams.load(out).weights, strict=True))
    from index.measure.fit import FEATURE_GROUPS
    assert all(weights[f] == 0.0 for g in removed for f in FEATURE_GROUPS[g])
    assert RankParams.load(out).features == FEATURES
    assert Calibrator.load(conf).signals == SIGNALS
    oof = report["confidence"]["out_of_fold"]
    assert 0.0 <= oof["answerable_auc"] <= 1.0 and oof["answerable_log_loss"] >= 0.0
