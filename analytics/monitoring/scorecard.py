"""PCI scorecards from the stored observations: the groups × indicators matrices, the scored and
predicated table, one group's detail with its total, and the sheets of the method's workbook (written
to XLSX by :mod:`analytics.render.documents`)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics.core.db import Database
from analytics.monitoring import pci
from analytics.monitoring import store as mon_store
from analytics.monitoring.pci_workbook import SHEETS
from analytics.monitoring.store import (
    load_rubric,
    rubric_texts,
    rubric_weights,
)


def matrices(obs: pd.DataFrame, rubric: pci.Rubric, keys: list[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
    """Values and levels (len(keys) × indicators) from the newest observations of (group, period)."""
    nos = [i.no for i in rubric.indicators]
    index = pd.MultiIndex.from_tuples(keys, names=["group_id", "period"])
    val = obs.pivot_table(index=["group_id", "period"], columns="indicator_no", values="value", aggfunc="last")
    lev = obs.pivot_table(index=["group_id", "period"], columns="indicator_no", values="level", aggfunc="last")
    val = val.reindex(index=index, columns=nos) if not val.empty else pd.DataFrame(np.nan, index=index, columns=nos)
    lev = lev.reindex(index=index, columns=nos) if not lev.empty else pd.DataFrame(np.nan, index=index, columns=nos)
    return val.to_numpy(dtype=float), lev.to_numpy(dtype=float)


def scorecard(db: Database, rubric: pci.Rubric, period: int | None = None, use_weights: bool = False,
              group_id: int | None = None) -> tuple[pd.DataFrame, pci.Scored]:
    """Per group and year (one year, or all): total, weighted total, predicate, the predicate by total
    alone and why it differs, completeness, whether it is the group's first year, and indicator scores
    (columns ``i1`` … ``i26``)."""
    obs = mon_store.pci_latest(db, period, group_id)
    groups = mon_store.pci_groups(db).set_index("id")
    first = mon_store.pci_first_periods(db)
    keys = list(obs[["group_id", "period"]].drop_duplicates().itertuples(index=False, name=None))
    keys.sort(key=lambda k: (groups["nama"].get(k[0], ""), k[1]))
    values, levels = matrices(obs, rubric, keys)
    sc = pci.score(rubric, values, levels)
    preds = pci.predicates(sc, use_weights)
    rows = []
    for (gid, per), p, t, w, c in zip(keys, preds, sc.total, sc.weighted, sc.complete, strict=False):
        rows.append({"group_id": gid, "kelompok": groups["nama"].get(gid, str(gid)), "period": per,
                     "total": t, "total_bobot": w, "predikat": p.name, "kode": p.code, "predikat_total": p.by_total,
                     "alasan": " ".join(p.reasons), "lengkap": bool(c), "tahun_pertama": first.get(gid) == per,
                     "sintetis": bool(groups["is_synthetic"].get(gid, False))})
    table = pd.DataFrame(rows, columns=["group_id", "kelompok", "period", "total", "total_bobot", "predikat", "kode",
                                        "predikat_total", "alasan", "lengkap", "tahun_pertama", "sintetis"])
    scores = pd.DataFrame(sc.scores, columns=[f"i{n}" for n in sc.indicators])
    return pd.concat([table, scores], axis=1), sc


def group_detail(db: Database, rubric: pci.Rubric, group_id: int, period: int) -> pd.DataFrame:
    """One group's year per indicator: the measure as the method writes it (with its unit) and which way it
    is better (``naik``/``turun``, :meth:`pci.Indicator.better`), observed value (as the measure is
    written), chosen level, score, note on the scoring (gap, overlap), the first-year flag and the rubric
    texts."""
    obs = mon_store.pci_latest(db, period, group_id)
    values, levels = matrices(obs, rubric, [(group_id, period)])
    sc = pci.score(rubric, values, levels)
    first = mon_store.pci_first_periods(db).get(group_id) == period
    notes = obs.set_index("indicator_no")["note"] if not obs.empty else pd.Series(dtype=object)
    ref = pci.reference_indicators().set_index("indicator_no")
    rows = []
    for j, ind in enumerate(rubric.indicators):
        flag = "tahun pertama: belum ada pembanding tahun lalu" if first and ind.previous_year else ""
        measure = (f"{ref.loc[ind.no, 'measure']} ({ref.loc[ind.no, 'unit']})" if ind.no in ref.index else "")
        rows.append({"no": ind.no, "indikator": ind.name, "ukuran": measure, "arah": ind.better(),
                     "nilai": values[0, j], "skor_pilihan": levels[0, j],
                     "skor": sc.scores[0, j], "catatan_skor": {"gap": "celah rubrik", "overlap": "tumpang tindih, skor "
                                                               "terendah dipakai"}.get(sc.notes[0, j], ""),
                     "bendera": flag, "catatan": notes.get(ind.no, None),
                     "rubrik": " | ".join(f"{b.score}: {b.text}" for b in ind.bands)})
    return pd.DataFrame(rows)


def detail_summary(detail: pd.DataFrame) -> tuple[float, pci.Predicate, int]:
    """Total, predicate (with the extra rules) and number of scored indicators of one group's year, from
    :func:`group_detail`."""
    total = float(detail["skor"].fillna(0).sum())
    return total, pci.predicate(total,
                                dict(zip(detail["no"], detail["skor"],
                                         strict=False))), int(detail["skor"].notna().sum())


def workbook_sheets(db: Database, rubric_id: int, group_id: int | None = None,
                    period: int | None = None) -> tuple[dict[str, pd.DataFrame], str | None]:
    """The three sheets of the method: the indicators, the rubric (targets and score levels, weights)
    and the entry form of one group and year (empty when none is given), with the totals."""
    ref = pci.reference_indicators()
    ind = ref[["principle_no", "principle", "criterion_no", "criterion", "indicator_no", "indicator", "measure",
               "unit", "scale", "method", "period"]].rename(columns={
        "principle_no": "No prinsip", "principle": "Prinsip", "criterion_no": "No kriteria", "criterion": "Kriteria",
        "indicator_no": "No", "indicator": "Indikator", "measure": "Alat ukur", "unit": "Satuan", "scale": "Skala",
        "method": "Metode", "period": "Periode"})
    texts = rubric_texts(db, rubric_id)
    weights = rubric_weights(db, rubric_id)
    acuan = ref[["indicator_no", "indicator", "criterion_no", "target"]].merge(texts, on="indicator_no")
    acuan["bobot_kriteria"] = acuan["criterion_no"].map(lambda c: weights.get(int(c), 1.0))
    acuan = acuan.rename(columns={"indicator_no": "No", "indicator": "Indikator", "criterion_no": "No kriteria",
                                  "target": "Target capaian", "score_0": "Skor 0", "score_1": "Skor 1",
                                  "score_2": "Skor 2", "score_3": "Skor 3", "bobot_kriteria": "Bobot kriteria"})
    rubric = load_rubric(db, rubric_id)
    if group_id is not None and period is not None:
        detail = group_detail(db, rubric, group_id, period)
        form = detail[["no", "indikator", "nilai", "skor_pilihan", "skor", "catatan"]]
        name = mon_store.pci_groups(db).set_index("id")["nama"].get(group_id, "")
        synthetic = bool(mon_store.pci_groups(db).set_index("id")["is_synthetic"].get(group_id, False))
    else:
        form = pd.DataFrame({"no": ref["indicator_no"], "indikator": ref["indicator"], "nilai": np.nan,
                             "skor_pilihan": np.nan, "skor": np.nan, "catatan": None})
        name, synthetic = "", False
    form = form.rename(columns={"no": "No", "indikator": "Indikator", "nilai": "Hasil pengamatan",
                                "skor_pilihan": "Skor dipilih", "skor": "Skor", "catatan": "Catatan"})
    total, p, _n = detail_summary(detail) if group_id is not None and period is not None else (0.0, None, 0)
    head = pd.DataFrame({"No": ["Kelompok", "Tahun", "Total skor", "Predikat"],
                         "Indikator": [name, period or "", total if p else "", p.name if p else ""]})
    form_sheet = pd.concat([head, pd.DataFrame({"No": [None]}), form], ignore_index=True)
    return ({SHEETS[0]: ind, SHEETS[1]: acuan, SHEETS[2]: form_sheet},
            "Data contoh (sintetis) — bukan data resmi" if synthetic else None)
