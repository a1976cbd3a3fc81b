"""Number formatting by name, Indonesian by default (``Rp 1.250.000``, ``12,5%``).

Every number shown in the app goes through this module.
"""

from __future__ import annotations

import math
import re
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

Lang = str  # "id" or "en"

_SEP = {"id": (".", ","), "en": (",", ".")}  # (thousands, decimal)


def number(value: float | int | None, decimals: int = 0, lang: Lang = "id") -> str:
    """A number with thousands separators.

    >>> number(1250000)
    '1.250.000'
    >>> number(12.345, 2)
    '12,35'
    >>> number(1250000.5, 1, lang="en")
    '1,250,000.5'
    >>> number(None)
    '–'
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    thousands, decimal = _SEP.get(lang, _SEP["id"])
    text = f"{float(value):,.{decimals}f}"
    return text.replace(",", "\0").replace(".", decimal).replace("\0", thousands)


def rupiah(value: float | int | None, lang: Lang = "id") -> str:
    """Rupiah, no decimals.

    >>> rupiah(1250000)
    'Rp 1.250.000'
    >>> rupiah(-5000)
    '-Rp 5.000'
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    sign = "-" if value < 0 else ""
    return f"{sign}Rp {number(abs(value), 0, lang)}"


def percent(value: float | None, decimals: int = 1, lang: Lang = "id") -> str:
    """A value already in percent.

    >>> percent(12.5)
    '12,5%'
    >>> percent(12.5, lang="en")
    '12.5%'
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{number(value, decimals, lang)}%"


def by_unit(value: float | None, unit: str, lang: Lang = "id") -> str:
    """Format a value by its unit name (as stored with every indicator).

    >>> by_unit(12.34, "persen")
    '12,3%'
    >>> by_unit(473200, "Rp/kapita/bulan")
    'Rp 473.200'
    >>> by_unit(4200, "jiwa")
    '4.200'
    >>> by_unit(2.246, "indeks")
    '2,25'
    """
    if unit == "persen":
        return percent(value, 1, lang)
    if unit.startswith("Rp"):
        return rupiah(value, lang)
    if unit == "indeks":
        return number(value, 2, lang)
    return number(value, 0, lang)


def timestamp(value: datetime | None, lang: Lang = "id") -> str:
    """Date and time, day first.

    >>> timestamp(datetime(2026, 11, 23, 9, 5))
    '23-11-2026 09:05'
    """
    if value is None:
        return "–"
    return value.strftime("%d-%m-%Y %H:%M")


_SNAKE = re.compile(r"^[a-z][a-z0-9_]*$")


def header(column: object, lang: Lang = "id") -> str:
    """A table column's internal name as a header for people: the interface's name for the field
    (``field.<name>``), else the name with spaces (``kode_pos`` → ``Kode pos``); a header already written
    for people stays as it is.

    >>> header("rt_baru"), header("kode_pos"), header("Nilai (Rp)"), header("rt_baru", "en")
    ('Rumah tangga baru', 'Kode pos', 'Nilai (Rp)', 'New households')
    """
    from analytics.core.i18n import catalogue, t

    name = str(column)
    if not _SNAKE.match(name):
        return name
    key = f"field.{name}"
    return t(key, lang) if key in catalogue("id") else name.replace("_", " ").capitalize()


def person(actor: object, lang: Lang = "id") -> str:
    """Who did something, named as a reader names them: a demo session's ``demo:<role>`` is the role's
    name in demo mode; an account's user name stays as it is; nothing is blank.

    >>> person("demo:perencana"), person("ani"), person("demo:tamu", "en"), person(None)
    ('Perencana (Bappeda), mode demo', 'ani', 'Guest, demo mode', '')
    """
    from analytics.core.i18n import catalogue, t

    text = cell(actor, "text", lang)
    if not text.startswith("demo:"):
        return text
    role = text.removeprefix("demo:")
    name = t(f"role.{role}", lang) if f"role.{role}" in catalogue("id") else t("person.guest", lang)
    return t("person.demo", lang, role=name)


def action(name: object, lang: Lang = "id") -> str:
    """An audit-trail action (``workshop.create``) in words (``Lokakarya: dibuat``); an action without words
    yet is shown with spaces instead of its internal dots and underscores.

    >>> action("workshop.create"), action("demo.rebuild", "en"), action("chain.flows"), action("x.y_z")
    ('Lokakarya: dibuat', 'Demo data: rebuilt', 'Rantai nilai: aliran', 'x: y z')
    """
    from analytics.core.i18n import catalogue, t

    text = cell(name, "text", lang)
    prefix, _, verb = text.partition(".")
    words = catalogue("id")
    head = t(f"audit.p.{prefix}", lang) if f"audit.p.{prefix}" in words else prefix
    tail = t(f"audit.v.{verb}", lang) if f"audit.v.{verb}" in words else verb.replace("_", " ").replace(".", " ")
    return f"{head}: {tail}" if verb else head


def titled_place(title: str, place: str | None) -> str:
    """A record's title with its area's name after it, unless the title already names the area.

    >>> titled_place("Lokakarya komoditas — Kab. Malang", "Kabupaten Malang")
    'Lokakarya komoditas — Kab. Malang'
    >>> titled_place("Seleksi 2026", "Kabupaten Malang")
    'Seleksi 2026 — Kabupaten Malang'
    """
    if not place:
        return title
    core = short_area_name(place).removeprefix("Kab. ").removeprefix("Kota ")
    return title if core.lower() in title.lower() else f"{title} — {place}"


def short_area_name(name: str) -> str:
    """A kabupaten name short enough for a headline figure.

    >>> short_area_name("Kabupaten Malang"), short_area_name("Kota Batu")
    ('Kab. Malang', 'Kota Batu')
    """
    return name.replace("Kabupaten ", "Kab. ", 1) if name.startswith("Kabupaten ") else name


_SCALES = {"id": ((1e12, "T"), (1e9, "M"), (1e6, "jt"), (1e3, "rb")),
           "en": ((1e12, "tn"), (1e9, "bn"), (1e6, "m"), (1e3, "k"))}


def short(value: float | int | None, lang: Lang = "id", decimals: int = 1) -> str:
    """A number in short form with the scale word Indonesians write (rb, jt, M for miliar, T for
    triliun; k, m, bn, tn in English), for chart axes and labels; below a thousand as it is. Trailing
    zero decimals are dropped.

    >>> short(4_000_000), short(1_500_000_000), short(12_500), short(950), short(-2_250_000, decimals=2)
    ('4 jt', '1,5 M', '12,5 rb', '950', '-2,25 jt')
    >>> short(6_900_000_000, "en"), short(0)
    ('6.9 bn', '0')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    a = abs(float(value))
    sign = "-" if value < 0 else ""
    for size, word in _SCALES.get(lang, _SCALES["id"]):
        if a >= size:
            text = number(a / size, decimals, lang)
            dec = _SEP.get(lang, _SEP["id"])[1]
            if dec in text:
                text = text.rstrip("0").rstrip(dec)
            return f"{sign}{text} {word}"
    text = number(a, decimals if a != int(a) else 0, lang)
    return f"{sign}{text}"


