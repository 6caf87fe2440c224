"""Block Kit and console rendering of real Answer / CiteResult / SourceInfo objects built by hand."""

from __future__ import annotations

import json

from slack_standin import limit_problems

from bot import console, render
from bot.slacktext import question_text
from index.answering.results import Answer, Citation, CiteResult, SourceInfo


def board_citation(text: str = "Six of the 12 outcome areas were underfunded.", **kw: object) -> Citation:
    base: dict[str, object] = dict(
        source="annual-report-2020-summary.en.pdf", kind="board-document", symbol="HSP/EB.2021/TEST/9",
        title="Summary of the 2020 annual report", language="en", paragraph="12", heading="III. Funding",
        pages=[3, 4], printed_pages=["3", "4"], score=0.9, text=text, locator="12",
        family="annual-report-2020-summary", parallels={"zh": "annual-report-2020-summary.zh.pdf"},
    )
    base.update(kw)
    return Citation(**base)  # type: ignore[arg-type]


def report_citation() -> Citation:
    return Citation(
        source="annual-report-2020.en.pdf", kind="report", symbol=None, title="UN-Habitat Annual Report 2020",
        language="en", paragraph="p17.3", heading="Part 4 › Financial performance", pages=[17],
        printed_pages=["15"], score=0.7, text="Revenue reached USD 203.8 million.", locator="p17.3",
    )


def all_text(msg: render.SlackMessage) -> str:
    return json.dumps({"text": msg.text, "blocks": msg.blocks}, ensure_ascii=False)


def test_answer_shows_citation_facts_passage_and_buttons() -> None:
    answer = Answer("How many outcome areas were underfunded?", "Six of the 12 outcome areas.", True, 0.8,
                    [board_citation(), report_citation()])
    msg = render.answer_message(answer, "abc123")
    assert limit_problems(msg.text, msg.blocks) == []
    body = all_text(msg)
    assert "Six of the 12 outcome areas." in msg.blocks[0]["text"]["text"]
    head = msg.blocks[4]["text"]["text"]
    assert "Summary of the 2020 annual report" in head
    for fact in ("HSP/EB.2021/TEST/9", "para 12", "PDF pages 3–4", "English"):
        assert fact in head
    assert "> Six of the 12 outcome areas were underfunded." in body
    assert "Part 4 › Financial performance · printed page 15" in body and "PDF page 17" in body
    labels = [b["text"]["text"] for b in render_buttons(msg)]
    assert labels.count("Show in 中文") == 1  # only the board paragraph has a Chinese version
    assert "Show full paragraph" not in labels  # short passages are shown whole
    feedback = {b["action_id"]: b["value"] for b in render_buttons(msg)
                if b["action_id"].startswith("feedback")}
    assert feedback == {render.ACTION_HELPFUL: "abc123", render.ACTION_NOT_HELPFUL: "abc123"}
    assert "Share in channel" not in labels
    shared = render.answer_message(answer, "abc123", shareable=True)
    assert "Share in channel" in [b["text"]["text"] for b in render_buttons(shared)]


def render_buttons(msg: render.SlackMessage) -> list[dict]:
    return [e for b in msg.blocks if b["type"] == "actions" for e in b["elements"]]


def test_document_and_user_text_is_escaped_everywhere() -> None:
    evil = "Notice to <!channel> & <@U123ABC>: see <https://evil.example|this> <!subteam^S1>"
    answer = Answer(f"ping <!here> {evil}", evil, True, 0.9,
                    [board_citation(evil, title=f"Title <!everyone> {evil}", symbol="<@U999>")])
    for msg in (render.answer_message(answer, "id1"), render.citation_message(answer.citations[0]),
                *render.full_text_messages(answer.citations[0]), render.notice(evil),
                render.cite_message(CiteResult(evil, None, [answer.citations[0]])),
                render.cite_message(CiteResult(evil, None, error=evil)),
                render.sources_message([SourceInfo("x.pdf", "board-document", "<!channel>", evil, "en",
                                                   1, 1, 1, "x")])):
        body = all_text(msg)
        for dangerous in ("<!channel>", "<!here>", "<!everyone>", "<@U123ABC>", "<@U999>", "<https://",
                          "<!subteam"):
            assert dangerous not in body, (dangerous, body)
        assert "&lt;!channel&gt;" in body
        assert " & " not in body.replace("&amp;", "")  # every ampersand is an entity


def test_long_answer_stays_within_slack_limits() -> None:
    long_text = ("The Executive Board requested a detailed report on resource mobilization. " * 120).strip()
    cites = [board_citation(long_text, paragraph=str(i), locator=str(i)) for i in range(1, 41)]
    answer = Answer("q " * 2000, "An answer. " * 800, True, 0.9, cites)
    msg = render.answer_message(answer, "long", shareable=True)
    assert limit_problems(msg.text, msg.blocks) == []
    body = all_text(msg)
    assert "…" in body
    full_buttons = [b for b in render_buttons(msg) if b["action_id"].startswith(render.ACTION_FULL)]
    assert full_buttons and json.loads(full_buttons[0]["value"]) == {"s": cites[0].source, "l": "1"}
    assert "more not shown" in body  # 40 citations cannot all fit; the message says so
    assert render_buttons(msg)[-1]["text"]["text"] == "Share in channel"  # footer survives the cut


