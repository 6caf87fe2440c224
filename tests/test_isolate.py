"""parse_isolated: the Document from a child process; refusals for slow, greedy or crashing parses."""

from __future__ import annotations

import os
import signal
from dataclasses import replace
from pathlib import Path

import pytest

from boardqa.config import IngestConfig
from ingest.errors import EncryptedPdfError, IngestError, NotAPdfError, ParseTimeoutError
from ingest.isolate import parse_isolated, run_isolated
from ingest.models import Document
from ingest.parse import parse_file
from tests.conftest import CORPUS

CFG = IngestConfig()
SEED = CORPUS / "en" / "annual-report-2020-summary.en.pdf"


def _die_by_signal(path: Path, cfg: IngestConfig) -> Document:
    os.kill(os.getpid(), signal.SIGSEGV)
    raise AssertionError("unreachable")


def _allocate(path: Path, cfg: IngestConfig) -> Document:
    hog = [bytearray(64 * 1024 * 1024) for _ in range(64)]  # 4 GiB, beyond any cap used here
    raise AssertionError(len(hog))


def test_same_document_as_in_process(corpus_manifest: dict) -> None:
    isolated = parse_isolated(SEED, CFG)
    direct = parse_file(SEED, CFG)
    assert isolated == direct
    assert isolated.passage("14(c)") is not None


def test_child_errors_keep_class_and_message(corpus_manifest: dict) -> None:
    for name, cls in (("not-a-pdf.pdf", NotAPdfError), ("encrypted.pdf", EncryptedPdfError)):
        path = CORPUS / "bad" / name
        with pytest.raises(cls) as isolated:
            parse_isolated(path, CFG)
        with pytest.raises(cls) as direct:
            parse_file(path, CFG)
        assert str(isolated.value) == str(direct.value)


def test_slow_parse_is_killed(corpus_manifest: dict) -> None:
    with pytest.raises(ParseTimeoutError, match="longer than 0.05 s"):
        parse_isolated(
            CORPUS / "zh" / "annual-report-2020-summary.zh.pdf", replace(CFG, timeout_seconds=0.05)
        )


def test_memory_cap_gives_clear_error(corpus_manifest: dict) -> None:
    with pytest.raises(IngestError, match="memory cap"):
        run_isolated(_allocate, SEED, replace(CFG, memory_mb=512))


def test_crash_by_signal_is_refused(corpus_manifest: dict) -> None:
    with pytest.raises(IngestError, match="SIGSEGV"):
        run_isolated(_die_by_signal, SEED, CFG)
