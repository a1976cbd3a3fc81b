"""ADKAR (Awareness, Desire, Knowledge, Ability, Reinforcement) of the ICRAF P&E guideline: behaviour
change per respondent and actor group, indicators scored 0 kurang / 1 cukup / 2 sempurna.

Stage reached and barrier point follow Hiatt's ADKAR: the elements are climbed in order; by the method's
reading (:data:`READINGS` ``setiap``, the default) an element is reached when every scored indicator of it
has at least ``threshold`` (1 = cukup) and at least one is scored; by the lenient reading (``rata``) when
the mean of its scored indicators reaches ``threshold``. The *barrier point* is the first element not
reached. The maximum score counts every indicator of the actor group's questionnaire (2 each), answered
or not, and a questionnaire with unanswered indicators is marked incomplete. Elements the method gives no indicator
for, for an actor group, are skipped. The guideline scores the D/K/A block together; the element of each
indicator comes from the method extract's ``adkar_element_inferred`` (an indicator marked
"Knowledge+Ability" counts for both).

Supporters and barriers ("who helps whom") are stored as links and drawn as a network; the most central
supporters are those who support the most actors directly, then those most often between others.

References
----------
* Pedoman P&E Model Bisnis Sosial Berbasis Agroforestri, ICRAF (``shared/seeds/003_…``; tables in
  ``method/``): ADKAR questionnaires for four actor groups, scores 0/1/2.
* Hiatt, J. M. (2006). *ADKAR: a model for change in business, government and our community*. Prosci.
"""

from __future__ import annotations

from functools import lru_cache

import networkx as nx
import numpy as np
import pandas as pd

from analytics.core.files import read_table
from analytics.core.problems import ImportRejected, Problem
from analytics.monitoring.pci import METHOD
from analytics.monitoring.results import check_period, period_key

ELEMENTS: tuple[str, ...] = ("Awareness", "Desire", "Knowledge", "Ability", "Reinforcement")
GROUPS: dict[str, str] = {
    "petani": "Petani/ Kelompok tani",
    "pembeli": "Pedagang pengumpul/ pembeli",
    "pendukung": "Lembaga/ individu pendukung (fungsi pendukung)",
    "keuangan": "Lembaga keuangan/ pembiayaan (pemilik modal)",
}
"""Actor groups of the method: farmers, buyers/collectors, supporting functions, financial institutions."""
ALL_REACHED = "—"
READINGS: tuple[str, ...] = ("setiap", "rata")
"""When an element is reached: ``setiap`` (the method's: every scored indicator at least the threshold) or
``rata`` (lenient: the mean of its scored indicators at least the threshold)."""


@lru_cache(maxsize=1)
def indicators() -> pd.DataFrame:
    """The method's ADKAR indicators (target rows left out): group (key of :data:`GROUPS`), target code
    and text, stage heading, indicator text and code, and the elements it counts for."""
    df = pd.read_csv(METHOD / "adkar_indicators.csv")
    df = df[df["indicator_code"].notna()].copy()
    back = {v: k for k, v in GROUPS.items()}
    df["group"] = df["actor_group"].map(back)
    df["elements"] = df["adkar_element_inferred"].fillna("").map(
        lambda s: tuple(e for e in ELEMENTS if e in s.split("+")) if s else ())
    return df[["group", "target_code", "behaviour_target", "adkar_stage", "indicator", "indicator_code",
               "elements", "information_needed", "question_numbers"]].reset_index(drop=True)


@lru_cache(maxsize=8)
def group_elements(group: str) -> tuple[str, ...]:
    """The elements the method gives indicators for, for an actor group, in ADKAR order."""
    ind = indicators()
    have = {e for es in ind.loc[ind["group"] == group, "elements"] for e in es}
    return tuple(e for e in ELEMENTS if e in have)


