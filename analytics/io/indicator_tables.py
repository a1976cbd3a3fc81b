"""Indicator tables: long tables (one row per area and year), wide BPS web-table downloads (multi-row
headers with years spanning columns, a province total row, ``-`` for missing, footnote rows) and
national tables (a province column; rows of other provinces are skipped, not errors).

:func:`detect_layout` finds the header block, the area column, an optional province column and an
optional year column; :func:`propose_columns` suggests which numeric columns become which indicator and
year; :func:`preview` checks every cell and matches every area; :func:`commit` stores all or nothing.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime

import duckdb
import pandas as pd

from analytics.core import store as core_store
from analytics.core.db import Database
from analytics.core.fmt import number as fmt_number
from analytics.core.problems import ImportRejected, Problem, before_commit
from analytics.io.codes import AreaResolver, code_digits, normalise_name
from analytics.io.read import MISSING, STYLES, number_style, parse_number
from analytics.poverty import store as poverty_store

_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d|2100)(?!\d)")  # also in p0_2023
_MONTHS = ("januari", "februari", "maret", "april", "mei", "juni", "juli", "agustus", "september",
           "oktober", "november", "desember", "triwulan", "semester")
_FOOTNOTE = re.compile(r"^(catatan|sumber|keterangan|note|notes|source|\*|\d\))", re.IGNORECASE)
_TOTAL = {"total", "jumlah", "provinsi", "indonesia"}
_PERIOD_LABELS = {"tahun", "year", "periode", "period", "thn"}

# (pattern in a normalised label, indicator) – first match wins
_INDICATOR_HINTS: list[tuple[str, str]] = [
    ("p0", "p0"), ("persentasependudukmiskin", "p0"), ("persentasemiskin", "p0"), ("kemiskinanpct", "p0"),
    ("tingkatkemiskinan", "p0"), ("angkakemiskinan", "p0"), ("p1", "p1"), ("kedalamankemiskinan", "p1"),
    ("p2", "p2"), ("keparahankemiskinan", "p2"), ("gariskemiskinan", "garis_kemiskinan"),
    ("indekspembangunanmanusia", "ipm"), ("=ipm", "ipm"), ("tingkatpengangguranterbuka", "tpt"), ("=tpt", "tpt"),
    ("pdrbperkapita", "pdrb_per_kapita"),
    ("jumlahpendudukmiskin", "penduduk_miskin"), ("pendudukmiskin", "penduduk_miskin"),
    ("=miskin", "penduduk_miskin"), ("=pendudukmiskinribu", "penduduk_miskin"), ("jumlahpenduduk", "penduduk"),
    ("=penduduk", "penduduk"), ("=populasi", "penduduk"),
]


DEFAULT_UNITS = {"p0": "persen", "p1": "indeks", "p2": "indeks", "garis_kemiskinan": "Rp/kapita/bulan",
                 "penduduk": "jiwa", "penduduk_miskin": "jiwa", "ipm": "indeks", "tpt": "persen",
                 "pdrb_per_kapita": "Rp"}
"""The unit of each indicator the importer recognises by name, when the database does not define it yet."""


def _hint(norm: str) -> str | None:
    """The indicator a normalised label suggests (``=x`` hints must match exactly).

    >>> _hint("miskin"), _hint("klasifikasikemiskinan"), _hint("persentasependudukmiskinp0")
    ('penduduk_miskin', None, 'p0')
    """
    for pat, ind in _INDICATOR_HINTS:
        if (pat[1:] == norm) if pat.startswith("=") else (pat in norm):
            return ind
    return None


@dataclass(frozen=True)
class Layout:
    """Where things are in a raw table (0-based row and column indices)."""

    header_rows: tuple[int, ...]
    first_data_row: int
    labels: tuple[str, ...]
    area_col: int
    scope_col: int | None
    period_col: int | None
    name_col: int | None
    title: str


@dataclass(frozen=True)
class ValueColumn:
    """One column to import: its header label, the indicator and year it holds, a multiplier."""

    label: str
    indicator: str
    period: int | None = None
    scale: float = 1.0
    unit: str = ""
    include: bool = True
    numbers: str = "auto"      # auto, comma (1.234,5) or dot (1,234.5): how the column writes its numbers
    confirmed: bool = False    # the user checked values that look suspicious (P0 all below 1) and keeps them


@dataclass
class TablePreview:
    """What an import would store, before anything is stored."""

    file: str
    values: pd.DataFrame            # kode, nama, period, indicator, value, unit, file_row, column
    areas: pd.DataFrame             # file_row, in_file, kode, nama, method
    skipped: pd.DataFrame           # file_row, content, reason
    problems: list[Problem] = field(default_factory=list)
    number_styles: dict[str, str] = field(default_factory=dict)  # column → "1.234,5" / "1,234.5", as read
    columns: list[ValueColumn] = field(default_factory=list)     # how the columns were read (saved per source)
    mapping: object | None = None  # mappings.MappingChanges when a saved mapping was applied

    @property
    def ok(self) -> bool:
        """True when nothing blocks the commit."""
        return not any(p.severity == "error" for p in self.problems) and not self.values.empty


def _is_number(s: str) -> bool:
    try:
        return parse_number(s) is not None
    except ValueError:
        return False


def _numeric_share(row: list[str], skip: int) -> tuple[int, int]:
    cells = [c for j, c in enumerate(row) if j != skip and c != ""]
    nums = sum(1 for c in cells if c.lower() in MISSING or _is_number(c))
    return nums, len(cells)


def detect_layout(file_name: str, cells: pd.DataFrame, resolver: AreaResolver, max_cols: int = 6) -> Layout:
    """Find the header rows, the area column and the first data row of a raw table."""
    n_rows, n_cols = cells.shape
    if int((cells != "").any(axis=1).sum()) <= 1:
        raise ImportRejected([Problem(file_name, None, None, "berkas hanya berisi judul kolom, tanpa baris data")])
    best, best_col = 0, None
    for c in range(min(max_cols, n_cols)):
        col = cells[c]
        matched = set()
        for r in range(n_rows):
            v = col.iat[r]
            if v and not _is_year_only(v):
                m = resolver.resolve(v)
                if m is not None:
                    matched.add(m.kode)
        if len(matched) > best:
            best, best_col = len(matched), c
    if best_col is None:
        sample = ", ".join(f"'{v}'" for v in cells[0][cells[0] != ""].head(4))
        raise ImportRejected([Problem(
            file_name, None, None,
            "tidak ditemukan kolom berisi kode atau nama wilayah yang dikenali di provinsi yang dimuat "
            f"(isi kolom pertama: {sample or 'kosong'}); periksa bahwa berkas memuat kode Kemendagri/BPS "
            "atau nama kabupaten/kota")])
    first = None
    for r in range(n_rows):
        row = cells.iloc[r].tolist()
        if row[best_col] == "" or _is_year_only(row[best_col]):
            continue
        nums, total = _numeric_share(row, best_col)
        # a row naming a kabupaten (or a smaller area) is data even when its values are not numbers
        # ("abc", "inf", a formula without a stored value): the preview names the bad cells; taken into the
        # header, the row and its values would be lost without a word
        m = resolver.resolve(row[best_col])
        if (nums >= 1 and nums * 2 >= total) or (m is not None and len(m.kode) > 2):
            first = r
            break
    if first is None:
        raise ImportRejected([Problem(file_name, None, None, "tidak ada baris data berisi angka")])
    # A column of codes next to the names wins: BPS kecamatan/desa codes are matched by name inside
    # their kabupaten, Kemendagri codes directly; the name column is kept for that.
    data_rows = cells.iloc[first:]
    for c in range(min(max_cols, n_cols)):
        if c == best_col:
            continue
        vals = data_rows[c][data_rows[c] != ""]
        digits = vals.map(code_digits)
        if (
            len(vals)
            and digits.notna().mean() >= 0.8
            and digits.dropna().str.len().between(2, 10).all()
            and not vals.map(_is_year_only).all()
            and digits.dropna().map(resolver.plausible_code).mean() >= 0.5
        ):
            best_col, name_hint = c, best_col
            break
    else:
        name_hint = None
    header = tuple(r for r in range(first) if (cells.iloc[r] != "").any())
    counts = {r: int((cells.iloc[r] != "").sum()) for r in header}
    widest = max(counts.values(), default=0)
    title_rows = [r for r in header if counts[r] <= 2 and widest > 2]
    label_rows = [r for r in header if r not in title_rows]
    parts: list[list[str]] = [[] for _ in range(n_cols)]
    for i, r in enumerate(label_rows):
        row = cells.iloc[r].tolist()
        if i < len(label_rows) - 1:  # spanning rows (e.g. years over 13 columns): fill to the right
            last = ""
            for c in range(n_cols):
                if row[c]:
                    last = row[c]
                elif c > best_col:
                    row[c] = last
        for c in range(n_cols):
            if row[c]:
                parts[c].append(row[c])
    labels = tuple(" | ".join(p) if p else f"kolom {c + 1}" for c, p in enumerate(parts))
    title = " — ".join(v for r in title_rows for v in cells.iloc[r].tolist() if v)
    data = cells.iloc[first:]
    scope_col = period_col = name_col = None
    for c in range(n_cols):
        if c == best_col:
            continue
        col = data[c][data[c] != ""]
        if col.empty:
            continue
        if scope_col is None and col.head(2000).map(resolver.is_province_name).notna().mean() >= 0.5:
            scope_col = c
            continue
        if period_col is None and (normalise_name(labels[c]) in _PERIOD_LABELS
                                   or (col.map(_is_year_only).all() and len(col.unique()) <= 30)):
            period_col = c
            continue
        if name_col is None and not col.map(_is_number).any() and code_digits(data[best_col].iat[0]):
            name_col = c
    if name_hint is not None:
        name_col = name_hint
    return Layout(header, first, labels, best_col, scope_col, period_col, name_col, title)


def _is_year_only(v: str) -> bool:
    return bool(re.fullmatch(r"(19[5-9]\d|20\d\d)", str(v).strip()))


def propose_columns(layout: Layout, cells: pd.DataFrame, known: dict[str, str]) -> list[ValueColumn]:
    """Suggest value columns: year from the label, indicator from known names, ×1000 for "(ribu …)".

    ``known`` maps indicator code → unit. Monthly and unknown columns are proposed but not included.
    """
    data = cells.iloc[layout.first_data_row:]
    used = {layout.area_col, layout.scope_col, layout.period_col, layout.name_col}
    out = []
    for c, label in enumerate(layout.labels):
        if c in used:
            continue
        col = data[c][data[c] != ""]
        if col.empty or not col.map(_is_number).any():
            continue
        years = _YEAR.findall(label)
        norm = normalise_name(label)
        monthly = any(m in label.lower() for m in _MONTHS)
        guess = _hint(norm)
        if guess is None and layout.title:
            guess = _hint(normalise_name(layout.title))
        low = label.lower()
        scale = 1000.0 if "ribu" in low or "(000" in low else 1_000_000.0 if "juta" in low else 1.0
        if guess == "p0" or "persen" in low or "%" in low:
            scale = 1.0
        base = layout.title.split("—")[-1] if years and layout.title else label.split("|")[0]
        indicator = guess or _slug(base)
        annual = bool(years) and any(w in low for w in ("tahunan", "total", "jumlah", "setahun"))
        out.append(ValueColumn(label=label, indicator=indicator,
                               period=int(years[-1]) if years else None, scale=scale,
                               unit=known.get(indicator) or DEFAULT_UNITS.get(indicator) or _unit_from(label,
                                                                                                      layout.title),
                               include=(guess is not None or annual) and not monthly))
    return out


def _slug(label: str) -> str:
    s = re.sub(r"\(.*?\)", "", label).lower()
    s = re.sub(r"[^0-9a-z]+", "_", s).strip("_")[:40].strip("_")
    return s if re.match(r"[a-z]", s) else f"indikator_{s}".strip("_")


def _unit_from(label: str, title: str) -> str:
    for text in (label, title):
        m = re.search(r"\(([^()]+)\)\s*$", text.strip())
        if m:
            return m.group(1).strip()
    return ""


def preview(file_name: str, cells: pd.DataFrame, layout: Layout, columns: list[ValueColumn],
            resolver: AreaResolver, default_period: int | None = None) -> TablePreview:
    """Check every included cell and match every row's area; nothing is stored."""
    problems: list[Problem] = []
    label_index = {lab: i for i, lab in enumerate(layout.labels)}
    chosen = [c for c in columns if c.include]
    if not chosen:
        problems.append(Problem(file_name, None, None, "belum ada kolom nilai yang dipilih untuk diimpor"))
    for c in chosen:
        if c.label not in label_index:
            problems.append(Problem(file_name, None, c.label,
                                    "kolom ini tidak ada di berkas (terhapus atau berganti nama?); kolom yang ada: "
                                    + ", ".join(f"'{x}'" for x in layout.labels[:12])))
        if not re.fullmatch(r"[a-z][a-z0-9_]{0,39}", c.indicator or ""):
            problems.append(Problem(file_name, None, c.label,
                                    f"kode indikator '{c.indicator}' tidak sah (huruf kecil, angka, garis bawah)"))
    chosen = [c for c in chosen if c.label in label_index]
    data = cells.iloc[layout.first_data_row:]
    styles = {}
    for c in chosen:
        guess, unclear = number_style(data[label_index[c.label]].tolist())
        styles[c.label] = c.numbers if c.numbers in STYLES else guess
        if unclear and c.numbers not in STYLES:
            problems.append(Problem(file_name, None, c.label,
                                    f"angka {', '.join(repr(u) for u in unclear)} bisa dibaca sebagai ribuan atau "
                                    "sebagai pecahan desimal, dan tidak ada nilai lain di kolom ini yang memastikan; "
                                    "pilih cara penulisan angkanya (1.234,5 atau 1,234.5) di tabel kolom"))
    area_label = layout.labels[layout.area_col]
    bps = resolver.bps_coded(cells.iloc[layout.first_data_row:, layout.area_col].tolist())
    if bps:
        problems.append(Problem(file_name, None, area_label, (
            "kode desa 10 angka di kolom ini dibaca sebagai kode BPS (kebanyakan tidak dikenal sebagai kode "
            "Kemendagri): dicocokkan lewat tabel silang BPS–Kemendagri atau nama desa, juga kode yang kebetulan "
            "sama dengan kode Kemendagri desa lain"), "warning"))
    vals, areas, skipped = [], [], []
    for r in range(layout.first_data_row, len(cells)):
        row = cells.iloc[r].tolist()
        file_row = r + 1
        text = row[layout.area_col]
        first_text = next((v for v in row if v), "")
        if not first_text:
            skipped.append((file_row, "", "baris kosong"))
            continue
        if _FOOTNOTE.match(first_text) and not text:
            skipped.append((file_row, first_text[:60], "catatan kaki"))
            continue
        if _FOOTNOTE.match(text):
            skipped.append((file_row, text[:60], "catatan kaki"))
            continue
        within = None
        if layout.scope_col is not None:
            within = resolver.province_scope(row[layout.scope_col])
            if within is None:
                if normalise_name(row[layout.scope_col]) in _TOTAL or normalise_name(text) in _TOTAL:
                    skipped.append((file_row, f"{row[layout.scope_col]} / {text}", "baris total"))
                else:
                    problems.append(Problem(file_name, file_row, layout.labels[layout.scope_col],
                                            f"provinsi '{row[layout.scope_col]}' tidak dikenali"))
                continue
        if resolver.is_province_total(text) or normalise_name(text) in _TOTAL:
            skipped.append((file_row, text, "baris total provinsi"))
            continue
        if not text:
            problems.append(Problem(file_name, file_row, area_label, "kode/nama wilayah kosong"))
            continue
        digits = code_digits(text)
        if digits is not None and not resolver.in_scope(digits):
            problems.append(Problem(file_name, file_row, area_label,
                                    f"kode '{text}': tidak ada provinsi dengan kode {digits[:2]}"))
            continue
        name = row[layout.name_col] if layout.name_col is not None else None
        m = resolver.resolve(text, name, bps, within)
        if m is None:
            problems.append(Problem(file_name, file_row, area_label,
                                    f"wilayah '{text}' tidak dikenali: kode atau nama tidak ada di daftar wilayah"))
            continue
        areas.append((file_row, text, m.kode, m.method))
        row_period = None
        if layout.period_col is not None:
            ptxt = row[layout.period_col]
            if _is_year_only(ptxt):
                row_period = int(ptxt)
            else:
                problems.append(Problem(file_name, file_row, layout.labels[layout.period_col],
                                        f"'{ptxt}' bukan tahun (empat angka)"))
                continue
        for c in chosen:
            cell = row[label_index[c.label]]
            try:
                v = parse_number(cell, styles[c.label])
            except ValueError:
                why = ("rumus tanpa nilai tersimpan: buka berkas di Excel, simpan ulang, lalu unggah lagi"
                       if cell.startswith("=") else "bukan angka")
                problems.append(Problem(file_name, file_row, c.label, f"'{cell[:40]}' {why}"))
                continue
            if v is None:
                continue
            period = c.period or row_period or default_period
            if period is None:
                problems.append(Problem(file_name, file_row, c.label,
                                        "tahun tidak diketahui: isi tahun kolom ini di pratinjau"))
                continue
            vals.append((m.kode, int(period), c.indicator, v * c.scale, c.unit, file_row, c.label))
    values = pd.DataFrame(vals, columns=["kode", "period", "indicator", "value", "unit", "file_row", "column"])
    dup = values[values.duplicated(["kode", "period", "indicator"], keep=False)]
    for (kode, period, ind), g in dup.groupby(["kode", "period", "indicator"]):
        rows = g["file_row"].tolist()
        problems.append(Problem(file_name, rows[1], g["column"].iloc[1],
                                f"nilai ganda untuk wilayah {kode}, {ind} tahun {period}: sama dengan baris {rows[0]}"))
    if chosen and values.empty and not any(p.severity == "error" for p in problems):
        problems.append(Problem(file_name, None, None, "tidak ada nilai yang dapat diimpor (semua kosong)"))
    problems += _implausible(file_name, values, chosen)
    if not values.empty:
        pct = values[(values["indicator"].isin(["p0"])) & ((values["value"] < 0) | (values["value"] > 100))]
        for r in pct.head(20).itertuples():
            problems.append(Problem(file_name, r.file_row, r.column, f"persentase {_shown(r.value)} di luar 0-100"))
        counts = values[values["indicator"].isin(["penduduk", "penduduk_miskin"])
                        & values["kode"].str.fullmatch(r"\d\d\.\d\d")]
        for (ind, col), g in counts.groupby(["indicator", "column"]):
            if g["value"].median() < 1000:
                problems.append(Problem(file_name, None, col,
                                        f"jumlah {ind} per kabupaten/kota tampak terlalu kecil (median "
                                        f"{_shown(g['value'].median())}); bila angkanya dalam ribuan, isi pengali "
                                        "1000",
                                        "warning"))
        bad = values[values["unit"].str.strip() == ""]
        for label in bad["column"].unique():
            problems.append(Problem(file_name, None, label, "satuan belum diisi"))
    return TablePreview(file_name, values,
                        pd.DataFrame(areas, columns=["file_row", "in_file", "kode", "method"]),
                        pd.DataFrame(skipped, columns=["file_row", "content", "reason"]), problems,
                        {label: STYLES[s] for label, s in styles.items()}, list(columns))


