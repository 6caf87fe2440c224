"""Words a PDF's spacing split ("infrastructu re") are joined where the document attests the word."""

from __future__ import annotations

from ingest.split_words import rejoin


def test_a_split_word_the_document_prints_whole_is_joined() -> None:
    lines = ["Investment in infrastructu re, in cities and in rural areas.",
             "Resilient infrastructure is a priority.", "Les associati ons et les associations locales."]
    assert rejoin(lines)[0] == "Investment in infrastructure, in cities and in rural areas."
    assert rejoin(lines)[2] == "Les associations et les associations locales."


def test_words_of_their_own_and_names_stay_apart() -> None:
    lines = ["Is the re a plan? There is.", "the plan",  # "the" is a word here
             "quel que soit le plan, quelque chose et que", "Access Now and AccessNow"]
    assert rejoin(lines) == lines


def test_a_word_only_an_address_attests_is_no_evidence() -> None:
    lines = ["Licensed under creative commo ns terms", "see https://creativecommons.org/licenses"]
    assert rejoin(lines) == lines


def test_a_word_never_printed_whole_stays_split() -> None:
    lines = ["Elles ont béné ficié du programme."]
    assert rejoin(lines) == lines


def test_real_papers_lose_their_split_words(real_documents: dict) -> None:
    res = real_documents["board/a-res-79-1.en.pdf"]
    assert "infrastructure," in res.passage("annex I/15").text
    assert "peaceful," in res.passage("4").text
    ita = real_documents["parallel/a-hrc-wg6-7-ita-1.fr.pdf"]
    assert "notamment" in ita.passage("23").text and "no tamment" not in ita.passage("23").text
