"""The leadership summary: households reached against target, income change, PCI predicate distribution,
ADKAR barrier points, interventions over the poverty pockets, budget and co-investment by source; and
the same on paper (PDF)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analytics.business import calc
from analytics.business import store as bm_store
from analytics.core import fmt
from analytics.core import store as core_store
from analytics.core.db import Database
from analytics.monitoring import adkar, pci, results, scorecard
from analytics.monitoring import graduation as graduation_mod
from analytics.monitoring import store as mon_store
from analytics.valuechain.analysis import area_codes

GOVERNMENT = calc.PUBLIC


@dataclass(frozen=True)
class Summary:
    """Everything the leadership page shows."""

    reached: float | None            # households reached, latest realisation, all chains
    reached_target: float | None     # the target for the same periods
    reached_final: float | None      # the end-of-plan target
    reached_period: str | None
    income: float | None             # additional net income per household, latest realisation (mean of chains)
    income_target: float | None
    income_period: str | None
    outreach: pd.DataFrame           # per chain: title, period, realisasi, target, final target
    pci: pd.DataFrame                # predicate, n (latest year per group)
    pci_year: int | None
    barriers: pd.DataFrame           # hambatan, n (latest period per respondent)
    budget: pd.DataFrame             # sumber, nilai, bagian
    co_investment: float | None      # share of the budget not paid by government
    interventions: pd.DataFrame      # title, kabupaten, nama, kode, lat, lon, reached
    synthetic: bool
    pci_incomplete: int = 0          # groups whose latest scorecard is incomplete: left out of ``pci``
    graduation: pd.DataFrame = field(default_factory=lambda: graduation_mod.counts(pd.DataFrame(
        columns=graduation_mod.COLUMNS)))  # households per status and period, all chains
    moved: dict[str, int] | None = None  # graduation.movement between the last two periods, all chains
    moved_periods: tuple[str, str] | None = None
    replication: pd.DataFrame = field(default_factory=pd.DataFrame)  # mon_store.replication_overview, per kabupaten


def graduation_summary(records: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, int] | None, tuple[str, str] | None]:
    """Households of every results chain by status and period, and how they moved between the last two
    periods (households are told apart by chain and code)."""
    recs = records.assign(kode_rt=records["chain_id"].astype(str) + "/" + records["kode_rt"].astype(str))
    table = graduation_mod.counts(recs)
    pers = graduation_mod.periods(recs)
    if len(pers) < 2:
        return table, None, None
    return table, graduation_mod.movement(recs, pers[-2], pers[-1]), (pers[-2], pers[-1])


def _latest(values: pd.DataFrame) -> tuple[str | None, float | None, float | None]:
    """The newest period with a realisation, its value and the target of that period."""
    real = values[(values["jenis"] == "realisasi") & (values["pilah"] == "total") & values["value"].notna()]
    if real.empty:
        return None, None, None
    per = max(real["period"], key=results.period_key)
    tgt = values[(values["jenis"] == "target") & (values["pilah"] == "total") & (values["period"] == per)]["value"]
    return per, float(real.loc[real["period"] == per, "value"].iloc[0]), (float(tgt.iloc[0]) if len(tgt) else None)


def summary(db: Database, prov: str) -> Summary:
    """Collect the leadership figures from the monitoring records and business models."""
    keys = mon_store.rc_key_indicators(db)
    values = mon_store.rc_values(db)
    chains = mon_store.rc_chains(db).set_index("id")
    rows = []
    for k in keys.itertuples():
        v = values[(values["chain_id"] == k.chain_id) & (values["ind"] == k.ind)]
        per, real, tgt = _latest(v)
        title = chains["model_title"].get(k.chain_id) or chains["title"].get(k.chain_id, "")
        rows.append({"chain_id": k.chain_id, "judul": title, "kunci": k.kunci,
                     "period": per, "realisasi": real, "target_periode": tgt if tgt is not None else np.nan,
                     "target_akhir": k.target, "baseline": k.baseline})
    key_rows = pd.DataFrame(rows, columns=["chain_id", "judul", "kunci", "period", "realisasi", "target_periode",
                                           "target_akhir", "baseline"])
    reach = key_rows[key_rows["kunci"] == "rt_terjangkau"]
    income = key_rows[(key_rows["kunci"] == "pendapatan_rt") & key_rows["realisasi"].notna()]
    r_real = reach["realisasi"].dropna()
    pci_table = pd.DataFrame(columns=["predikat", "n"])
    pci_year, pci_incomplete = None, 0
    if mon_store.pci_periods(db):  # scored on the method's reference rubric
        table, _ = scorecard.scorecard(db, pci.reference_rubric())
        latest_card = table.sort_values("period").groupby("group_id").tail(1)
        last = latest_card[latest_card["lengkap"]]  # a scorecard with indicators not yet scored is no predicate
        pci_incomplete = int((~latest_card["lengkap"]).sum())
        pci_year = int(last["period"].max()) if len(last) else None
        order = list(pci.reference_predicates()["predicate"])
        pci_table = last["predikat"].value_counts().reindex(order, fill_value=0).rename_axis("predikat").reset_index(
            name="n")
    resp, stages = mon_store.load_stages(db)
    latest = adkar.latest_per_respondent(stages, resp)
    order = list(adkar.ELEMENTS) + [adkar.ALL_REACHED]
    barriers = latest["hambatan"].value_counts().reindex(order, fill_value=0).rename_axis("hambatan").reset_index(
        name="n") if len(latest) else pd.DataFrame(columns=["hambatan", "n"])
    budget = bm_store.budget_by_source(db)
    total = float(budget["nilai"].sum()) if len(budget) else 0.0
    budget = budget.assign(bagian=budget["nilai"] / total if total else np.nan)
    co = float(budget.loc[~budget["sumber"].isin(GOVERNMENT), "nilai"].sum() / total) if total else None
    synthetic = bool(chains["is_synthetic"].any() or resp["is_synthetic"].any() or budget["is_synthetic"].any())
    return Summary(float(r_real.sum()) if len(r_real) else None,
                   float(reach.loc[r_real.index, "target_periode"].sum(min_count=1)) if len(r_real) else None,
                   float(reach["target_akhir"].sum()) if len(reach) else None,
                   max(reach["period"].dropna(), key=results.period_key) if reach["period"].notna().any() else None,
                   float(income["realisasi"].mean()) if len(income) else None,
                   float(income["target_periode"].fillna(income["target_akhir"]).mean()) if len(income) else None,
                   max(income["period"], key=results.period_key) if len(income) else None,
                   reach, pci_table, pci_year, barriers, budget.drop(columns=["is_synthetic"]), co,
                   interventions(db, reach), synthetic, pci_incomplete, *graduation_summary(mon_store.households(db)),
                   mon_store.replication_overview(db, prov))


def interventions(db: Database, reach: pd.DataFrame) -> pd.DataFrame:
    """Where the business models work: each model's POKMAS area (its ``wilayah`` codes, else its
    kabupaten) with the centre point, and the households reached by its results chain."""

    models = bm_store.bm_models(db)
    chains = mon_store.rc_chains(db)
    rows = []
    for m in models.itertuples():
        act = bm_store.load(db, int(m.id))["actors"].set_index("peran")
        codes = area_codes(act.loc["pokmas", "wilayah"]) if "pokmas" in act.index else []
        codes = codes or [m.kabupaten]
        cids = chains.loc[chains["model_id"] == m.id, "id"].tolist()
        reached = reach.loc[reach["chain_id"].isin(cids), "realisasi"].sum(min_count=1)
        for c in codes:
            rows.append({"judul": m.title, "kabupaten": m.kabupaten, "kode": c, "reached": reached})
    df = pd.DataFrame(rows, columns=["judul", "kabupaten", "kode", "reached"])
    if df.empty:
        return df.assign(nama=[], lat=[], lon=[])
    pts = core_store.area_points(db, df["kode"].tolist())
    return df.merge(pts, on="kode", how="left")


def in_pockets(sites: pd.DataFrame, pockets: pd.DataFrame | None) -> pd.DataFrame:
    """The intervention sites with the kecamatan pocket each lies in (column ``kantong``: ``HH``, ``LL``,
    ``ns``, or empty when the site is a whole kabupaten or the kecamatan was not tested). A site in a
    low-low pocket (significantly less poor than its neighbours) is one the planner should question.

    >>> import pandas as pd
    >>> sites = pd.DataFrame({"kode": ["35.07.01.2001", "35.07.02", "35.07"]})
    >>> in_pockets(sites, pd.DataFrame({"kode": ["35.07.01", "35.07.02"], "cluster": ["HH", "LL"]}))["kantong"].tolist()
    ['HH', 'LL', None]
    """
    cluster = {} if pockets is None or pockets.empty else dict(zip(pockets["kode"], pockets["cluster"], strict=False))
    kec = [k[:8] if len(k) >= 8 else None for k in sites["kode"].astype(str)]
    return sites.assign(kantong=pd.Series([cluster.get(k) if k else None for k in kec], index=sites.index,
                                          dtype=object))


def headline(s: Summary, labels: dict[str, str], lang: str = "id") -> list[tuple[str, str]]:
    """The headline figures as (label, text) pairs, for the page and the PDF."""
    def pct(a, b):
        return fmt.percent(100 * a / b, 0, lang) if a is not None and b else "–"

    return [
        (labels["reached"], f"{fmt.number(s.reached, 0, lang)} / {fmt.number(s.reached_target, 0, lang)} "
                            f"({pct(s.reached, s.reached_target)}; {s.reached_period or '–'}); "
                            f"{labels['final']} {fmt.number(s.reached_final, 0, lang)}"),
        (labels["income"], f"{fmt.rupiah(s.income, lang)} / {fmt.rupiah(s.income_target, lang)} "
                           f"({pct(s.income, s.income_target)}; {s.income_period or '–'})"),
        (labels["pci"], ", ".join(f"{r.predikat} {r.n}" for r in s.pci.itertuples())
                        + (f" ({s.pci_year})" if s.pci_year else "")
                        + (f"; {labels['pci_incomplete'].format(n=s.pci_incomplete)}"
                           if s.pci_incomplete and "pci_incomplete" in labels else "")),
        (labels["adkar"], ", ".join(f"{labels.get(f'el.{r.hambatan}', r.hambatan)} {r.n}"
                                    for r in s.barriers.itertuples() if r.n)),
        (labels["grad"], (f"{fmt.number(s.moved['naik'], 0, lang)} / "
                          f"{fmt.number(s.moved['naik'] + s.moved['tetap'] + s.moved['turun'], 0, lang)}; "
                          + labels["grad_note"].format(out=fmt.number(s.moved["keluar_miskin"], 0, lang),
                                                       a=s.moved_periods[0], b=s.moved_periods[1]))
         if s.moved and s.moved_periods else "–"),
        (labels["budget"], f"{fmt.rupiah_short(float(s.budget['nilai'].sum()), lang)}; {labels['co']} "
                           f"{fmt.percent(100 * s.co_investment, 0, lang) if s.co_investment is not None else '–'}"),
    ]


def replication_lines(s: Summary, labels: dict[str, str], lang: str = "id") -> list[str]:
    """One line per kabupaten/kota on its replication readiness, for the page and the PDF."""
    return [labels["repl_line"].format(name=r.nama, done=r.tahap_selesai, total=r.tahap_jumlah,
                                       next=r.berikutnya or labels["repl_ready"],
                                       budget=fmt.rupiah_short(r.anggaran, lang))
            for r in s.replication.itertuples()]


def headline_metrics(s: Summary, labels: dict[str, str], lang: str = "id") -> list[tuple[str, str, str]]:
    """The six headline numbers as (label, value, note) for metric cards."""
    def share(a, b):
        return fmt.percent(100 * a / b, 0, lang) if a is not None and b else "–"

    good = int(s.pci.loc[s.pci["predikat"].isin(["Teladan", "Maju"]), "n"].sum()) if len(s.pci) else 0
    top = s.barriers[s.barriers["hambatan"] != adkar.ALL_REACHED].sort_values("n", ascending=False).head(1)
    return [
        (labels["reached"], fmt.number(s.reached, 0, lang),
         labels["of_target"].format(pct=share(s.reached, s.reached_target),
                                    target=fmt.number(s.reached_target, 0, lang),
                                    period=s.reached_period or "–")),
        (labels["income"], fmt.rupiah_short(s.income, lang, 2),
         labels["of_target"].format(pct=share(s.income, s.income_target),
                                    target=fmt.rupiah_short(s.income_target, lang, 2), period=s.income_period or "–")),
        (labels["pci_good"], f"{good} / {int(s.pci['n'].sum()) if len(s.pci) else 0}",
         f"{s.pci_year or '–'}" + (f"; {labels['pci_incomplete'].format(n=s.pci_incomplete)}"
                                    if s.pci_incomplete and "pci_incomplete" in labels else "")),
        (labels["adkar_top"],
         labels.get(f"el.{top['hambatan'].iloc[0]}", "–") if len(top) and top["n"].iloc[0] else "–",
         labels["respondents"].format(n=int(top["n"].iloc[0]) if len(top) else 0)),
        (labels["grad"], f"{fmt.number(s.moved['naik'], 0, lang)} / "
                         f"{fmt.number(s.moved['naik'] + s.moved['tetap'] + s.moved['turun'], 0, lang)}"
         if s.moved else "–",
         labels["grad_note"].format(out=fmt.number(s.moved["keluar_miskin"], 0, lang), a=s.moved_periods[0],
                                    b=s.moved_periods[1]) if s.moved and s.moved_periods else ""),
        (labels["budget"], fmt.rupiah_short(float(s.budget["nilai"].sum()) if len(s.budget) else None, lang),
         labels["co_share"].format(pct=fmt.percent(100 * s.co_investment, 0, lang) if s.co_investment is not None
                                   else "–")),
    ]
