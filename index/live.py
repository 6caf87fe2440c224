"""Hot reload: serve the current version and swap to a newly published one without disturbing requests.

A request holds the IndexVersion object it was given; swapping only rebinds the reference, so requests
in flight finish on the old version. A new version is loaded completely (and its checksums verified)
before the swap; one that fails to load is logged once and skipped while the old one keeps serving.
"""

from __future__ import annotations

import logging
import os
import threading
import time

from index.store import IndexStore
from index.store_errors import ModelMismatchError, NoIndexError, StoreError
from index.version import IndexVersion

log = logging.getLogger(__name__)


class LiveIndex:
    def __init__(self, store: IndexStore, model_id: str | None, reload_seconds: float = 0.5) -> None:
        self.store = store
        self.model_id = model_id
        self.reload_seconds = reload_seconds
        self._version: IndexVersion | None = None
        self._stamp: tuple[int, int, int] | None = None  # stat of CURRENT when last looked at
        self._checked = float("-inf")
        self._failed: str | None = None  # id that failed to load; not retried until CURRENT changes
        self._loading = threading.Lock()

    @property
    def version_id(self) -> str | None:
        return self._version.version if self._version is not None else None

    def _current_stamp(self) -> tuple[int, int, int] | None:
        try:
            st = os.stat(self.store.current_file)
        except FileNotFoundError:
            return None
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    def current(self) -> IndexVersion:
        """The version to answer from; raises NoIndexError/StoreError only when nothing can be served."""
        version = self._version
        now = time.monotonic()
        if version is not None and now - self._checked < self.reload_seconds:
            return version
        # One thread reloads; the others keep answering from the version they already have.
        if not self._loading.acquire(blocking=version is None):
            assert version is not None
            return version
        try:
            self._refresh()
        finally:
            self._loading.release()
        if self._version is None:
            raise NoIndexError(self.store.root)
        return self._version

    def _refresh(self) -> None:
        self._checked = time.monotonic()
        stamp = self._current_stamp()
        if stamp is not None and stamp == self._stamp and self._version is not None:
            return
        wanted = self.store.current_id()
        self._stamp = stamp
        if wanted is None:
            if self._version is None:
                raise NoIndexError(self.store.root)
            return  # CURRENT vanished: keep serving what we have
        if self._version is not None and wanted == self._version.version:
            return
        if wanted == self._failed and self._version is not None:
            return
        try:
            if self.model_id is not None:
                built_with = self.store.manifest(wanted).model_id
                if built_with != self.model_id:
                    raise ModelMismatchError(built_with, self.model_id)
            new = self.store.load(wanted)
        except StoreError as exc:
            self._failed = wanted
            if self._version is None:
                raise
            log.error("index version %s not loaded, still serving %s: %s", wanted, self._version.version, exc)
            return
        old = self._version.version if self._version is not None else None
        self._version = new
        self._failed = None
        if old is not None:
            log.info("index reloaded: %s -> %s", old, new.version)