_COUNTS = {"penduduk", "penduduk_miskin", "ruta", "ruta_desil_1", "ruta_desil_2", "ruta_desil_3", "ruta_desil_4"}
_NOT_NEGATIVE_UNITS = {"jiwa", "orang", "rumah tangga", "ruta", "kk", "keluarga", "persen", "%", "indeks", "ha",
                       "ton", "unit", "rp/kapita/bulan"}
_LEVELS = {2: "provinsi", 5: "kabupaten/kota", 8: "kecamatan", 13: "desa/kelurahan"}
MAX_PEOPLE = {2: 60_000_000, 5: 7_000_000, 8: 1_000_000, 13: 250_000}
"""Most people one area of each level can hold (by the length of its code): above the largest in
Indonesia (Jawa Barat about 50 million, Kab. Bogor about 5.6 million, the largest kecamatan about
half a million, the largest kelurahan about 150 thousand), so a value above it is a unit or multiplier
mistake, not a place."""


def _shown(value: float) -> str:
    """A value exactly as read, with a decimal comma (``-12``, ``100,0001``), for a message."""
    return f"{value:.10g}".replace(".", ",")


def _implausible(file_name: str, values: pd.DataFrame, chosen: list[ValueColumn]) -> list[Problem]:
    """Values no area can have (a negative count or percentage, more people than the area's level
    holds, more poor people than people) and values that need a look first (every P0 of a column
    between 0 and 1: a fraction where a percentage is meant), unless the column is marked checked."""
    out: list[Problem] = []
    if values.empty:
        return out
    by_label = {c.label: c for c in chosen}
    for label, g in values.groupby("column", sort=False):
        c = by_label[label]
        if c.indicator in _COUNTS or c.indicator in {"p0", "p1", "p2"} or c.unit.strip().lower() in _NOT_NEGATIVE_UNITS:
            for r in g[g["value"] < 0].head(10).itertuples():
                out.append(Problem(file_name, r.file_row, label, f"nilai negatif {_shown(r.value)} tidak "
                                   f"mungkin untuk {c.indicator} ({c.unit or 'tanpa satuan'})"))
        if c.indicator in _COUNTS:
            cap = g["kode"].str.len().map(MAX_PEOPLE)
            for r in g[g["value"] > cap].head(10).itertuples():
                level = len(r.kode)
                out.append(Problem(file_name, r.file_row, label,
                                   f"{fmt_number(r.value, 0)} {c.unit or 'jiwa'} untuk satu {_LEVELS[level]} di atas "
                                   f"kisaran yang mungkin (paling banyak {fmt_number(MAX_PEOPLE[level], 0)}); "
                                   "periksa pengali dan satuan kolom ini"))
        if (c.indicator == "p0" or c.unit.strip() in {"%", "persen"}) and not c.confirmed \
                and len(g) >= 3 and g["value"].between(0, 1).all() and g["value"].max() > 0:
            example = fmt_number(g["value"].iloc[0], 4)
            out.append(Problem(file_name, None, label,
                               f"semua {len(g)} nilai di antara 0 dan 1 (misalnya {example}): "
                               "tampaknya pecahan, padahal indikatornya persen. Bila pecahan, isi pengali 100; "
                               "bila memang di bawah 1%, centang 'sudah diperiksa' pada kolom ini"))
    both = values[values["indicator"].isin(["penduduk", "penduduk_miskin"])].pivot_table(
        index=["kode", "period"], columns="indicator", values="value", aggfunc="first")
    if {"penduduk", "penduduk_miskin"} <= set(both.columns):
        over = both[both["penduduk_miskin"] > both["penduduk"]]
        rows = values.set_index(["kode", "period", "indicator"])
        for kode, period in over.index[:10]:
            r = rows.loc[(kode, period, "penduduk_miskin")]
            out.append(Problem(file_name, int(r["file_row"]), str(r["column"]),
                               f"penduduk miskin {fmt_number(over.loc[(kode, period), 'penduduk_miskin'], 0)} lebih "
                               f"banyak dari penduduk {fmt_number(over.loc[(kode, period), 'penduduk'], 0)}"))
    return out


