"""Where the real files of ``../shared/data`` are: the environment variable ``PERANTARA_SHARED_DATA``, or the
first ``shared/data`` beside an ancestor of the repository (so the tests find them from a scratch clone and
from mutmut's ``mutants/`` copy alike). Tests read them in place and skip when they are absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


def _find() -> Path:
    given = os.environ.get("PERANTARA_SHARED_DATA")
    if given:
        return Path(given)
    for parent in Path(__file__).resolve().parents:
        if (parent / "shared" / "data").is_dir():
            return parent / "shared" / "data"
    return Path(__file__).resolve().parents[2] / "shared" / "data"


SHARED = _find()


def shared_file(*parts: str) -> Path:
    """A file under the shared data folder, or skip the calling test when it is not there."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"shared data file not present: {path}")
    return path
