"""Value chains: actors, product flows, value added and margin shares, Sankey data, checks.

A chain is two tables:

* **actors**: ``actor`` (id), ``nama``, ``fungsi`` (one of :data:`FUNCTIONS`), ``jenis`` (one of
  :data:`TYPES`), ``jumlah`` (how many such actors), ``produksi`` (quantity produced there, for
  producers), ``perempuan`` (share of women, 0-1) and ``wilayah`` (area codes);
* **flows**: ``dari``, ``ke`` (actor ids), ``volume``, ``satuan``, ``harga`` (Rp per unit), and
  ``skenario`` (``sebelum`` / ``sesudah`` intervention).

Value added of an actor = its sales value − its purchases from the chain. Per unit, margin = average
selling price − purchases per unit (per unit bought when in and out are in the same unit, else per unit
sold, e.g. a farmer's fertiliser per kg of coffee), and its share of the final price is that margin ÷
the average price paid by consumers (FAO value-chain analysis, "share of the final price").

References
----------
* FAO (2013). *Value chain analysis for policy making* (EASYPol 129), the share of the final price and
  value added per agent.
* Panduan replikasi dan pelembagaan Keperantaraan Pasar, KOMPAK (``shared/seeds/004_…``): market-system
  map, problem tree, the Permasalahan / Penyebab / Intervensi / Mitra table.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analytics.core import edits, fmt

FUNCTIONS: tuple[str, ...] = ("input", "produksi", "pengumpulan", "pengolahan", "distribusi", "ritel", "konsumsi")
"""Chain functions, upstream to downstream."""
TYPES: tuple[str, ...] = ("umk_pokmas", "mitra_lokal", "mitra_swasta", "fungsi_pendukung", "lingkungan_bisnis",
                          "konsumen")
"""Actor types of the market-linkage method (UMK/POKMAS, local partner, private partner, supporting
function, business environment) plus consumers."""
SCENARIOS: tuple[str, ...] = ("sebelum", "sesudah")


@dataclass(frozen=True)
class Check:
    """A finding about a chain: ``error`` blocks saving, ``warning`` is shown beside the chain."""

    severity: str
    row: int | None
    message: str
    column: str | None = None  # the table column at fault, when one is


def check(actors: pd.DataFrame, flows: pd.DataFrame, tolerance: float = 0.01) -> list[Check]:
    """Flows must connect existing actors with positive volume and a price; per scenario, an actor should
    not send out more product than it receives plus what it produces (a warning, with the amounts)."""
    out: list[Check] = []
    ids = set(actors["actor"])
    names = dict(zip(actors["actor"], actors["nama"], strict=False)) if "nama" in actors else {}

    def who(code: object) -> str:  # an actor by name, with the code the table holds
        name = names.get(code)
        return f"{name} ({code})" if isinstance(name, str) and name.strip() else str(code)

    if actors["actor"].duplicated().any():
        out.append(Check("error", None,
                         "Kode pelaku ganda: " + ", ".join(actors.loc[actors["actor"].duplicated(), "actor"])))
    bad_fn = actors[~actors["fungsi"].isin(FUNCTIONS)]
    for r in bad_fn.itertuples():
        out.append(Check("error", int(r.Index) + 1, f"fungsi '{r.fungsi}' tidak dikenal untuk pelaku {who(r.actor)}"))
    for i, r in enumerate(flows.itertuples(), start=1):
        for end in ("dari", "ke"):
            if getattr(r, end) not in ids:
                out.append(Check("error", i,
                                 f"aliran ke-{i}: pelaku '{getattr(r, end)}' ({end}) tidak ada di daftar pelaku"))
        if r.dari == r.ke:
            out.append(Check("error", i, f"aliran ke-{i}: pelaku mengalir ke dirinya sendiri: {who(r.dari)}"))
        if not (pd.notna(r.volume) and r.volume > 0):
            out.append(Check("error", i, f"aliran ke-{i}: volume harus lebih dari 0", "volume"))
        if not (pd.notna(r.harga) and r.harga >= 0):
            out.append(Check("error", i, f"aliran ke-{i}: harga belum diisi atau negatif", "harga"))
    if any(c.severity == "error" for c in out):
        return out
    produced = actors.set_index("actor")["produksi"].fillna(0) if "produksi" in actors else pd.Series(dtype=float)
    fn = actors.set_index("actor")["fungsi"]
    for scen, f in flows.groupby("skenario"):
        q_in = f.groupby("ke")["volume"].sum()
        q_out = f.groupby("dari")["volume"].sum()
        for actor, q in q_out.items():
            have = q_in.get(actor, 0.0) + produced.get(actor, 0.0)
            if fn.get(actor) == "input" and have == 0:
                continue  # input suppliers bring products from outside the chain
            if q > have * (1 + tolerance) + 1e-9:
                out.append(Check("warning", None,
                                 f"{scen}: pelaku {who(actor)} mengirim {fmt.number(q)} padahal "
                                 f"menerima/memproduksi {fmt.number(have)}"))
    return out


def margins(actors: pd.DataFrame, flows: pd.DataFrame, scenario: str = "sebelum") -> pd.DataFrame:
    """Per actor in one scenario: quantities and values in and out, value added, average buying and
    selling prices, unit margin and its share of the final (consumer) price."""
    f = flows[flows["skenario"] == scenario].assign(nilai=lambda d: d["volume"] * d["harga"])
    rows = []
    consumers = set(actors.loc[actors["fungsi"] == "konsumsi", "actor"])
    to_cons = f[f["ke"].isin(consumers)]
    final_price = to_cons["nilai"].sum() / to_cons["volume"].sum() if len(to_cons) else np.nan
    for a in actors.itertuples():
        fin, fout = f[f["ke"] == a.actor], f[f["dari"] == a.actor]
        q_in, v_in, q_out, v_out = fin["volume"].sum(), fin["nilai"].sum(), fout["volume"].sum(), fout["nilai"].sum()
        same_unit = len(set(fin["satuan"]) | set(fout["satuan"])) <= 1
        # purchases per unit bought, or (inputs in other units, e.g. fertiliser for coffee) per unit sold
        if q_in and same_unit:
            buy = v_in / q_in
        elif q_out:
            buy = v_in / q_out
        else:
            buy = np.nan
        sell = v_out / q_out if q_out else np.nan
        unit_margin = sell - buy if q_out else np.nan
        rows.append({"actor": a.actor, "nama": a.nama, "fungsi": a.fungsi, "jenis": a.jenis,
                     "volume_masuk": q_in, "nilai_masuk": v_in, "volume_keluar": q_out, "nilai_keluar": v_out,
                     "nilai_tambah": v_out - v_in if q_out else np.nan, "harga_beli": buy, "harga_jual": sell,
                     "marjin_per_unit": unit_margin,
                     "bagian_harga_akhir": unit_margin / final_price if final_price and final_price == final_price
                     and unit_margin == unit_margin else np.nan})
    out = pd.DataFrame(rows)
    out["harga_akhir"] = final_price
    order = {fn: i for i, fn in enumerate(FUNCTIONS)}
    return out.sort_values("fungsi", key=lambda s: s.map(order), kind="stable").reset_index(drop=True)


def margin_by_type(table: pd.DataFrame) -> pd.DataFrame:
    """Value added and share of the final price summed per actor type (consumers left out)."""
    t = table[table["fungsi"] != "konsumsi"]
    return (t.groupby("jenis", as_index=False)[["nilai_tambah", "bagian_harga_akhir"]].sum(min_count=1)
            .sort_values("nilai_tambah", ascending=False).reset_index(drop=True))


def sankey_data(actors: pd.DataFrame, flows: pd.DataFrame, scenario: str = "sebelum",
                measure: str = "volume") -> dict[str, list]:
    """Nodes (actor names, upstream first) and links (source, target, value) of one scenario, by
    ``volume`` or by ``nilai`` (volume × price)."""
    f = flows[flows["skenario"] == scenario]
    order = {fn: i for i, fn in enumerate(FUNCTIONS)}
    a = actors.assign(_o=actors["fungsi"].map(order)).sort_values(["_o", "actor"], kind="stable")
    used = set(f["dari"]) | set(f["ke"])
    a = a[a["actor"].isin(used)]
    index = {actor: i for i, actor in enumerate(a["actor"])}
    values = f["volume"] * (f["harga"] if measure == "nilai" else 1)
    return {"labels": a["nama"].tolist(), "actors": a["actor"].tolist(),
            "source": [index[x] for x in f["dari"]], "target": [index[x] for x in f["ke"]],
            "value": [float(v) for v in values]}


# pragma: no mutate start, outside the calculation core: drops empty edited rows
def clean_table(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    key = {"actors": "actor", "flows": "dari", "system": "nama", "problems": "id"}[name]
    return edits.clean(frame, COLUMNS[name], key)
# pragma: no mutate end


def area_codes(text: object) -> list[str]:
    """Area codes listed in an actor's ``wilayah`` cell (comma, semicolon or space separated).

    >>> area_codes("35.11.07, 35.11;35.78"), area_codes(None)
    (['35.11.07', '35.11', '35.78'], [])
    """
    if not isinstance(text, str):
        return []
    return [c for c in text.replace(";", ",").replace(" ", ",").split(",") if c.strip()]


# pragma: no mutate start, outside the calculation core: input validation of edited tables
def validate(name: str, frame: pd.DataFrame, actors: pd.DataFrame,
             known_areas: set[str] | None = None) -> list[Check]:
    """Checks of one table against the chain's actors (errors block saving); actor locations must be
    known area codes when ``known_areas`` is given."""
    out: list[Check] = []
    if name == "actors":
        flows = pd.DataFrame(columns=COLUMNS["flows"])
        out += check(frame, flows)
        for i, r in enumerate(frame.itertuples(), start=1):
            if r.jenis not in TYPES:
                out.append(Check("error", i, f"baris {i}: jenis pelaku '{r.jenis}' tidak dikenal"))
            unknown = [c for c in area_codes(r.wilayah) if known_areas is not None and c not in known_areas]
            if unknown:
                out.append(Check("error", i, f"baris {i}: kode wilayah {', '.join(unknown)} tidak dikenal "
                                                        "(pakai kode Kemendagri bertitik, mis. 35.11.07)"))
    elif name == "flows":
        for i, r in enumerate(frame.itertuples(), start=1):
            if r.skenario not in SCENARIOS:
                out.append(Check("error", i, f"aliran ke-{i}: skenario harus 'sebelum' atau 'sesudah'"))
            if not isinstance(r.satuan, str) or not r.satuan:
                out.append(Check("error", i, f"aliran ke-{i}: satuan belum diisi"))
        out += check(actors, frame)
    elif name == "system":
        ids = set(actors["actor"])
        for i, r in enumerate(frame.itertuples(), start=1):
            if r.lapisan not in ("pendukung", "aturan"):
                out.append(Check("error", i, f"baris {i}: lapisan harus 'pendukung' atau 'aturan'"))
            if isinstance(r.terkait, str) and r.terkait and r.terkait not in ids:
                out.append(Check("error", i, f"baris {i}: pelaku terkait '{r.terkait}' tidak ada"))
    elif name == "problems":
        ids = set(frame["id"].astype(str))
        if frame["id"].duplicated().any():
            out.append(Check("error", None, "kode masalah ganda"))
        for i, r in enumerate(frame.itertuples(), start=1):
            if isinstance(r.parent, str) and r.parent and r.parent not in ids:
                out.append(Check("error", i, f"baris {i}: induk '{r.parent}' tidak ada"))
        if (frame["parent"].isna() | (frame["parent"].astype(str).str.strip() == "")).sum() == 0 and len(frame):
            out.append(Check("error", None, "pohon masalah butuh satu masalah inti (tanpa induk)"))
    return out
# pragma: no mutate end


# pragma: no mutate start, outside the calculation core: text table for the guideline annex
def guideline_table(problems: pd.DataFrame) -> pd.DataFrame:
    """The four-column table of the technical guideline, one row per chosen root cause:
    Permasalahan (the core problem above it) / Penyebab (akar masalah) / Intervensi / Mitra potensial."""
    by_id = problems.set_index("id")
    rows = []
    for r in problems[problems["akar"].fillna(False).astype(bool)].itertuples():
        parent = r.parent if isinstance(r.parent, str) and r.parent in by_id.index else None
        rows.append({"Permasalahan": by_id.loc[parent, "teks"] if parent else r.teks,
                     "Penyebab (akar masalah)": r.teks, "Intervensi": r.intervensi or "",
                     "Mitra potensial": r.mitra or ""})
    return pd.DataFrame(rows, columns=["Permasalahan", "Penyebab (akar masalah)", "Intervensi", "Mitra potensial"])
# pragma: no mutate end


# pragma: no mutate start, outside the calculation core: drops empty edited rows
def draft(frame: pd.DataFrame) -> pd.DataFrame:
    """An edited flow table as it would be saved (empty rows dropped), for checking and drawing before
    saving."""
    return clean_table("flows", frame)
# pragma: no mutate end


COLUMNS: dict[str, list[str]] = {
    "actors": ["actor", "nama", "fungsi", "jenis", "jumlah", "produksi", "perempuan", "wilayah", "catatan"],
    "flows": ["skenario", "dari", "ke", "volume", "satuan", "harga"],
    "system": ["lapisan", "kategori", "nama", "terkait", "catatan"],
    "problems": ["id", "parent", "teks", "akar", "intervensi", "mitra"],
}