def new_indicator_name(indicator: str, column: object) -> str:
    """The name a new indicator is stored under: its column's label, or, when the label is only a year
    (a BPS wide download's ``2018 | Tahunan``), the indicator's own name from the file's title.

    >>> new_indicator_name("p0_persen", "P0 (persen)"), new_indicator_name("produksi_padi", "2018 | Tahunan")
    ('P0 (persen)', 'Produksi padi')
    """
    label = str(column).split("|")[0].strip()
    if not label or re.fullmatch(r"(19|20)\d\d", label):
        return indicator.replace("_", " ").strip().capitalize()
    return label


def commit(db: Database, role: str | None, actor: str, pv: TablePreview, source: str) -> int:
    """Store a checked preview in one transaction: new indicators defined, values of the same source,
    indicator, year and area replaced. Returns the import id. Refuses a preview with errors."""
    source = before_commit(role, pv.file, pv.problems, pv.values.empty, "nilai", source)
    known = set(poverty_store.indicator_defs(db)["indicator"])
    new_defs = (pv.values.drop_duplicates("indicator")[["indicator", "unit", "column"]]
                .loc[lambda d: ~d["indicator"].isin(known)])
    rows = pv.values[["kode", "period", "indicator", "value", "unit"]].copy()

    def fn(cur: duckdb.DuckDBPyConnection) -> int:
        iid = int(cur.execute("SELECT nextval('import_seq')").fetchone()[0])
        cur.execute("INSERT INTO imports VALUES (?, ?, ?, 'indicators', ?, ?, ?, FALSE, ?)",
                    [iid, datetime.now(), actor, source, pv.file, len(rows),
                     f"{len(pv.skipped)} baris dilewati"])
        for r in new_defs.itertuples():
            label = new_indicator_name(r.indicator, r.column)
            cur.execute("INSERT INTO indicator_defs VALUES (?, ?, ?, ?, 'sum', ?)",
                        [r.indicator, label, label, r.unit, f"Diimpor dari {pv.file}"])
        cur.register("new_vals", rows)
        cur.execute("""DELETE FROM indicators i USING new_vals n
                       WHERE i.kode = n.kode AND i.period = n.period AND i.indicator = n.indicator
                         AND i.source = ? AND NOT i.is_synthetic""", [source])
        cur.execute("INSERT INTO indicators SELECT kode, period, indicator, value, unit, ?, FALSE, ? FROM new_vals",
                    [source, iid])
        cur.unregister("new_vals")
        if pv.columns:  # the next file from this source is read the same way
            core_store.save_column_mapping(cur, source, column_records(pv.columns), pv.file, actor)
        return iid

    return db.write(actor, "import.indicators", f"{pv.file}: {len(rows)} nilai, sumber {source}", fn)


def column_records(columns: list[ValueColumn]) -> list[dict]:
    """Value columns as plain dicts (stored as JSON); the user's confirmation of suspicious values belongs
    to one file and is not kept."""
    return [{**asdict(c), "confirmed": False} for c in columns]


def with_changes(columns: list[ValueColumn], edits: pd.DataFrame) -> list[ValueColumn]:
    """Apply the preview editor's table (label, include, indicator, period, scale, unit, and, when the
    table has them, numbers and confirmed) to columns."""
    by_label = {c.label: c for c in columns}
    out = []
    for r in edits.itertuples():
        c = by_label.get(r.label)
        if c is None:
            continue
        period = None if pd.isna(r.period) else int(r.period)
        numbers = {v: k for k, v in STYLES.items()}.get(str(getattr(r, "numbers", "")), "auto")
        out.append(replace(c, include=bool(r.include), indicator=str(r.indicator).strip(), period=period,
                           scale=float(r.scale) if not pd.isna(r.scale) else 1.0, unit=str(r.unit or "").strip(),
                           numbers=numbers, confirmed=bool(getattr(r, "confirmed", False))))
    return out
