"""Block Kit messages for answers, citations and sources, always within Slack's limits.

Slack refuses a message with more than 50 blocks or a section over 3,000 characters, and long messages
are truncated unpredictably, so every builder here measures what it adds and stops (with a note or a
"Show full paragraph" button) before a limit. Every piece of document or user text goes through
`escape`, so a document that contains `<!channel>` pings nobody.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from bot import describe
from index.answering.results import Answer, Citation, CiteResult, SourceInfo
from index.answering.sentences import not_found_line

MAX_BLOCKS = 50
MAX_SECTION_CHARS = 3000
MESSAGE_BUDGET = 10_000  # JSON characters of blocks; Slack's practical ceiling is about 12,000
MAX_FALLBACK_CHARS = 2_000
QUOTE_CHARS = 700  # passage length shown under an answer before "Show full paragraph"
FULL_CHUNK_CHARS = 2_800

ACTION_HELPFUL = "feedback_helpful"
ACTION_NOT_HELPFUL = "feedback_not_helpful"
ACTION_SHARE = "share_answer"
ACTION_FULL = "show_full"  # "show_full:<n>", one per citation (action ids must be unique in a message)
ACTION_PARALLEL = "show_parallel"  # "show_parallel:<n>:<lang>"

Block = dict[str, Any]


def action_pattern(prefix: str) -> re.Pattern[str]:
    """Matches every action id built from `prefix`, for registering one listener for all of them."""
    return re.compile(rf"^{re.escape(prefix)}(:.*)?$")


@dataclass
class SlackMessage:
    text: str  # plain fallback for notifications and clients that cannot show blocks
    blocks: list[Block] = field(default_factory=list)

    def kwargs(self) -> dict[str, Any]:
        return {"text": self.text, "blocks": self.blocks}


def escape(text: str) -> str:
    """Slack's three control characters; after this no text can form a mention, link or command."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def size(blocks: list[Block]) -> int:
    return len(json.dumps(blocks, ensure_ascii=False))


