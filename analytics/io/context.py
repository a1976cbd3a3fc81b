"""What the Import page needs from the database to check a file, and tables shaped for display."""

from __future__ import annotations

from dataclasses import asdict

import pandas as pd

from analytics.core import fmt
from analytics.core import store as core_store
from analytics.core.db import Database
from analytics.core.fmt import number
from analytics.core.problems import Problem
from analytics.io.codes import AreaResolver
from analytics.io.indicator_tables import ValueColumn, new_indicator_name
from analytics.io.read import STYLES
from analytics.poverty import store as poverty_store

NUMBERS_AUTO = "otomatis"
NUMBER_CHOICES = [NUMBERS_AUTO, *STYLES.values()]


_RESOLVERS: dict[tuple[str, int, str], tuple[int, AreaResolver]] = {}


def resolver(db: Database, prov: str = "35") -> AreaResolver:
    """An area matcher over every stored area (a national table stores every province it holds), with
    ``prov`` (the province the user works in) as home for names found in several provinces, the
    kabupaten sizes and the stored crosswalk; built again only after a write (every write is audited),
    so the Import page and a series of imports reuse it."""
    key, written = (str(db.path), id(db), prov), core_store.last_write(db)
    cached = _RESOLVERS.get(key)
    if cached is not None and cached[0] == written:
        return cached[1]
    res = AreaResolver(core_store.area_table(db), home=prov)
    res.kabupaten_sizes = core_store.kabupaten_sizes(db)
    pairs = core_store.crosswalk(db)
    res.crosswalk = dict(zip(pairs["kode_bps"], pairs["kode_kemendagri"], strict=True))
    if len(_RESOLVERS) >= 8:
        _RESOLVERS.clear()
    _RESOLVERS[key] = (written, res)
    return res


def known_units(db: Database) -> dict[str, str]:
    """Indicator code → unit of the indicators already defined."""
    defs = poverty_store.indicator_defs(db)
    return dict(zip(defs["indicator"], defs["unit"], strict=False))


def columns_frame(columns: list[ValueColumn]) -> pd.DataFrame:
    """Proposed value columns as an editable table (label, include, indicator, period, scale, unit, how
    the numbers are written — ``otomatis`` or an example such as ``1.234,5`` —, checked)."""
    df = pd.DataFrame([asdict(c) for c in columns],
                      columns=["label", "indicator", "period", "scale", "unit", "include", "numbers", "confirmed"])
    df["period"] = df["period"].astype("Int64")
    df["numbers"] = df["numbers"].map(lambda s: STYLES.get(s, NUMBERS_AUTO))
    df["confirmed"] = df["confirmed"].astype(bool)
    return df[["label", "include", "indicator", "period", "scale", "unit", "numbers", "confirmed"]]


def with_names(db: Database, df: pd.DataFrame, code_col: str = "kode") -> pd.DataFrame:
    """``df`` with the stored name of each matched area next to its code."""
    names = core_store.area_names(db, df[code_col].dropna().unique().tolist())
    out = df.copy()
    out.insert(out.columns.get_loc(code_col) + 1, "nama", out[code_col].map(names))
    return out


NO_CHOICE = "—"
CHOICES = [NO_CHOICE, "saran 1", "saran 2", "saran 3"]
"""The values of an unsure feature's ``pilihan`` (shown by name: ``impor.choice.<i>``)."""

PREVIEW_KINDS = {"fitur": "int", "keyakinan": "dec2", "diperbaiki": "yesno", "baris_berkas": "int",
                 "tahun_data": "text", "nilai": "num", "jumlah_nilai": "int", "jumlah_wilayah": "int",
                 "rumah_tangga": "int", "produktif": "int", "kepala_perempuan": "int", "disabilitas": "int"}
"""How the Import page's preview tables write their columns (:func:`analytics.core.fmt.cell` kinds)."""


def shown(df: pd.DataFrame, lang: str = "id") -> pd.DataFrame:
    """A preview table as people read it: numbers written the reader's way (:data:`PREVIEW_KINDS`), empty
    cells blank, every header in the reader's language (``field.<column>``)."""
    return fmt.display(df, {c: k for c, k in PREVIEW_KINDS.items() if c in df.columns}, lang,  # type: ignore[arg-type]
                       {c: fmt.header(c, lang) for c in df.columns})  # type: ignore[arg-type]


def matched_table(db: Database, matched: pd.DataFrame) -> pd.DataFrame:
    """The matched features of a boundary preview, with the stored name of each area (for :func:`shown`)."""
    out = with_names(db, matched.drop(columns=["geometry"]))
    return out.rename(columns={"feature": "fitur", "nama_file": "nama_di_berkas", "method": "cara_cocok",
                               "repaired": "diperbaiki", "kode_file": "kode_di_berkas"})[
        ["fitur", "kode", "nama", "nama_di_berkas", "kode_di_berkas", "cara_cocok", "keyakinan", "diperbaiki"]]