def stages(scores: pd.DataFrame, respondents: pd.DataFrame, threshold: int = 1,
           reading: str = "setiap") -> pd.DataFrame:
    """Per respondent and period: the score per element (mean of its scored indicators), which
    elements are reached (by ``reading``, :data:`READINGS`), the stage reached (how many elements in a row
    from Awareness), the barrier point, the total score out of the maximum of the group's whole
    questionnaire (``maks``; for a group the method does not know, of the indicators scored), and how many
    of the questionnaire's ``indikator`` were ``dijawab`` (answered).

    ``scores``: respondent_id, period, indicator_code, score; ``respondents``: id, actor_group (key)."""
    if reading not in READINGS:
        raise ValueError(f"Cara membaca tahap '{reading}' tidak dikenal ({', '.join(READINGS)}).")
    cols = [
        "respondent_id",
        "period",
        "actor_group",
        "tahap",
        "tahap_dari",
        "tercapai",
        "hambatan",
        "total",
        "maks",
        "dijawab",
        "indikator",
    ] + [f"skor_{e}" for e in ELEMENTS]
    if scores.empty:
        return pd.DataFrame(columns=cols)
    ind = indicators()[["indicator_code", "elements"]].explode("elements").dropna()
    keys = ["respondent_id", "period"]
    per_el = scores.merge(ind, on="indicator_code").groupby(keys + ["elements"])["score"].agg(["mean", "min"])
    low = per_el["min"].unstack("elements").reindex(columns=list(ELEMENTS))
    mean = per_el["mean"].unstack("elements").reindex(columns=list(ELEMENTS))
    totals = scores.groupby(keys)["score"].agg(["sum", "count"])
    out = totals.join(low, how="left").reset_index()
    mean = mean.reindex(pd.MultiIndex.from_frame(out[keys]))
    group = out["respondent_id"].map(respondents.set_index("id")["actor_group"])
    # per row: which elements the actor group has (others are skipped), which are reached
    has = np.array([[e in group_elements(g) if g in GROUPS else True for e in ELEMENTS] for g in group], dtype=bool) \
        if len(out) else np.zeros((0, len(ELEMENTS)), dtype=bool)
    lows = out[list(ELEMENTS)].to_numpy(dtype=float) if reading == "setiap" else mean.to_numpy(dtype=float)
    reached = lows >= threshold  # NaN (nothing scored) → not reached
    climb = np.cumprod(reached | ~has, axis=1).astype(bool)
    stage = (climb & has).sum(axis=1)
    blocked = has & ~climb
    first = np.where(blocked.any(axis=1), blocked.argmax(axis=1), -1)
    last_ok = np.where((climb & has).any(axis=1), np.where(climb & has, np.arange(len(ELEMENTS)), -1).max(axis=1), -1)
    result = pd.DataFrame({
        "respondent_id": out["respondent_id"], "period": out["period"], "actor_group": group,
        "tahap": stage, "tahap_dari": has.sum(axis=1),
        "tercapai": [ELEMENTS[i] if i >= 0 else "" for i in last_ok],
        "hambatan": [ELEMENTS[i] if i >= 0 else ALL_REACHED for i in first],
        "total": out["sum"].astype(float), "maks": 2 * out["count"]})
    # the group's whole questionnaire: its indicators, and how many of them this questionnaire answered
    codes = indicators().groupby("group")["indicator_code"].agg(frozenset)
    answered = scores.groupby(keys)["indicator_code"].agg(frozenset).reindex(pd.MultiIndex.from_frame(out[keys]))
    own = [codes.get(g) for g in group]
    result["indikator"] = [len(c) if c is not None else int(n) for c, n in zip(own, out["count"], strict=True)]
    result["dijawab"] = [len(c & a) if c is not None else int(n)
                         for c, a, n in zip(own, answered, out["count"], strict=True)]
    result["maks"] = 2 * result["indikator"]
    for e in ELEMENTS:
        result[f"skor_{e}"] = mean[e].to_numpy()
    return result[cols]


def barrier_distribution(stage_table: pd.DataFrame) -> pd.DataFrame:
    """Share of respondents at each barrier point, per actor group and period (long form: actor_group,
    period, hambatan, n, bagian), barriers in ADKAR order and "all reached" last."""
    if stage_table.empty:
        return pd.DataFrame(columns=["actor_group", "period", "hambatan", "n", "bagian"])
    n = stage_table.groupby(["actor_group", "period", "hambatan"]).size().rename("n").reset_index()
    n["bagian"] = n["n"] / n.groupby(["actor_group", "period"])["n"].transform("sum")
    order = {e: i for i, e in enumerate(ELEMENTS + (ALL_REACHED,))}
    return n.sort_values(["actor_group", "period", "hambatan"], key=lambda c: c.map(order) if c.name == "hambatan"
                         else c).reset_index(drop=True)


def network(links: pd.DataFrame) -> nx.MultiDiGraph:
    """Who helps (or holds back) whom: a directed graph with one edge per pair and kind (keyed by
    ``jenis``: an actor can support another in one way and hold it back in another), ``n`` (how often
    recorded) on each edge and the actor group on each node."""
    g = nx.MultiDiGraph()
    for r in links.itertuples():
        for name, grp in ((r.dari, r.dari_kelompok), (r.ke, r.ke_kelompok)):
            if name not in g:
                g.add_node(name, kelompok=grp if isinstance(grp, str) else "")
        if g.has_edge(r.dari, r.ke, key=r.jenis):
            g.edges[r.dari, r.ke, r.jenis]["n"] += 1
        else:
            g.add_edge(r.dari, r.ke, key=r.jenis, jenis=r.jenis, n=1)
    return g


