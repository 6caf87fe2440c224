"""The versioned index store on disk (being built); IndexVersion and build_version live in index.version."""

from __future__ import annotations

from index.version import IndexVersion, build_version

__all__ = ["IndexVersion", "build_version"]
