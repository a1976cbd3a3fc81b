"""Beneficiary targeting (APP rule, small-cell suppression) and sources side by side."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analytics.core import store as core_store
from analytics.core.db import Database
from analytics.io import pipeline
from analytics.poverty import drilldown, sources, targeting
from analytics.poverty import store as poverty_store

SRC = core_store.SYNTHETIC_SOURCE


def _recoverable(values: np.ndarray, hidden: np.ndarray, lines: list[np.ndarray]) -> list[int]:
    """Cells that a reader could recover as a published line sum minus the visible cells."""
    flat_h = hidden.ravel()
    return [int(line[flat_h[line]][0]) for line in lines if flat_h[line].sum() == 1]


def test_suppression_hides_small_cells_and_their_complements() -> None:
    rng = np.random.default_rng(3)
    t = rng.integers(0, 40, size=(30, 6))
    t[0, 0], t[5, 3], t[17, 5] = 3, 7, 1
    kode = pd.Series([f"35.07.{i // 5 + 1:02d}.20{i:02d}" for i in range(30)])
    lines = targeting.published_lines(kode, 6, [])
    hidden = targeting.suppress(t, 10, lines)
    primary = (t > 0) & (t < 10)
    assert hidden[primary].all()
    assert _recoverable(t, hidden, lines) == []
    # nothing hidden that need not be: a table without small cells is shown whole
    assert not targeting.suppress(np.full((4, 4), 50), 10).any()


def test_sum_triple_is_protected() -> None:
    # one desa: prod_d2 = 4 (small), prod_d3 = 30, sasaran = 34 → both partners must hide too
    t = np.array([[4, 30, 34], [50, 60, 110]])
    kode = pd.Series(["35.07.01.2001", "35.07.02.2001"])
    lines = targeting.published_lines(kode, 3, [(0, 1, 2)])
    hidden = targeting.suppress(t, 10, lines)
    assert hidden[0].sum() >= 2 and _recoverable(t, hidden, lines) == []


def test_app_ranking_puts_desil_2_first() -> None:
    table = pd.DataFrame({"kode": ["a", "b", "c"], "nama": ["A", "B", "C"], "kecamatan": ["k", "k", "k"],
                          "d1": [0, 0, 0], "d2": [0, 0, 0], "d3": [0, 0, 0], "d4": [0, 0, 0],
                          "prod_d2": [10, 12, 10], "prod_d3": [90, 1, 95], "prod_women": [0, 0, 0],
                          "prod_disability": [0, 0, 0], "miskin_jiwa": [300, 50, 300]})
    ranked = targeting.app_ranking(table, rule="desil")
    assert ranked["kode"].tolist() == ["b", "c", "a"]  # desil 2 first, then desil 3 as the tie-breaker
    assert ranked["sasaran"].tolist() == [13, 105, 100]
    # places by the guideline's location rule (seeds/000, Kriteria Lokasi Kecamatan dan Desa: "jumlah
    # penduduk miskin terbanyak"): most poor people first; a tie (a and c, 300) by productive desil 2, then code
    assert targeting.app_ranking(table)["kode"].tolist() == ["a", "c", "b"]
    assert targeting.app_ranking(table.assign(prod_d2=[10, 12, 11]))["kode"].tolist() == ["c", "a", "b"]
    with pytest.raises(ValueError, match="tidak dikenal"):
        targeting.app_ranking(table, rule="acak")


def test_poor_people_are_the_persons_of_desil_1_and_2(ro_db: Database) -> None:
    tab = targeting.desa_table(ro_db, "35.07", 2024, SRC).set_index("kode")
    direct = ro_db.query("SELECT kode, sum(persons) p FROM register_agg WHERE kode LIKE '35.07.%' AND period = 2024 "
                         "AND source = ? AND desil IN (1, 2) GROUP BY 1", [SRC]).set_index("kode")["p"]
    assert (tab.loc[direct.index, "miskin_jiwa"] == direct.astype(int)).all() and direct.sum() > 0
    top = targeting.app_ranking(tab.reset_index()).iloc[0]
    assert top["miskin_jiwa"] == direct.max() and top["peringkat"] == 1


def test_register_table_matches_the_stored_aggregates(ro_db: Database) -> None:
    tab = targeting.desa_table(ro_db, "35.07", 2024, SRC)
    direct = ro_db.query("SELECT desil, sum(households) h FROM register_agg WHERE kode LIKE '35.07.%' "
                         "AND period = 2024 AND source = ? AND desil <= 4 GROUP BY 1 ORDER BY 1", [SRC])
    assert [int(tab[f"d{d}"].sum()) for d in (1, 2, 3, 4)] == direct["h"].astype(int).tolist()
    assert (tab["prod_d2"] <= tab["d2"]).all() and (tab["prod_women"] <= tab["prod_d2"] + tab["prod_d3"]).all()
    # desil counts agree with the indicator layer of the same (synthetic) source, desa by desa
    ind = ro_db.query("SELECT kode, value FROM indicators WHERE indicator = 'ruta_desil_2' AND period = 2024 "
                      "AND kode LIKE '35.07.%' AND length(kode) = 13").set_index("kode")["value"]
    assert (tab.set_index("kode")["d2"] == ind.loc[tab["kode"]].to_numpy()).all()


def test_protect_depends_on_role(ro_db: Database) -> None:
    ranked = targeting.app_ranking(targeting.desa_table(ro_db, "35.07", 2024, SRC))
    full, n_full = targeting.protect(ranked, "perencana")
    assert n_full == 0 and full is ranked
    shown, n = targeting.protect(ranked, "viewer", min_cell=10)
    assert n > 0
    small = ranked["prod_disability"].between(1, 9)
    assert shown.loc[small, "prod_disability"].eq("•").all()
    # complementary cells too: more cells hidden than there are small ones, all with the same mark
    counts = ranked[list(targeting.COUNT_COLUMNS) + ["sasaran"]].to_numpy()
    assert n == int(shown.isin(["•"]).to_numpy().sum()) > int(((counts > 0) & (counts < 10)).sum())


def test_kecamatan_ranking_sums_its_desa(ro_db: Database) -> None:
    tab = targeting.desa_table(ro_db, "35.07", 2024, SRC)
    kec = targeting.app_ranking(tab, "kecamatan")
    assert len(kec) == tab["kode"].str[:8].nunique()
    assert kec["prod_d2"].sum() == tab["prod_d2"].sum()
    assert kec["kode"].str.len().eq(8).all()


def test_register_and_indicator_sit_side_by_side(ro_db: Database) -> None:
    table, names = sources.compare(ro_db, "kabupaten", "35", "ruta_desil_2", 2024, 0.1)
    assert len(names) == 2 and f"{SRC} (register)" in names
    assert len(table) == 38 and not table["berbeda"].any()  # the synthetic layers agree exactly


def test_disagreement_is_flagged_not_merged(db_copy: Path) -> None:
    db = Database(db_copy)
    data = b"kode;p0\n35.01;15,11\n35.02;10,26\n35.03;99\n"
    pipeline.import_table(db, "perencana", "t", "bps.csv", data, "BPS", default_period=2024)
    table, names = sources.compare(db, "kabupaten", "35", "p0", 2024, 0.10)
    assert names[0] == "BPS" and SRC in names  # real source first, synthetic second
    by = table.set_index("kode")
    assert by.loc["35.03", "berbeda"] and by.loc["35.03", "BPS"] == 99
    assert by.loc["35.05", "n_sumber"] == 1 and not by.loc["35.05", "berbeda"]
    gap = abs(99 - by.loc["35.03", SRC]) / ((99 + by.loc["35.03", SRC]) / 2)
    assert by.loc["35.03", "selisih_relatif"] == pytest.approx(gap)
    # the map picks one source (the real one by default), never an average
    vals = drilldown.values(db, "35", "kabupaten", "p0", 2024)
    assert set(vals["source"]) == {"BPS"} and len(vals) == 3
    assert set(drilldown.values(db, "35", "kabupaten", "p0", 2024, SRC)["source"]) == {SRC}
    db.close()


def test_shortlist_add_remove_and_export(db_copy: Path) -> None:
    from analytics.core.auth import PermissionDenied

    db = Database(db_copy)
    with pytest.raises(PermissionDenied):
        poverty_store.add_to_shortlist(db, "viewer", "t", "35.07", "alasan")
    with pytest.raises(ValueError, match="alasan"):
        poverty_store.add_to_shortlist(db, "perencana", "t", "35.07", "")
    poverty_store.add_to_shortlist(db, "perencana", "t", "35.07.10.2010", "kantong tinggi-tinggi", "p0", 2024, 21.5,
                                   SRC)
    with pytest.raises(ValueError, match="sudah ada"):
        poverty_store.add_to_shortlist(db, "perencana", "t", "35.07.10.2010", "lagi")
    out = drilldown.shortlist_export(db, "35", "id")
    assert out.loc[0, "kode"] == "35.07.10.2010" and out.loc[0, "kode_kabupaten"] == "35.07"
    assert out.loc[0, "kabupaten"] == "Kabupaten Malang" and out.loc[0, "keterangan"] == "Data contoh (sintetis)"
    poverty_store.remove_from_shortlist(db, "perencana", "t", "35.07.10.2010")
    assert drilldown.shortlist(db, "35").empty
    db.close()


def test_desa_detail_by_sector_and_its_protection(ro_db: Database) -> None:
    tab = targeting.desa_table(ro_db, "35.07", 2024, SRC).set_index("kode")
    kode = tab.index[0]
    detail = targeting.desa_detail(ro_db, kode, 2024, SRC)
    total = detail.iloc[-1]
    assert total["sektor"] == "Jumlah"
    assert total["desil_2"] == tab.loc[kode, "d2"] and total["desil_1"] == tab.loc[kode, "d1"]
    body = detail.iloc[:-1]
    assert int(body.loc[body["produktif"].astype(bool), "desil_2"].sum()) == tab.loc[kode, "prod_d2"]
    assert (body["jumlah"] == body[[f"desil_{d}" for d in (1, 2, 3, 4)]].sum(axis=1)).all()
    shown, n = targeting.protect_detail(detail, "pokja", min_cell=10)
    values = body.drop(columns=["sektor", "produktif"]).to_numpy(dtype=int)
    small = (values > 0) & (values < 10)
    hidden = shown.iloc[:-1].drop(columns=["sektor", "produktif"]).isin(["•"]).to_numpy()
    assert hidden[small].all() and n == hidden.sum()
    # no hidden cell is the only hidden one in its column or in its desil row (totals are published)
    assert not (hidden.sum(axis=0) == 1).any()
    desil_and_total = [i for i, c in enumerate(body.columns.drop(["sektor", "produktif"]))
                       if c.startswith("desil_") or c == "jumlah"]
    assert not (hidden[:, desil_and_total].sum(axis=1) == 1).any()
    same, n_full = targeting.protect_detail(detail, "admin")
    assert n_full == 0 and same is detail