def test_full_paragraph_is_split_over_messages_without_losing_text() -> None:
    sentences = [f"Sentence {i} about <funding> & budgets for 2022 ({'x' * (i % 7)})." for i in range(900)]
    c = board_citation(" ".join(sentences), footnotes=[{"mark": "*", "text": "HSP/EB.2021/12."}])
    messages = render.full_text_messages(c)
    assert len(messages) > 1
    for m in messages:
        assert limit_problems(m.text, m.blocks) == []
    quoted = [b["text"]["text"] for m in messages for b in m.blocks
              if b["type"] == "section" and b["text"]["text"].startswith(">")]
    joined = " ".join(q.removeprefix("> ") for q in quoted)
    joined = joined.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    assert joined.split() == c.text.split()
    assert "HSP/EB.2021/12." in all_text(messages[-1])
    assert f"Part {len(messages)} of {len(messages)}" in all_text(messages[-1])


def test_citation_message_of_a_huge_passage_offers_the_full_text() -> None:
    msg = render.citation_message(board_citation("word " * 6000))
    assert limit_problems(msg.text, msg.blocks) == []
    assert "Show full paragraph" in [b["text"]["text"] for b in render_buttons(msg)]


def test_not_found_says_so_and_labels_closest_matches() -> None:
    answer = Answer("What is the capital of France?", "The documents do not say.", False, 0.1,
                    [board_citation()])
    msg = render.answer_message(answer, "nf")
    body = all_text(msg)
    assert msg.blocks[0]["text"]["text"].startswith(":mag: The documents do not say.")
    assert "Closest matches" in body and "may not answer" in body
    assert msg.text.startswith("Not found.")
    text = console.answer_text(answer)
    assert text.startswith("Not found.") and "Closest matches" in text


def test_an_answer_more_likely_wrong_than_right_says_so() -> None:
    """A found answer whose confidence (a calibrated probability) is low carries a warning, in the
    question's language, in Slack, in Slack's fallback text and in the console; a confident answer and
    a not-found one carry none."""
    doubtful = Answer("What is the total budget of the programme?", "The programme streamlines processes.",
                      True, 0.2, [board_citation()])
    msg = render.answer_message(doubtful, "d")
    assert limit_problems(msg.text, msg.blocks) == []
    assert msg.blocks[0]["text"]["text"] == "The programme streamlines processes."
    warning = msg.blocks[1]["elements"][0]["text"]
    assert warning.startswith(":warning: Not sure") and "20 %" in warning
    assert msg.text.startswith("Not sure")
    assert console.answer_text(doubtful).startswith("Not sure")
    zh = Answer("方案的总预算是多少？", "The programme streamlines processes.", True, 0.2, [board_citation()])
    assert render.answer_message(zh, "z").blocks[1]["elements"][0]["text"].startswith(":warning: 不确定")
    assert console.answer_text(zh).startswith("不确定")
    for answer in (Answer("q", "Six.", True, 0.9, [board_citation()]),
                   Answer("q", "The documents do not say.", False, 0.2, [board_citation()])):
        assert "Not sure" not in all_text(render.answer_message(answer, "x"))
        assert "Not sure" not in console.answer_text(answer)


def test_cite_results_and_sources() -> None:
    ok = render.cite_message(CiteResult("para 12", board_citation(footnotes=[{"mark": "*", "text": "note"}])))
    assert "para 12" in all_text(ok) and "* note" in all_text(ok)
    ambiguous = render.cite_message(CiteResult("para 12", None, [board_citation(), report_citation()]))
    assert "matches several passages" in ambiguous.text
    missing = render.cite_message(CiteResult("para 99", None, error="no paragraph 99 in HSP/EB.2021/TEST/9"))
    assert missing.text == "Not found: no paragraph 99 in HSP/EB.2021/TEST/9"
    many = [SourceInfo(f"doc{i}.en.pdf", "board-document", f"HSP/EB.2021/{i}", f"Document number {i} " * 5,
                       "en", 20, 25, 4, f"doc{i}") for i in range(400)]
    msg = render.sources_message(many)
    assert limit_problems(msg.text, msg.blocks) == []
    assert "400 indexed documents" in all_text(msg) and "more not listed" in all_text(msg)
    assert "No documents are indexed" in render.sources_message([]).text


def test_console_rendering_matches_slack_facts() -> None:
    answer = Answer("q", "Six.", True, 0.8, [board_citation("long " * 400), report_citation()])
    text = console.answer_text(answer)
    assert text.startswith("Six.")
    assert "HSP/EB.2021/TEST/9 · para 12 · PDF pages 3–4 · English" in text
    assert "Part 4 › Financial performance · printed page 15 · PDF page 17 · English" in text
    assert "…" in text and "also in: 中文" in text
    assert "/cite annual-report-2020-summary.en.pdf para 12" in text
    assert console.cite_text(CiteResult("x", None, error="nope")) == "Not found: nope"


def test_question_text_from_slack_markup() -> None:
    assert question_text("<@UBOT> what about &lt;b&gt; &amp; c?", "UBOT") == "what about <b> & c?"
    markup = "<@UBOT> <!channel> ask <@U42|ann> in <#C1|general> <https://x.org|link>"
    assert question_text(markup, "UBOT") == "@channel ask @ann in #general link"
    assert question_text("<@UOTHER> hi", "UBOT") == "@UOTHER hi"
