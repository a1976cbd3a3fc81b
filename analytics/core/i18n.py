"""Interface text: one ``t()`` over the locale files in ``analytics/locales/`` (id first, en switch)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

LANGS: tuple[str, ...] = ("id", "en")
_DIR = Path(__file__).resolve().parent / "locales"


@cache
def catalogue(lang: str) -> dict[str, str]:
    """All texts of one language."""
    return json.loads((_DIR / f"{lang}.json").read_text(encoding="utf-8"))


def t(key: str, lang: str = "id", **kwargs: object) -> str:
    """The text for ``key`` in ``lang`` (falling back to Indonesian), formatted with ``kwargs``.

    >>> t("app.title", "en")
    'Perantara'
    >>> t("synthetic.label", "id")
    'Data contoh (sintetis)'
    """
    text = catalogue(lang if lang in LANGS else "id").get(key) or catalogue("id").get(key)
    if text is None:
        raise KeyError(f"missing text key: {key}")
    return text.format(**kwargs) if kwargs else text