def rupiah_short(value: float | int | None, lang: Lang = "id", decimals: int = 0) -> str:
    """Rupiah in short form for labels: miliar as "M" (billion "bn" in English), juta as "jt" ("m",
    with ``decimals``).

    >>> rupiah_short(1_234_500_000)
    'Rp 1,2 M'
    >>> rupiah_short(350_400_000)
    'Rp 350 jt'
    >>> rupiah_short(4_771_000, decimals=2)
    'Rp 4,77 jt'
    >>> rupiah_short(12_500, "en")
    'Rp 12,500'
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    sign, a = ("-" if value < 0 else ""), abs(float(value))
    big, mid = ("M", "jt") if lang == "id" else ("bn", "m")
    if a >= 1e9:
        return f"{sign}Rp {number(a / 1e9, 1, lang)} {big}"
    if a >= 1e6:
        return f"{sign}Rp {number(a / 1e6, decimals, lang)} {mid}"
    return f"{sign}Rp {number(a, 0, lang)}"


def dot_escape(text: object) -> str:
    """Text made safe inside a double-quoted Graphviz DOT string.

    >>> dot_escape('Kopi "arabika"')
    'Kopi \\\\"arabika\\\\"'
    """
    return str(text).replace("\\", "\\\\").replace('"', '\\"')


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>$:&])")
_AUTOLINK = re.compile(r"(?i)(https?|ftp|mailto|www|@)(?=[:.@]|(?<=@))")
WORD_JOINER = "\u2060"
"""An invisible character that breaks GitHub-style automatic links (``http://…``, ``www.…``, ``a@b.c``),
which Streamlit's Markdown makes even out of escaped text."""


def md_text(text: object) -> str:
    r"""Text a user or a file supplied, made literal inside Streamlit Markdown: every Markdown sign (and
    Streamlit's ``:icon:``/``:red[…]`` colons and ``$`` maths) backslash-escaped, line breaks joined, and
    an invisible word joiner after ``http``, ``www`` and ``@``, so ``![](http://…)`` is no remote image,
    ``[x](javascript:…)`` no link, ``<b>`` no tag and a bare address no automatic link.

    >>> md_text("![x](http://a.b/c.png) **tebal** :red[merah] $x$\nbaris").replace(WORD_JOINER, "^")
    '\\!\\[x\\]\\(http^\\://a\\.b/c\\.png\\) \\*\\*tebal\\*\\* \\:red\\[merah\\] \\$x\\$ baris'
    >>> md_text("www.x.id a@b.id").replace(WORD_JOINER, "^")
    'www^\\.x\\.id a@^b\\.id'
    """
    text = _AUTOLINK.sub(lambda m: m.group(1) + WORD_JOINER, " ".join(str(text).splitlines()))
    return _MD_SPECIAL.sub(r"\\\1", text)


_LABEL_SPECIAL = re.compile(r"([\\`*_\[\]!~<>$:|&])")


def label_text(text: object) -> str:
    r"""User text as a widget label. Streamlit reads a label as Markdown (bold, italics, code, links,
    images, ``:icons:``) and also gives it, as written, to screen readers (``aria-label``): only the signs
    that can start those are escaped, so a name such as ``Jangkauan (outreach) 2.0`` reads unchanged.

    >>> label_text("Jangkauan (outreach) 2.0"), label_text("![x](javascript:y) **b**").replace(WORD_JOINER, "^")
    ('Jangkauan (outreach) 2.0', '\\!\\[x\\](javascript\\:y) \\*\\*b\\*\\*')
    """
    text = _AUTOLINK.sub(lambda m: m.group(1) + WORD_JOINER, " ".join(str(text).splitlines()))
    return _LABEL_SPECIAL.sub(r"\\\1", text)


def cell(value: object, kind: str, lang: Lang = "id") -> str:
    """One table cell as shown: ``kind`` is ``int`` (1.234), ``dec1``/``dec2`` (1.234,5), ``rupiah``
    (Rp 1.234), ``persen`` (a value already in percent: 12,5%), ``share`` (a 0-1 share: 45,0%), ``num``
    (whole numbers as such, fractions to 2 decimals), ``text``, ``yesno`` (ya/tidak), ``time``
    (:func:`timestamp`), ``person`` (:func:`person`) or ``u:<unit>`` (:func:`by_unit`). Empty (None, NaN)
    is blank; text that is not a number (a suppressed ``•``) is kept.

    >>> cell(300000000, "int"), cell(6166.6667, "dec1"), cell(0.45, "share"), cell(None, "rupiah"), cell("•", "int")
    ('300.000.000', '6.166,7', '45,0%', '', '•')
    >>> cell(12000.0, "rupiah", "en"), cell(59.03, "persen"), cell(datetime(2026, 11, 30, 9, 5), "time")
    ('Rp 12,000', '59,0%', '30-11-2026 09:05')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if kind == "yesno":
        return ("ya" if lang == "id" else "yes") if bool(value) else ("tidak" if lang == "id" else "no")
    if kind == "time":
        return timestamp(value, lang)  # type: ignore[arg-type]
    if kind == "person":
        return person(value, lang)
    if kind == "action":
        return action(value, lang)
    if kind == "text" or isinstance(value, str) or isinstance(value, bool):
        text = str(value)
        return "" if text in ("None", "nan", "NaN", "<NA>") else text
    try:
        v = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(value)
    if math.isnan(v):
        return ""
    if kind == "int":
        return number(v, 0, lang)
    if kind == "num":  # a whole number as such, a fraction to 2 decimals
        return number(v, 0 if v == int(v) else 2, lang)
    if kind in ("dec1", "dec2"):
        return number(v, int(kind[-1]), lang)
    if kind == "rupiah":
        return rupiah(v, lang)
    if kind == "persen":
        return percent(v, 1, lang)
    if kind == "share":
        return percent(v * 100, 1, lang)
    if kind.startswith("u:"):  # by the unit stored with an indicator
        return by_unit(v, kind[2:], lang)
    return str(value)


def display(df: pd.DataFrame, kinds: dict[str, str], lang: Lang = "id",
            headers: dict[str, str] | None = None) -> pd.DataFrame:
    """A table ready to show: the columns named in ``kinds`` written by :func:`cell`, every other
    column's empty cells blank (never ``None``/``nan``), then renamed by ``headers``."""
    import pandas as pd

    out = df.copy()
    for col in out.columns:
        kind = kinds.get(col)
        if kind is not None:
            out[col] = [cell(v, kind, lang) for v in out[col]]
        elif out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = [cell(v, "text", lang) for v in out[col]]
    return out.rename(columns=headers or {})


def kinds_by_header(df: pd.DataFrame) -> dict[str, str]:
    """How to write each number column of a table whose headers say their unit: ``(Rp)`` or ``Rp`` →
    rupiah, ``(%)``/``persen`` → percent, any other number column → :func:`cell` ``num``; a column named
    like a year (``Tahun``) stays as written.

    >>> import pandas as pd
    >>> kinds_by_header(pd.DataFrame({"Tahun": [2025], "Nilai (Rp)": [1.0], "Skala": [2.5], "Nama": ["A"]}))
    {'Nilai (Rp)': 'rupiah', 'Skala': 'num'}
    """
    import pandas as pd

    out = {}
    for col in df.columns:
        name = str(col)
        if not pd.api.types.is_numeric_dtype(df[col]) or pd.api.types.is_bool_dtype(df[col]):
            continue
        low = name.lower()
        if low in ("tahun", "year", "periode", "period", "no", "no."):
            continue
        out[name] = ("rupiah" if "rp" in re.findall(r"[a-z]+", low) else
                     "persen" if "(%)" in low or "persen" in low else "num")
    return out
