"""Matching area codes and names in uploaded files to the stored areas.

Accepted forms:

* Kemendagri dotted (``35.07.10.2010``) or undotted (``3507102010``; 2/4/6/10 digits);
* BPS codes: the same digits as Kemendagri for provinces and kabupaten/kota (``3507``); below that BPS
  numbers kecamatan with 3 digits (``3507010``) and desa with 3 more (``3507010001``), which do **not**
  map to Kemendagri by reformatting, so such rows are matched by name inside their kabupaten;
* names, as a fallback: ``Kab. Malang``, ``Kabupaten Malang``, ``Malang`` (a plain name means the
  kabupaten, as in BPS tables), ``Kota Malang``; spacing and punctuation are ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

import pandas as pd

from analytics.core.regions import dot_code

_PREFIX = re.compile(
    r"^(provinsi|prov\.?|kabupaten administrasi|kab\.? adm\.?|kabupaten|kab\.?|kota administrasi|kota adm\.?|"
    r"kota|kecamatan|kec\.?|"
    r"kelurahan|kel\.?|desa|ds\.?)\s+", re.IGNORECASE)
_KOTA = re.compile(r"^kota\b", re.IGNORECASE)
_KAB = re.compile(r"^(kabupaten|kab\.?)\s", re.IGNORECASE)


@lru_cache(maxsize=200_000)  # the same 27,000 area names are matched at every import
def normalise_name(name: str) -> str:
    """Lower case, prefixes (Kabupaten, Kab., Kota, Kecamatan, Desa…) and non-letters removed.

    >>> normalise_name("Kab. Urek - Urek"), normalise_name("KOTA  Batu")
    ('urekurek', 'batu')
    """
    s = str(name).strip()
    while True:
        new = _PREFIX.sub("", s)
        if new == s:
            break
        s = new
    return re.sub(r"[^0-9a-z]", "", s.lower())


_OLD_SPELLINGS = (("oe", "u"), ("tj", "c"), ("dj", "j"), ("ch", "kh"), ("j", "y"))
_DOUBLED = re.compile(r"([a-z])\1+")
_REJO = re.compile(r"(?<=[a-z])re?y(?=o)")  # Banjarejo / Banjarjo -> banyaryo (not -rojo: another word)


@lru_cache(maxsize=200_000)
def spelling_key(name: str) -> str:
    """:func:`normalise_name` with the old and variant spellings of Indonesian place names folded
    together, for comparing names, never for showing them: ``oe``/``u`` (Soewandi spelling), ``tj``/``c``,
    ``dj``/``j``, ``j``/``y``, ``ch``/``kh``, doubled letters, and ``-rejo``/``-rjo``.

    >>> spelling_key("Banjarjo") == spelling_key("Banjarejo"), spelling_key("TJANDI") == spelling_key("Candi")
    (True, True)
    """
    s = normalise_name(name)
    for old, new in _OLD_SPELLINGS:
        s = s.replace(old, new)
    s = _DOUBLED.sub(r"\1", s)
    return _REJO.sub("ry", s)


def says_kota(name: str) -> bool | None:
    """True for 'Kota X', False for 'Kabupaten X'/'Kab. X', None for a plain name."""
    s = str(name).strip()
    if _KOTA.match(s):
        return True
    if _KAB.match(s):
        return False
    return None


def code_digits(value: str) -> str | None:
    """The code's digits if the text looks like a code (digits with optional dots), else None.

    >>> code_digits("35.07"), code_digits(" 3507 "), code_digits("Malang"), code_digits("3507.0")
    ('3507', '3507', None, '3507')
    """
    s = str(value).strip()
    if s.endswith(".0") and s[:-2].isdigit():  # a code read as a number by a spreadsheet
        s = s[:-2]
    if not s or not re.fullmatch(r"[0-9][0-9.]*", s):
        return None
    return s.replace(".", "")


def mostly_bps(ten_digit: int, kemendagri: int) -> bool:
    """Whether a column with ``ten_digit`` ten-digit desa codes, ``kemendagri`` of them known Kemendagri
    codes, is written in BPS codes: more of them unknown to Kemendagri than known.

    >>> mostly_bps(6, 1), mostly_bps(6, 3), mostly_bps(0, 0)
    (True, False, False)
    """
    return ten_digit > 0 and 2 * kemendagri < ten_digit


FORMER_NAMES: dict[str, tuple[str, ...]] = {
    "12.12": ("Toba Samosir",),                # renamed Toba (2020)
    "61.02": ("Pontianak",),                   # Kabupaten Pontianak, renamed Mempawah (2014)
    "63.02": ("Kota Baru",),                   # Kabupaten Kotabaru, often written in two words
    "64.11": ("Mahakam Hulu",),                # Kemendagri writes Mahakam Ulu
    "71.09": ("Siau Tagulandang Biaro", "Kepulauan Siau Tagulandang Biaro"),  # Kemendagri: Kep. Siau …
    "76.01": ("Mamuju Utara",),                # renamed Pasangkayu (2017)
    "81.03": ("Maluku Tenggara Barat",),       # renamed Kepulauan Tanimbar (2019)
}
"""Kabupaten/kota names still found in BPS tables (former names, other spellings) → Kemendagri code."""

PROVINCE_ALIASES: dict[str, tuple[str, ...]] = {
    "diyogyakarta": ("34",), "yogyakarta": ("34",), "diy": ("34",),
    "dkijakarta": ("31",), "jakarta": ("31",), "dki": ("31",),
    "kepbangkabelitung": ("19",), "bangkabelitung": ("19",), "babel": ("19",),
    "kepriau": ("21",), "kepri": ("21",),
    "papua": ("91", "93", "94", "95"),          # Papua before the 2022 split (and Papua itself since)
    "papuabarat": ("92", "96"),                 # Papua Barat before Papua Barat Daya was split off (2022)
}
"""Province names as tables write them (abbreviations, names before the 2022 Papua split) → the
province codes a row of that name may belong to today."""


@dataclass(frozen=True)
class Match:
    """A matched area and how it was matched."""

    kode: str
    method: str  # 'kode', 'kode BPS + nama', 'nama'


class AreaResolver:
    """Resolves codes and names against the stored areas of the loaded province(s)."""

    def __init__(self, areas: pd.DataFrame, home: str | None = None) -> None:
        """``areas``: columns kode, nama, level, is_kota, and (optionally) lon, lat of the official centre
        point; ``home``: the province the user works in, which a name found in several provinces (and a
        kecamatan named without its province) is taken from; ``kabupaten_sizes``: polygon area of each
        kabupaten (square degrees), when known."""
        self.areas = areas
        self.home = home
        self.kabupaten_sizes: dict[str, float] = {}
        self.crosswalk: dict[str, str] = {}  # BPS desa code (ten digits) -> Kemendagri desa (stored pairs)
        self.codes = set(areas["kode"])
        self.provinces = set(areas.loc[areas["level"] == "provinsi", "kode"])
        self.prov_names = {normalise_name(n): k for k, n in
                           zip(areas.loc[areas["level"] == "provinsi", "kode"],
                               areas.loc[areas["level"] == "provinsi", "nama"], strict=False)}
        self._aliases: dict[str, tuple[str, ...]] = {}
        for alias, codes in PROVINCE_ALIASES.items():
            known = tuple(c for c in codes if c in self.provinces)
            if known:
                self._aliases[alias] = known

    @cached_property
    def centres(self) -> dict[str, tuple[float, float]]:
        """Official centre point (lon, lat) of each area that has one (built on first use: a register
        import needs none of the country's 91,599)."""
        if not {"lon", "lat"} <= set(self.areas.columns):
            return {}
        known = self.areas.dropna(subset=["lon", "lat"])
        return dict(zip(known["kode"], zip(known["lon"], known["lat"], strict=True), strict=True))

    @cached_property
    def _by_name(self) -> dict[tuple[str, str], list[tuple[str, bool]]]:
        """(level, normalised name) → [(code, is_kota)], former names included (built on first use)."""
        out: dict[tuple[str, str], list[tuple[str, bool]]] = {}
        a = self.areas
        for k, n, lvl, kota in zip(a["kode"].tolist(), a["nama"].tolist(), a["level"].tolist(),
                                   a["is_kota"].tolist(), strict=False):
            out.setdefault((lvl, normalise_name(n)), []).append((k, bool(kota)))
        for k, names in FORMER_NAMES.items():
            if k in self.codes:
                for n in names:
                    out.setdefault(("kabupaten", normalise_name(n)), []).append((k, False))
        return out

    # -------------------------------------------------------------- codes
    def in_scope(self, digits: str) -> bool:
        """Whether a code's province is loaded."""
        return digits[:2] in self.provinces

    def plausible_code(self, digits: str) -> bool:
        """Whether a string of digits is a known area code, or a BPS kecamatan/desa code (7 or 10 digits)
        of a known kabupaten: what tells a column of codes from a column of numbers.

        (``7148`` rupiah is not a code although 71 is a province's.)"""
        if len(digits) in (2, 4, 6, 10) and dot_code(digits) in self.codes:
            return True
        return len(digits) in (7, 10) and dot_code(digits[:4]) in self.codes

    def bps_coded(self, values: list[str]) -> bool:
        """Whether a column's ten-digit desa codes are BPS codes: more of them are unknown to Kemendagri
        than known. Decided per column, because a BPS code can equal another desa's Kemendagri code
        (BPS 3578141002 is Bringin in Sambikerep; Kemendagri 35.78.14.1002 is in Tandes)."""
        ten = [d for v in values if (d := code_digits(v)) is not None and len(d) == 10]
        return mostly_bps(len(ten), sum(dot_code(d) in self.codes for d in ten))

    def by_code(self, value: str, name: str | None = None, bps: bool = False) -> Match | None:
        """Resolve a code (Kemendagri dotted/undotted, or BPS with a name for kecamatan/desa). With
        ``bps``, a ten-digit code is read as BPS's even when it equals a Kemendagri code."""
        digits = code_digits(value)
        if digits is None:
            return None
        if len(digits) in (2, 4, 6, 10) and not (bps and len(digits) == 10):
            dotted = dot_code(digits)
            if dotted in self.codes:
                return Match(dotted, "kode")
        if len(digits) == 10 and digits in self.crosswalk:  # a BPS desa code paired by an earlier import
            return Match(self.crosswalk[digits], "kode BPS (tabel silang)")
        if len(digits) in (7, 10) and name is not None:  # BPS kecamatan / desa: name inside the kabupaten
            level = "kecamatan" if len(digits) == 7 else "desa"
            m = self.by_name(name, level=level, within=dot_code(digits[:4]))
            if m is not None:
                return Match(m.kode, "kode BPS + nama")
        return None

    # -------------------------------------------------------------- names
    def by_name(self, name: str, level: str | None = None,
                within: str | tuple[str, ...] | None = None) -> Match | None:
        """Resolve a name at ``level`` (default: kabupaten, then a kecamatan unique in the province),
        inside the area (or areas) ``within`` when given.

        Kabupaten and Kota of the same name (Kediri, Malang, Blitar, Madiun, Mojokerto, Pasuruan,
        Probolinggo) are told apart by the prefix; a plain name means the kabupaten. A kabupaten name
        found in several provinces is the home province's; a kecamatan named without its province is
        looked for in the home province only (kecamatan names repeat across the country).
        """
        norm = normalise_name(name)
        if not norm:
            return None
        if isinstance(within, str):
            within = (within,)
        levels = [level] if level else ["kabupaten", "kecamatan"]
        for lvl in levels:
            cands = self._by_name.get((lvl, norm), [])
            scope = within or ((self.home,) if self.home and lvl in ("kecamatan", "desa") else None)
            if scope:
                prefixes = tuple(w + "." for w in scope)
                cands = [c for c in cands if c[0].startswith(prefixes)]
            if lvl == "kabupaten" and len(cands) > 1:
                kota = says_kota(name)
                cands = [c for c in cands if c[1] == bool(kota)]
            if len(cands) > 1 and self.home and not within:
                cands = [c for c in cands if c[0].startswith(self.home + ".")]
            if len(cands) == 1:
                return Match(cands[0][0], "nama")
        return None

    def is_province_name(self, name: str) -> str | None:
        """The province code if ``name`` is a loaded province's name or a usual short form of it (e.g. a
        total row)."""
        norm = normalise_name(name)
        return self.prov_names.get(norm) or self._aliases.get(norm, (None,))[0]

    def is_province_total(self, text: str) -> bool:
        """Whether an area cell names a province (a total row), not the kabupaten of the same name:
        ``Provinsi Gorontalo`` and ``Jambi`` (only a Kota Jambi exists) are totals; ``Gorontalo``, with
        a Kabupaten Gorontalo in that province, and ``Kota Gorontalo`` are not."""
        code = self.is_province_name(text)
        if code is None:
            return False
        if re.match(r"^\s*prov", str(text), re.IGNORECASE):
            return True
        if says_kota(text) is not None:
            return False
        return not any(not kota and k.startswith(code + ".")
                       for k, kota in self._by_name.get(("kabupaten", normalise_name(text)), []))

    def province_scope(self, name: str) -> tuple[str, ...] | None:
        """The loaded province(s) a row of a national table's province column belongs to: its name, an
        abbreviation (``DI Yogyakarta``, ``Kep. Bangka Belitung``) or a name from before the 2022 Papua
        split (``Papua`` also covers Papua Selatan, Tengah and Pegunungan)."""
        norm = normalise_name(name)
        code = self.prov_names.get(norm)
        if code is not None:
            return (code, *(c for c in self._aliases.get(norm, ()) if c != code))
        return self._aliases.get(norm)

    def resolve(self, value: str, name: str | None = None, bps: bool = False,
                within: tuple[str, ...] | None = None) -> Match | None:
        """A code first (ten digits read as BPS's with ``bps``), then a name (inside ``within``)."""
        if code_digits(value) is not None:
            return self.by_code(value, name, bps)
        return self.by_name(value, within=within)