def central_supporters(g: nx.MultiDiGraph, k: int = 3) -> pd.DataFrame:
    """The ``k`` most central supporters in the support network: by how many actors they support
    directly (weighted by how often it was recorded), then by betweenness (how often they sit on the
    support path between two others, e.g. an extension worker an exporter works through)."""
    support = nx.DiGraph([(u, v, d) for u, v, d in g.edges(data=True) if d["jenis"] == "pendukung"])
    if support.number_of_edges() == 0:
        return pd.DataFrame(columns=["nama", "kelompok", "mendukung", "perantara"])
    between = nx.betweenness_centrality(support)
    rows = [{"nama": n, "kelompok": g.nodes[n].get("kelompok", ""),
             "mendukung": int(sum(d["n"] for _u, _v, d in support.out_edges(n, data=True))),
             "perantara": between[n]} for n in support.nodes if support.out_degree(n) > 0]
    return (pd.DataFrame(rows).sort_values(["mendukung", "perantara", "nama"], ascending=[False, False, True])
            .head(k).reset_index(drop=True))


def main_barriers(g: nx.MultiDiGraph, k: int = 3) -> pd.DataFrame:
    """The barriers that hold back the most actors."""
    rows = {}
    for u, _v, d in g.edges(data=True):
        if d["jenis"] == "penghambat":
            rows[u] = rows.get(u, 0) + d["n"]
    df = pd.DataFrame({"nama": list(rows), "menghambat": list(rows.values())})
    return df.sort_values(["menghambat", "nama"], ascending=[False, True]).head(k).reset_index(drop=True)


# ---------------------------------------------------------------------- storage


# pragma: no mutate start, outside the calculation core: input validation
def respondent_problems(kode: object, actor_group: object, sex: object, where: str = "Responden") -> list[str]:
    out = []
    if not isinstance(kode, str) or not kode.strip():
        out.append(f"{where}: kode responden wajib diisi")
    if actor_group not in GROUPS:
        out.append(f"{where}: kelompok aktor '{actor_group}' tidak dikenal ({', '.join(GROUPS)})")
    if sex not in (None, "", "L", "P") and not (isinstance(sex, float) and sex != sex):
        out.append(f"{where}: jenis kelamin '{sex}' harus L atau P")
    return out
# pragma: no mutate end


# pragma: no mutate start, outside the calculation core: input validation
def score_problems(group: str, scores: dict[str, object], where: str) -> list[str]:
    """Scores must be 0, 1 or 2 on indicators of the respondent's actor group."""
    ind = indicators()
    valid = set(ind.loc[ind["group"] == group, "indicator_code"])
    out = []
    for code, sc in scores.items():
        if code not in valid:
            out.append(f"{where}: indikator '{code}' bukan indikator kelompok {GROUPS.get(group, group)}")
        if sc not in (0, 1, 2) or isinstance(sc, bool):
            out.append(f"{where}, indikator {code}: skor '{sc}' harus 0 (kurang), 1 (cukup) atau 2 (sempurna)")
    return out
# pragma: no mutate end


# ---------------------------------------------------------------------- import
IMPORT_COLUMNS = ("kode_responden", "kelompok_aktor", "periode")


