"""AppTest set-up shared by the page tests."""

from __future__ import annotations

import functools
from collections.abc import Iterator

import pytest
from streamlit.components.v2 import manifest_scanner


@pytest.fixture(scope="session", autouse=True)
def _scan_installed_components_once() -> Iterator[None]:
    """Every new AppTest scans the metadata of all installed packages for Streamlit components (about
    half a second each); the installed packages do not change during a test run, so scan them once."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(manifest_scanner, "scan_component_manifests",
                   functools.cache(manifest_scanner.scan_component_manifests))
        yield