def section(mrkdwn: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": mrkdwn[:MAX_SECTION_CHARS]}}


def context(mrkdwn: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": mrkdwn[:MAX_SECTION_CHARS]}]}


def button(text: str, action_id: str, value: dict[str, str] | str, style: str | None = None) -> Block:
    b: Block = {
        "type": "button",
        "text": {"type": "plain_text", "text": text[:75], "emoji": True},
        "action_id": action_id,
        "value": value if isinstance(value, str) else json.dumps(value, ensure_ascii=False),
    }
    if style:
        b["style"] = style
    return b


def quote(raw: str) -> str:
    return "\n".join(f"> {line}" if line.strip() else ">" for line in escape(raw).split("\n"))


def quoted_chunks(raw: str, limit: int = FULL_CHUNK_CHARS) -> list[str]:
    """Escaped, quoted pieces of `raw`, each fitting one section (escaping can lengthen text)."""
    out: list[str] = []
    for piece in describe.split(raw, limit):
        q = quote(piece)
        out.extend([q] if len(q) <= MAX_SECTION_CHARS else quoted_chunks(piece, limit // 2))
    return out


def plain(text: str, limit: int = MAX_FALLBACK_CHARS) -> str:
    return escape(describe.cut(text, limit)[0])


def citation_header(c: Citation, n: int | None = None) -> str:
    title = escape(describe.cut(c.title or c.source, 300)[0])
    number = f"{n}. " if n is not None else ""
    facts = " · ".join(escape(f) for f in describe.facts(c))
    return f"*{number}{title}*\n{facts}"


def _value(c: Citation, **extra: str) -> dict[str, str]:
    return {"s": c.source, "l": c.locator, **extra}


def citation_buttons(c: Citation, n: int, truncated: bool) -> list[Block]:
    out: list[Block] = []
    if truncated:
        out.append(button("Show full paragraph", f"{ACTION_FULL}:{n}", _value(c)))
    for lang in sorted(c.parallels):
        if lang != c.language:
            label = f"Show in {describe.language_name(lang)}"
            out.append(button(label, f"{ACTION_PARALLEL}:{n}:{lang}", _value(c, g=lang)))
    return out


def _citation_blocks(c: Citation, n: int) -> list[Block]:
    shown, truncated = describe.cut(c.text, QUOTE_CHARS)
    blocks = [section(citation_header(c, n)), section(quote(shown))]
    buttons = citation_buttons(c, n, truncated)
    if buttons:
        blocks.append({"type": "actions", "block_id": f"citation:{n}", "elements": buttons})
    return blocks


def answer_message(answer: Answer, answer_id: str, *, shareable: bool = False) -> SlackMessage:
    """The answer, its citations (or closest matches), and feedback (and share) buttons."""
    head = escape(describe.cut(answer.answer, 2_800)[0])
    blocks: list[Block] = [section(head if answer.found else f":mag: {head}")]
    unsure = describe.doubt(answer)
    if unsure:
        blocks.append(context(f":warning: {escape(unsure)}"))
    blocks.append(context(f"Question: {plain(answer.question, 300)}"))
    footer_buttons = [
        button("Helpful", ACTION_HELPFUL, answer_id, "primary"),
        button("Not helpful", ACTION_NOT_HELPFUL, answer_id),
    ]
    if shareable:
        footer_buttons.append(button("Share in channel", ACTION_SHARE, answer_id))
    footer: list[Block] = [{"type": "actions", "block_id": "answer", "elements": footer_buttons}]
    if answer.citations:
        label = "*Sources*" if answer.found else "*Closest matches* (these may not answer the question):"
        blocks += [{"type": "divider"}, section(label)]
    shown = 0
    for n, c in enumerate(answer.citations, start=1):
        candidate = blocks + _citation_blocks(c, n)
        if len(candidate) + len(footer) + 1 > MAX_BLOCKS or size(candidate + footer) > MESSAGE_BUDGET - 300:
            break
        blocks, shown = candidate, n
    if shown < len(answer.citations):
        blocks.append(context(f"{len(answer.citations) - shown} more not shown to keep this message short."))
    return SlackMessage(text=_answer_fallback(answer), blocks=blocks + footer)


def _answer_fallback(answer: Answer) -> str:
    lines = [answer.answer if answer.found else not_found_line(answer.answer)]
    unsure = describe.doubt(answer)
    if unsure:
        lines.insert(0, unsure)
    for c in answer.citations[:3]:
        lines.append(f"— {c.title or c.source}, {describe.location(c)}")
    return plain("\n".join(lines))


def citation_message(c: Citation, intro: str = "") -> SlackMessage:
    """One passage in full (as far as one message allows), with footnotes and language buttons."""
    blocks: list[Block] = []
    if intro:
        blocks.append(context(escape(intro)))
    blocks.append(section(citation_header(c)))
    chunks = quoted_chunks(c.text)
    truncated = False
    for chunk in chunks:
        if size(blocks + [section(chunk)]) > MESSAGE_BUDGET - 1_500 or len(blocks) > MAX_BLOCKS - 4:
            truncated = True
            blocks.append(context("… (the rest is behind *Show full paragraph*)"))
            break
        blocks.append(section(chunk))
    notes = describe.footnote_lines(c)
    if notes:
        blocks.append(context(escape(describe.cut("\n".join(notes), 2_000)[0])))
    buttons = citation_buttons(c, 0, truncated)
    if buttons:
        blocks.append({"type": "actions", "block_id": "citation:0", "elements": buttons})
    text = f"{c.title or c.source}, {describe.location(c)}: {c.text}"
    return SlackMessage(text=plain(text), blocks=blocks)


def cite_message(result: CiteResult) -> SlackMessage:
    if result.citation is not None:
        return citation_message(result.citation)
    if result.candidates:
        lines = [f"`{escape(result.reference)}` matches several passages; be more specific:"]
        for c in result.candidates[:20]:
            facts = " · ".join(escape(f) for f in describe.facts(c))
            lines.append(f"• {escape(c.title or c.source)} — {facts}")
        body = "\n".join(lines)
        return SlackMessage(text=plain(body), blocks=[section(describe.cut(body, MAX_SECTION_CHARS)[0])])
    reason = result.error or "no such paragraph"
    return notice(f"Not found: {reason}")


def full_text_messages(c: Citation) -> list[SlackMessage]:
    """The whole passage, split over as many messages as it needs, each within the limits."""
    chunks = quoted_chunks(c.text)
    messages: list[SlackMessage] = []
    blocks: list[Block] = [section(citation_header(c))]
    for chunk in chunks:
        if size(blocks + [section(chunk)]) > MESSAGE_BUDGET - 500:
            messages.append(SlackMessage(text=plain(chunk.replace("> ", "")), blocks=blocks))
            blocks = []
        blocks.append(section(chunk))
    notes = describe.footnote_lines(c)
    if notes:
        blocks.append(context(escape(describe.cut("\n".join(notes), 2_000)[0])))
    messages.append(SlackMessage(text=plain(c.text), blocks=blocks))
    total = len(messages)
    if total > 1:
        for i, m in enumerate(messages, start=1):
            m.blocks.append(context(f"Part {i} of {total}"))
    return messages


def sources_message(sources: list[SourceInfo]) -> SlackMessage:
    if not sources:
        return notice("No documents are indexed yet. An admin can add some with `boardqa ingest`.")
    lines = []
    for s in sources:
        facts = describe.source_facts(s)
        title = escape(describe.cut(s.title or s.source, 200)[0])
        lines.append(f"• *{title}* — " + " · ".join(escape(f) for f in facts))
    blocks: list[Block] = [section(f"*{len(sources)} indexed document{'s' if len(sources) != 1 else ''}*")]
    current = ""
    shown = 0
    for line in lines:
        if len(current) + len(line) + 1 > MAX_SECTION_CHARS - 100:
            blocks.append(section(current))
            current = ""
        if len(blocks) >= MAX_BLOCKS - 2 or size(blocks) + len(current) + len(line) > MESSAGE_BUDGET - 500:
            break
        current = f"{current}\n{line}" if current else line
        shown += 1
    if current:
        blocks.append(section(current))
    if shown < len(lines):
        blocks.append(context(f"{len(lines) - shown} more not listed; `boardqa sources` lists them all."))
    fallback = ", ".join(s.title or s.source for s in sources)
    return SlackMessage(text=plain(f"{len(sources)} indexed documents: {fallback}"), blocks=blocks)


def notice(text: str) -> SlackMessage:
    """A short plain message (apology, rate limit, note); the text is escaped like everything else."""
    safe = escape(describe.cut(text, MAX_SECTION_CHARS - 100)[0])
    return SlackMessage(text=safe, blocks=[section(safe)])
