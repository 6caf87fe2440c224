"""Fetch a file an admin shared with the bot: `files.info`, then a bounded, authenticated download.

The size limit is enforced twice, before any byte moves (the size `files.info` reports, then the
response's Content-Length) and while streaming, so an oversized file is abandoned mid-transfer. Bytes go
to a `.part` name and are renamed only when complete, so a partial download never takes a real name.
"""

from __future__ import annotations

import os
import re
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ingest.errors import FileTooLargeError

CHUNK = 64 * 1024
# Formats the ingest pipeline reads; anything else is refused before it is downloaded.
SUPPORTED_SUFFIXES = (".pdf", ".txt", ".md", ".docx")

# progress(bytes_done, bytes_total); total is 0 when unknown.
DownloadProgress = Callable[[int, int], None]


class DownloadError(Exception):
    """The file could not be fetched from Slack; the message says why in one line."""


@dataclass(frozen=True)
class SlackFile:
    id: str
    name: str  # safe local file name (no folders, no leading dot)
    size: int  # bytes, as Slack reports them (0 when unknown)
    url: str  # url_private_download, else url_private
    user: str = ""  # who uploaded it
    filetype: str = ""

    @property
    def suffix(self) -> str:
        return Path(self.name).suffix.lower()


def safe_name(name: str, fallback: str) -> str:
    """A file name that cannot leave the inbox or hide itself: the last path part, tidied."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = re.sub(r"[\x00-\x1f]", "", base).strip().lstrip(".").strip()
    if len(base) > 180:
        stem, dot, ext = base.rpartition(".")
        base = (stem[: 180 - len(ext) - 1] + dot + ext) if dot and len(ext) <= 8 else base[:180]
    return base or fallback


def file_from_info(info: dict[str, Any]) -> SlackFile:
    """The fields we need from a `files.info` `file` object."""
    file_id = str(info.get("id", ""))
    url = str(info.get("url_private_download") or info.get("url_private") or "")
    if not url:
        raise DownloadError(f"Slack gave no download address for file {file_id or '?'}")
    raw_name = str(info.get("name") or info.get("title") or "")
    ext = str(info.get("filetype") or "").lower()
    fallback = f"{file_id or 'file'}.{ext}" if ext else (file_id or "file")
    return SlackFile(
        id=file_id,
        name=safe_name(raw_name, fallback),
        size=int(info.get("size") or 0),
        url=url,
        user=str(info.get("user") or ""),
        filetype=ext,
    )


def fetch_file_info(client: Any, file_id: str) -> SlackFile:
    """`files.info` through the bot's WebClient (which raises SlackApiError on `ok: false`)."""
    from slack_sdk.errors import SlackApiError

    try:
        resp = client.files_info(file=file_id)
    except SlackApiError as exc:
        err = exc.response.get("error", "unknown error") if exc.response is not None else str(exc)
        raise DownloadError(f"Slack refused files.info for {file_id}: {err}") from exc
    info = resp.get("file")
    if not isinstance(info, dict):
        raise DownloadError(f"Slack's files.info answer for {file_id} has no file")
    return file_from_info(info)


def too_large(name: str, size: int, max_bytes: int) -> FileTooLargeError:
    """The same refusal the command line gives for a file over `[ingest] max_file_mb`."""
    return FileTooLargeError(
        name,
        f"file is {size / 1048576:.1f} MB, over the {max_bytes / 1048576:g} MB limit ([ingest] max_file_mb)",
    )


def check_declared_size(f: SlackFile, max_bytes: int) -> None:
    """Refuse before downloading when Slack already says the file is too big."""
    if f.size > max_bytes:
        raise too_large(f.name, f.size, max_bytes)


def download(
    f: SlackFile,
    token: str,
    dest_dir: Path,
    max_bytes: int,
    progress: DownloadProgress | None = None,
    timeout: float = 60.0,
) -> Path:
    """Stream `f` into `dest_dir/f.name`; aborts past `max_bytes`; leaves nothing behind on failure."""
    check_declared_size(f, max_bytes)
    dest_dir.mkdir(parents=True, exist_ok=True)
    final = dest_dir / f.name
    part = dest_dir / f".{f.name}.part"
    request = urllib.request.Request(f.url, headers={"Authorization": f"Bearer {token}"})
    done = 0
    try:
        with urllib.request.urlopen(request, timeout=timeout) as resp:  # noqa: S310 - Slack's https URL
            ctype = str(resp.headers.get("Content-Type", ""))
            if ctype.startswith("text/html") and f.suffix != ".html":
                raise DownloadError(
                    f"{f.name}: Slack sent a web page instead of the file (does the app have files:read?)"
                )
            length = int(resp.headers.get("Content-Length") or 0)
            if length > max_bytes:
                raise too_large(f.name, length, max_bytes)
            total = length or f.size
            if progress:
                progress(0, total)
            with open(part, "wb") as out:
                while True:
                    chunk = resp.read(CHUNK)
                    if not chunk:
                        break
                    done += len(chunk)
                    if done > max_bytes:
                        raise too_large(f.name, max(done, f.size, length), max_bytes)
                    out.write(chunk)
                    if progress:
                        progress(done, total)
                out.flush()
                os.fsync(out.fileno())
        expected = length or f.size
        if expected and done != expected:
            raise DownloadError(f"{f.name}: download incomplete ({done} of {expected} bytes)")
        os.replace(part, final)
    except urllib.error.HTTPError as exc:
        part.unlink(missing_ok=True)
        raise DownloadError(f"{f.name}: download failed: HTTP {exc.code} {exc.reason}") from exc
    except (urllib.error.URLError, OSError, TimeoutError) as exc:
        part.unlink(missing_ok=True)
        raise DownloadError(f"{f.name}: download failed: {exc}") from exc
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    return final
