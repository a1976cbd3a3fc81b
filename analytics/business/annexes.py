"""The proposal annexes of a business model (Lampiran 1-7 of the Juknis APP's proposal outline) as tables,
and the per-actor summary in words; :mod:`analytics.render.documents` writes them to XLSX and DOCX."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics.business import calc
from analytics.business.calc import Evaluation, PoorHouseholds
from analytics.core import fmt
from analytics.valuechain.analysis import area_codes


def profitability_table(lines: pd.DataFrame, households: float) -> pd.DataFrame:
    """An actor's lines before and after side by side (matched by kind, description and unit), with
    subtotals, net profit, additional net income, and per household."""
    def side(scen: str) -> pd.DataFrame:
        s = lines[lines["skenario"] == scen]
        return s.assign(nilai=s["volume"] * s["harga"]).set_index(["jenis", "uraian", "satuan"])[
            ["volume", "harga", "nilai"]].groupby(level=[0, 1, 2], sort=False).sum()

    both = side("sebelum").join(side("sesudah"), how="outer", lsuffix="_sebelum", rsuffix="_sesudah")
    order = {k: i for i, k in enumerate(calc.KINDS)}
    both = both.reset_index()
    both = both.sort_values("jenis", key=lambda s: s.map(order), kind="stable")
    titles = {"pendapatan": "Pendapatan", "biaya_variabel": "Biaya variabel", "biaya_tetap": "Biaya tetap"}
    rows = []
    for kind in calc.KINDS:
        part = both[both["jenis"] == kind]
        for r in part.itertuples():
            rows.append({"kelompok": titles[kind], "uraian": r.uraian, "satuan": r.satuan,
                         "volume_sebelum": r.volume_sebelum, "harga_sebelum": r.harga_sebelum,
                         "nilai_sebelum": r.nilai_sebelum, "volume_sesudah": r.volume_sesudah,
                         "harga_sesudah": r.harga_sesudah, "nilai_sesudah": r.nilai_sesudah})
        rows.append({"kelompok": titles[kind], "uraian": f"Jumlah {titles[kind].lower()}",
                     "nilai_sebelum": part["nilai_sebelum"].sum(), "nilai_sesudah": part["nilai_sesudah"].sum()})
    b, a = calc.calculate(lines, "sebelum"), calc.calculate(lines, "sesudah")
    hh = households or 1.0
    rows += [{"kelompok": "Hasil", "uraian": "Marjin kotor", "nilai_sebelum": b.gross_margin,
              "nilai_sesudah": a.gross_margin},
             {"kelompok": "Hasil", "uraian": "Laba bersih", "nilai_sebelum": b.net_profit,
              "nilai_sesudah": a.net_profit},
             {"kelompok": "Hasil", "uraian": f"Laba bersih per rumah tangga ({fmt.number(hh)} RT)",
              "nilai_sebelum": b.net_profit / hh, "nilai_sesudah": a.net_profit / hh},
             {"kelompok": "Hasil", "uraian": "Tambahan pendapatan bersih",
              "nilai_sesudah": a.net_profit - b.net_profit},
             {"kelompok": "Hasil", "uraian": "Tambahan pendapatan bersih per rumah tangga",
              "nilai_sesudah": (a.net_profit - b.net_profit) / hh},
             {"kelompok": "Hasil", "uraian": "Titik impas volume", "nilai_sebelum": b.break_even_volume,
              "nilai_sesudah": a.break_even_volume},
             {"kelompok": "Hasil", "uraian": "Titik impas harga (Rp per unit)", "nilai_sebelum": b.break_even_price,
              "nilai_sesudah": a.break_even_price}]
    return pd.DataFrame(rows, columns=["kelompok", "uraian", "satuan", "volume_sebelum", "harga_sebelum",
                                       "nilai_sebelum", "volume_sesudah", "harga_sesudah", "nilai_sesudah"])


def intervention_design(info: pd.Series, tables: dict[str, pd.DataFrame], problems: pd.DataFrame | None,
                        names: dict[str, str]) -> pd.DataFrame:
    """Lampiran 1, Rancangan Intervensi: the model and where it works, each root cause of the value chain with the
    intervention that answers it and its partner, and each actor's part in the model (``names``: the names of the
    commodity and area codes, so the annex shows names)."""
    def named(code: object) -> str:
        return names.get(str(code), str(code))

    rows = [("Model bisnis", f"Model {info['model']}: {info['title']}", ""),
            ("Komoditas", named(info["commodity"]), ""), ("Kabupaten/kota", named(info["kabupaten"]), "")]
    if problems is not None and not problems.empty:
        texts = problems.set_index("id")["teks"]
        roots = problems[problems["akar"].fillna(False).astype(bool)]
        for r in roots.itertuples():
            above = texts.get(r.parent, "") if isinstance(r.parent, str) else ""
            rows.append(("Akar masalah", str(r.teks), f"masalah: {above}" if above else ""))
            if isinstance(r.intervensi, str) and r.intervensi.strip():
                rows.append(("Intervensi", r.intervensi.strip(),
                             f"mitra: {r.mitra.strip()}" if isinstance(r.mitra, str) and r.mitra.strip() else ""))
    for r in tables["actors"].itertuples():
        hh = f"{fmt.number(r.rumah_tangga)} rumah tangga" if r.peran == "pokmas" and r.rumah_tangga == r.rumah_tangga \
            and r.rumah_tangga else ""
        codes = area_codes(r.wilayah)
        where = f"wilayah: {', '.join(named(c) for c in codes)}" if codes else ""
        rows.append((calc.ROLE_NAMES.get(r.peran, r.peran), str(r.nama), "; ".join(x for x in (hh, where) if x)))
    return pd.DataFrame(rows, columns=["Bagian", "Uraian", "Keterangan"])


def implementation_plan(tables: dict[str, pd.DataFrame], ev: Evaluation) -> pd.DataFrame:
    """Lampiran 6, Rencana Pelaksanaan Detil: per year of the plan, the activities the budget pays (description,
    source, amount) and what the year should reach (new households, households reached, POKMAS sales volume);
    year 0 is the preparation before the first households join."""
    budget = tables["budget"]
    proj = ev.projection.set_index("tahun")
    years = sorted(set(budget["tahun"].astype(int)) | set(proj.index.astype(int))) if len(budget) else \
        sorted(proj.index.astype(int))
    rows = []
    for y in years:
        for r in budget[budget["tahun"].astype(int) == y].itertuples():
            rows.append({"Tahun ke-": y, "Kegiatan": r.uraian, "Sumber dana": r.sumber, "Nilai (Rp)": r.nilai,
                         "Sasaran": ""})
        if y in proj.index:
            p = proj.loc[y]
            rows.append({"Tahun ke-": y, "Kegiatan": "Sasaran tahun ini", "Sumber dana": "", "Nilai (Rp)": np.nan,
                         "Sasaran": f"{fmt.number(p['rt_baru'])} RT baru; {fmt.number(p['rt_terjangkau'])} RT "
                                    f"terjangkau; volume penjualan POKMAS {fmt.number(p['volume_pokmas'])}"})
    return pd.DataFrame(rows, columns=["Tahun ke-", "Kegiatan", "Sumber dana", "Nilai (Rp)", "Sasaran"])


def annexes(info: pd.Series, tables: dict[str, pd.DataFrame], ev: Evaluation,
            poor: PoorHouseholds | None, problems: pd.DataFrame | None = None,
            names: dict[str, str] | None = None) -> dict[str, pd.DataFrame]:
    """Lampiran 1 to 7 of the proposal outline (technical guideline) as tables: the intervention design (with
    the value chain's ``problems`` when the model was built on one; ``names`` of its codes), the projection, the
    POKMAS's and private partner's profitability, the outreach, the detailed implementation plan and the budget.
    The projection and returns are the adjusted ones (households that stay in business, the share of the gain
    they reach: the model's persistence table), and Lampiran 5 says so, with the unadjusted returns beside them."""
    act = tables["actors"].set_index("peran")
    proj = ev.projection
    l2 = proj.rename(columns={"tahun": "Tahun", "rt_baru": "RT baru", "rt_terjangkau": "RT terjangkau (kumulatif)",
                              "rt_aktif": "RT masih berusaha",
                              "rt_berpenghasilan": "RT setara tambahan penuh",
                              "skala": "Skala thd model", "volume_pokmas": "Volume penjualan POKMAS",
                              "penjualan_pokmas": "Nilai penjualan POKMAS (Rp)",
                              "tambahan_pendapatan_rt": "Tambahan pendapatan rumah tangga (Rp)",
                              "tambahan_laba_mitra": "Tambahan laba mitra (Rp)",
                              "tambahan_total": "Tambahan pendapatan bersih total (Rp)"})
    per_rt = float(ev.summary.set_index("peran").loc["pokmas", "tambahan_per_rt"]) if "pokmas" in act.index else np.nan
    l5 = pd.DataFrame({"Tahun": proj["tahun"], "RT baru": proj["rt_baru"],
                       "RT terjangkau (kumulatif)": proj["rt_terjangkau"], "RT masih berusaha": proj["rt_aktif"],
                       "Tambahan pendapatan per RT per tahun (Rp)": per_rt,
                       "Tambahan pendapatan RT total (Rp)": proj["tambahan_pendapatan_rt"]})
    r = ev.returns
    extra = [("Biaya program total (Rp)", r["biaya_total"]), ("Biaya per RT terjangkau (Rp)", r["biaya_per_rt"]),
             ("Tingkat diskonto", float(info["discount_rate"])), ("NPV (Rp)", r["npv"]),
             ("IRR", r["irr"] if r["irr"] is not None else r["irr_reason"]), ("Rasio manfaat-biaya (BCR)", r["bcr"]),
             ("Periode pengembalian (tahun)",
              r["payback"] if r["payback"] is not None else "tidak kembali dalam proyeksi"),
             ("Asumsi keberlanjutan usaha (angka di atas)", calc.persistence_text(tables.get("persistence")))]
    if ev.adjusted:
        full = ev.returns_full
        extra += [("NPV tanpa penyesuaian keberlanjutan (Rp)", full["npv"]),
                  ("IRR tanpa penyesuaian keberlanjutan",
                   full["irr"] if full["irr"] is not None else full["irr_reason"]),
                  ("BCR tanpa penyesuaian keberlanjutan", full["bcr"])]
    if poor is not None:
        extra += [("RT miskin produktif (desil 2-3) di wilayah sasaran", poor.households),
                  ("Wilayah dihitung", ", ".join(poor.scope)), ("Register", poor.register)]
    l5_extra = pd.DataFrame(extra, columns=["Ukuran", "Nilai"])
    budget = tables["budget"].sort_values(["tahun", "sumber"]).rename(
        columns={"tahun": "Tahun", "sumber": "Sumber", "uraian": "Uraian", "nilai": "Nilai (Rp)"})
    share = ev.sharing.rename(columns={"sumber": "Sumber", "nilai": "Nilai (Rp)", "bagian": "Bagian"})
    lev = pd.DataFrame([("Leverage (swasta ÷ pemerintah)", ev.leverage)] + [("Peringatan", w) for w in ev.warnings],
                       columns=["Sumber", "Nilai (Rp)"])
    sheets = {"Lampiran 1 Rancangan intervensi": intervention_design(info, tables, problems, names or {}),
              "Lampiran 2 Proyeksi bisnis": l2}
    for role, sheet in (("pokmas", "Lampiran 3 Profitabilitas POKMAS"), ("mitra_swasta", "Lampiran 4 Mitra swasta")):
        if role in act.index:
            sheets[sheet] = profitability_table(ev.lines[role], float(act.loc[role, "rumah_tangga"] or 1.0))
    sheets["Lampiran 5 Penjangkauan"] = pd.concat([l5, l5_extra], ignore_index=True)
    sheets["Lampiran 6 Rencana pelaksanaan"] = implementation_plan(tables, ev)
    sheets["Lampiran 7 Anggaran"] = pd.concat([budget, share, lev], ignore_index=True)
    return sheets


def as_text(df: pd.DataFrame, money: list[str], numbers: list[str] | None = None, lang: str = "id") -> pd.DataFrame:
    """A copy with Rupiah columns (``money``) and plain number columns formatted for the screen."""
    out = df.copy()
    for c in money:
        out[c] = out[c].map(lambda v: fmt.rupiah(v, lang) if v is not None and v == v else "–")
    for c in numbers or []:
        out[c] = out[c].map(lambda v: fmt.number(v, 0, lang) if v is not None and v == v else "–")
    return out


def summary_display(summary: pd.DataFrame, names: dict[str, str], role_labels: dict[str, str],
                    lang: str = "id") -> pd.DataFrame:
    """The per-actor summary as text: actor, households, net profit before and after, additional net
    income in total and per household, break-even after, and ✓/✗ for "better off than today"."""
    s = summary.assign(pelaku=[f"{role_labels.get(r, r)}: {names.get(r, '')}" for r in summary["peran"]],
                       status=np.where(summary["lebih_baik"], "✓", "✗"))
    s = as_text(s, ["laba_sebelum", "laba_sesudah", "tambahan", "tambahan_per_rt", "impas_harga"],
                ["rumah_tangga", "impas_volume"], lang)
    return s[["pelaku", "rumah_tangga", "laba_sebelum", "laba_sesudah", "tambahan", "tambahan_per_rt",
              "impas_volume", "impas_harga", "status"]]
