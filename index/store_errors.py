"""Why the store refuses: each message tells a person what to do next."""

from __future__ import annotations


class StoreError(Exception):
    """Base of every index-store refusal."""


class NoIndexError(StoreError):
    def __init__(self, root: object = None) -> None:
        super().__init__("no index yet: run `boardqa ingest PATH` first")
        self.root = root


class ModelMismatchError(StoreError):
    def __init__(self, index_model: str, configured: str) -> None:
        super().__init__(
            f"index built with {index_model}; configured embedder is {configured}: "
            "run `boardqa ingest` again to rebuild"
        )
        self.index_model = index_model
        self.configured = configured


class CorruptVersionError(StoreError):
    """A version whose files are missing, unreadable or fail their checksum."""


class UnknownVersionError(StoreError):
    pass


class LockBusyError(StoreError):
    def __init__(self, holder: str) -> None:
        super().__init__(f"the index is being changed by {holder}; try again later or pass --wait SECONDS")
        self.holder = holder