def unmatched_table(unmatched: pd.DataFrame) -> pd.DataFrame:
    """The features of a boundary file matched to no area, and why (for :func:`shown`)."""
    return unmatched.rename(columns={"feature": "fitur", "value": "nama_di_berkas", "reason": "alasan"})[
        ["fitur", "nama_di_berkas", "alasan"]]


def crosswalk_table(db: Database, pairs: pd.DataFrame) -> pd.DataFrame:
    """The stored BPS-Kemendagri pairs: both codes, the desa's name, how and how sure, from which import
    (for :func:`shown`)."""
    out = with_names(db, pairs.rename(columns={"kode_kemendagri": "kode"}))
    return out.rename(columns={"kode": "kode_kemendagri", "nama": "desa", "metode": "cara_cocok",
                               "sumber": "sumber_impor"})[
        ["kode_bps", "kode_kemendagri", "desa", "cara_cocok", "keyakinan", "sumber_impor"]]


def areas_table(db: Database, areas: pd.DataFrame) -> pd.DataFrame:
    """The rows of an indicator table and the area each was matched to (for :func:`shown`)."""
    out = with_names(db, areas)
    return out.rename(columns={"file_row": "baris_berkas", "in_file": "di_berkas", "method": "cara_cocok"})[
        ["baris_berkas", "di_berkas", "kode", "nama", "cara_cocok"]]


def skipped_table(skipped: pd.DataFrame) -> pd.DataFrame:
    """The rows of an indicator table left out, and why (for :func:`shown`)."""
    return skipped.rename(columns={"file_row": "baris_berkas", "content": "isi", "reason": "alasan"})[
        ["baris_berkas", "isi", "alasan"]]


def values_table(db: Database, values: pd.DataFrame, lang: str = "id") -> pd.DataFrame:
    """The values an indicator table would store, each area and indicator by name (for :func:`shown`)."""
    defs = poverty_store.indicator_defs(db).set_index("indicator")
    column = "nama_id" if lang == "id" else "nama_en"
    first = values.drop_duplicates("indicator")
    names = {ind: str(defs.loc[ind, column]) if ind in defs.index else new_indicator_name(ind, col)
             for ind, col in zip(first["indicator"], first["column"], strict=True)}
    out = with_names(db, values).assign(indicator=lambda d: d["indicator"].map(names))
    return out.rename(columns={"indicator": "indikator", "period": "tahun_data", "value": "nilai",
                               "unit": "satuan", "file_row": "baris_berkas", "column": "kolom"})[
        ["kode", "nama", "indikator", "tahun_data", "nilai", "satuan", "baris_berkas", "kolom"]]


def unsure_table(unsure: pd.DataFrame) -> pd.DataFrame:
    """The features the crosswalk could not pair for sure, as a table to choose from: feature, the file's
    name, ``pilihan`` (one of :data:`CHOICES`, none at first), up to three suggestions as ``nama (kode),
    jarak km, skor``, and the reason."""
    def suggestion(items: list[dict], k: int) -> str:
        if len(items) <= k:
            return ""
        s = items[k]
        return f"{s['nama']} ({s['kode']}), {number(s['jarak_km'], 2)} km, skor {number(s['skor'], 2)}"

    out = pd.DataFrame({"fitur": unsure["feature"].astype(int), "nama_di_berkas": unsure["value"],
                        "pilihan": NO_CHOICE})
    for k in range(3):
        out[f"saran_{k + 1}"] = unsure["suggestions"].map(lambda items, k=k: suggestion(items, k))
    out["alasan"] = unsure["reason"]
    return out.reset_index(drop=True)


def chosen_pairs(unsure: pd.DataFrame, edited: pd.DataFrame) -> dict[int, str]:
    """Feature → the Kemendagri desa code of the suggestion chosen in the edited :func:`unsure_table`."""
    picked = dict(zip(edited["fitur"].astype(int), edited["pilihan"], strict=True))
    out = {}
    for feature, items in zip(unsure["feature"].astype(int), unsure["suggestions"], strict=True):
        choice = picked.get(feature, NO_CHOICE)
        if choice in CHOICES[1:] and CHOICES.index(choice) <= len(items):
            out[feature] = items[CHOICES.index(choice) - 1]["kode"]
    return out


def split_problems(problems: list[Problem]) -> tuple[list[str], list[str]]:
    """(errors, warnings) as sentences."""
    return ([p.text() for p in problems if p.severity == "error"],
            [p.text() for p in problems if p.severity == "warning"])


def per_province(db: Database, counted: dict[str, pd.Series]) -> pd.DataFrame:
    """How many of each series of area codes fall in each province, as a table with the province's name
    first (``counted``: column header → codes, e.g. ``{"nilai": pv.values["kode"], "wilayah": …}``); the
    provinces in code order, a province with none of any series left out."""
    parts = {label: codes.astype(str).str[:2].value_counts() for label, codes in counted.items()}
    provs = sorted(set().union(*(p.index for p in parts.values()))) if parts else []
    names = core_store.area_names(db, provs)
    out = pd.DataFrame({"provinsi": [names.get(p, p) for p in provs]})
    for label, counts in parts.items():
        out[label] = [int(counts.get(p, 0)) for p in provs]
    return out