# pragma: no mutate start, outside the calculation core: file reading (the importer's bad-file tests cover it)
def read_responses(file_name: str, data: bytes) -> tuple[pd.DataFrame, list[Problem]]:
    """Read ADKAR responses from CSV or XLSX, long (``kode_responden, kelompok_aktor, periode,
    kode_indikator, skor``) or wide (one column per indicator code); optional ``nama``, ``kelompok``,
    ``jenis_kelamin``, ``disabilitas``. Returns long rows (with the file's line) and problems."""
    problems: list[Problem] = []
    raw = read_table(file_name, data, "baris jawaban")
    missing = [c for c in IMPORT_COLUMNS if c not in raw.columns]
    if missing:
        raise ImportRejected([Problem(file_name, 1, c, "kolom wajib tidak ada") for c in missing])
    codes = set(indicators()["indicator_code"])
    if "kode_indikator" in raw.columns:
        if "skor" not in raw.columns:
            raise ImportRejected([Problem(file_name, 1, "skor", "kolom wajib tidak ada")])
        long = raw.assign(line_no=np.arange(2, len(raw) + 2))
    else:
        cols = [c for c in raw.columns if c in codes]
        unknown = [c for c in raw.columns if c not in codes and c not in IMPORT_COLUMNS and
                   c not in ("nama", "kelompok", "jenis_kelamin", "disabilitas")]
        for c in unknown:
            problems.append(Problem(file_name, 1, c, "kolom bukan kode indikator ADKAR yang dikenal (mis. 4A-AW-a)",
                                    "warning"))
        if not cols:
            raise ImportRejected(problems + [Problem(file_name, 1, None, "tidak ada kolom kode indikator ADKAR")])
        long = raw.assign(line_no=np.arange(2, len(raw) + 2)).melt(
            id_vars=[c for c in raw.columns if c not in cols] + ["line_no"], value_vars=cols,
            var_name="kode_indikator", value_name="skor")
        long = long[long["skor"].notna() & (long["skor"].astype(str).str.strip() != "")]

    ind = indicators().set_index("indicator_code")["group"]
    out = []
    for r in long.itertuples(index=False):
        line = r.line_no
        rec = r._asdict()
        kode, grp, per = rec["kode_responden"], rec["kelompok_aktor"], rec["periode"]
        for msg in respondent_problems(kode if isinstance(kode, str) else (str(kode) if kode == kode and kode
                                                                           is not None else None),
                                        grp, rec.get("jenis_kelamin"), "baris"):
            problems.append(Problem(file_name, line, None, msg))
        if per is None or per != per or not str(per).strip():
            problems.append(Problem(file_name, line, "periode", "periode kosong"))
        elif (bad := check_period(str(per).strip())) is not None:
            problems.append(Problem(file_name, line, "periode", bad))
        code = str(rec["kode_indikator"]).strip()
        if code not in ind.index:
            problems.append(Problem(file_name, line, "kode_indikator", f"'{code}' bukan kode indikator ADKAR"))
        elif grp in GROUPS and ind[code] != grp:
            problems.append(Problem(file_name, line, "kode_indikator",
                                    f"indikator {code} milik kelompok {ind[code]}, bukan {grp}"))
        try:
            sc = float(str(rec["skor"]).replace(",", "."))
            if sc not in (0, 1, 2):
                raise ValueError
        except ValueError:
            problems.append(Problem(file_name, line, code if "kode_indikator" not in raw.columns else "skor",
                                    f"skor '{rec['skor']}' harus 0 (kurang), 1 (cukup) atau 2 (sempurna)"))
            sc = np.nan
        dis = rec.get("disabilitas")
        out.append({"line": line, "kode": str(kode).strip(), "actor_group": grp, "period": str(per).strip(),
                    "indicator_code": code, "score": sc, "nama": rec.get("nama"), "kelompok": rec.get("kelompok"),
                    "sex": rec.get("jenis_kelamin") if isinstance(rec.get("jenis_kelamin"), str) else None,
                    "disabilitas": str(dis).strip().lower() in ("1", "ya", "true", "y") if dis is not None else False})
    rows = pd.DataFrame(out)
    if not rows.empty:
        dup = rows.duplicated(["kode", "period", "indicator_code"], keep=False)
        for r in rows[dup].itertuples():
            problems.append(Problem(file_name, r.line, "kode_indikator",
                                    f"{r.kode}, {r.period}, {r.indicator_code} muncul lebih dari sekali"))
    return rows, problems
# pragma: no mutate end


# pragma: no mutate start, outside the calculation core: drawing positions of the network
def layout(g: nx.MultiDiGraph) -> dict:
    """Fixed node positions for drawing (spring layout, seeded so the picture does not jump)."""
    return nx.spring_layout(g, seed=7, k=0.9) if g.number_of_nodes() else {}
# pragma: no mutate end


def latest_per_respondent(stage_table: pd.DataFrame, respondents: pd.DataFrame) -> pd.DataFrame:
    """Each respondent's newest period: code, actor group, sex, disability, stage, barrier point, score out
    of the maximum, and how many of the questionnaire's indicators were answered."""
    cols = ["kode", "actor_group", "kelompok", "sex", "disabilitas", "period", "tahap", "hambatan", "total", "maks",
            "dijawab", "indikator"]
    if stage_table.empty:
        return pd.DataFrame(columns=cols)

    st_ = stage_table.assign(_k=stage_table["period"].map(period_key)).sort_values("_k")
    last = st_.groupby("respondent_id").tail(1)
    out = last.merge(respondents.rename(columns={"id": "respondent_id"})[
        ["respondent_id", "kode", "kelompok", "sex", "disabilitas"]], on="respondent_id")
    return out[cols]


def incomplete(stage_table: pd.DataFrame) -> pd.DataFrame:
    """The questionnaires (respondent and period) with indicators of their group left unanswered."""
    return stage_table[stage_table["dijawab"] < stage_table["indikator"]]
