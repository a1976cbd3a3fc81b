"""Statistical pockets: known answers against esda on a fixture with islands and MultiPolygons."""

from __future__ import annotations

import numpy as np
import pytest
from shapely.geometry import MultiPolygon, box

from analytics.core.db import Database
from analytics.poverty import drilldown, hotspots


def _fixture() -> tuple[list, list[str], np.ndarray]:
    """A 6×6 grid of unit squares; a hot 3×3 corner; cell (5,5) is a MultiPolygon (square plus an islet);
    two detached islands east of the grid, one hot (next to the hot corner) and one cold."""
    geoms, ids, vals = [], [], []
    for r in range(6):
        for c in range(6):
            g = box(c, r, c + 1, r + 1)
            if (r, c) == (5, 5):
                g = MultiPolygon([g, box(6.2, 5.2, 6.4, 5.4)])
            geoms.append(g)
            ids.append(f"{r}{c}")
            vals.append(30.0 + r + c if (r < 3 and c < 3) else 5.0 + ((r * 7 + c * 3) % 4))
    geoms += [box(-3, 0, -2.5, 0.5), box(9, 9, 9.5, 9.5)]
    ids += ["islA", "islB"]
    vals += [33.0, 4.0]
    return geoms, ids, np.array(vals)


def test_islands_get_nearest_neighbours_symmetrically() -> None:
    geoms, ids, _ = _fixture()
    w = hotspots.contiguity_weights(geoms, ids, k_islands=2)
    assert sorted(w.island_ids) == ["islA", "islB"]
    assert all(len(w.w.neighbors[i]) >= 1 for i in ids), "no area may be left without neighbours"
    assert set(w.w.neighbors["islA"]) == {"00", "10"}  # nearest cells of the grid's west edge
    for j in w.w.neighbors["islA"]:
        assert "islA" in w.w.neighbors[j]
    # the MultiPolygon cell keeps its queen neighbours, and gains the island nearest to it
    assert set(w.w.neighbors["55"]) == {"44", "45", "54", "islB"}
    assert np.allclose([sum(v) for v in w.w.weights.values()], 1.0)  # row-standardised


def test_lisa_and_gi_star_match_esda_and_find_the_hot_corner() -> None:
    import esda

    geoms, ids, y = _fixture()
    w = hotspots.contiguity_weights(geoms, ids)
    res = hotspots.find_pockets(y, w, permutations=999, alpha=0.05, seed=7)
    ref_l = esda.Moran_Local(y, w.w, transformation="r", permutations=999, seed=7, n_jobs=1)
    ref_g = esda.G_Local(y, w.w, transform="R", star=True, permutations=999, seed=7, n_jobs=1)
    np.testing.assert_allclose(res["lisa_i"], ref_l.Is)
    np.testing.assert_allclose(res["lisa_p"], ref_l.p_sim)
    np.testing.assert_allclose(res["gi_z"], ref_g.Zs)
    np.testing.assert_allclose(res["gi_p"], ref_g.p_sim)
    # q-values are Benjamini-Hochberg of the permutation p-values, never smaller than p
    assert (res["lisa_q"] >= res["lisa_p"] - 1e-12).all()
    by = res.set_index("kode")
    assert by.loc["11", "cluster"] == "HH" and by.loc["11", "gi_class"] == "hot"
    assert by.loc["11", "lag"] == pytest.approx(np.mean([y[ids.index(k)] for k in
                                                         ["00", "01", "02", "10", "12", "20", "21", "22"]]))
    assert by.loc["44", "cluster"] in ("LL", "ns")
    assert (by["cluster"] == "HH").sum() >= 3
    assert not by.loc[["33", "34", "43", "44"], "cluster"].eq("HH").any()


def test_bh_qvalues_by_hand() -> None:
    p = np.array([0.001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205])
    # hand computation: q_i = min_{j>=i} p_j * m / j
    m = len(p)
    raw = p * m / np.arange(1, m + 1)
    expected = np.minimum.accumulate(raw[::-1])[::-1]
    np.testing.assert_allclose(hotspots.bh_qvalues(p), expected)
    np.testing.assert_allclose(hotspots.bh_qvalues(p[::-1]), expected[::-1])


def test_eb_smoothing_pulls_small_areas_to_the_mean() -> None:
    events = np.array([1, 30, 300, 3000])
    pop = np.array([2, 300, 3000, 30000])
    raw = events / pop
    r = hotspots.eb_smooth(events, pop)
    overall = events.sum() / pop.sum()
    assert abs(r[0] - overall) < abs(raw[0] - overall)  # 50% in a desa of 2 people is shrunk
    assert r[3] == pytest.approx(raw[3], rel=0.01)


def test_missing_values_are_refused_clearly() -> None:
    geoms, ids, y = _fixture()
    y[3] = np.nan
    with pytest.raises(ValueError, match="nilai kosong"):
        hotspots.find_pockets(y, hotspots.contiguity_weights(geoms, ids), permutations=99)


def test_pockets_over_the_demo_desa(ro_db: Database) -> None:
    res = drilldown.pockets(ro_db, "35", "desa", "p0", 2024)  # 999: with 99 no q-value can pass FDR
    assert len(res) == 8494
    assert res["n_neighbours"].min() >= 1  # islands (Bawean, Kangean, Madura's islets) are linked
    assert res["island_fallback"].sum() >= 1
    assert (res["cluster"] == "HH").sum() > 50  # the synthetic field has real pockets
    assert set(res["cluster"]) <= set(hotspots.CLUSTERS)
    smooth = drilldown.pockets(ro_db, "35", "kecamatan", "p0", 2024, smooth=True, permutations=99)
    assert smooth["smoothed"].all() and len(smooth) == 666
    with pytest.raises(ValueError):
        drilldown.pockets(ro_db, "35", "kecamatan", "p1", 2024, smooth=True)


def test_explanation_names_value_neighbours_p_and_q() -> None:
    row = {"value": 18.2, "lag": 15.1, "n_neighbours": 5, "island_fallback": True, "lisa_p": 0.003,
           "lisa_q": 0.02, "cluster": "HH", "gi_z": 3.1, "gi_p": 0.002, "gi_q": 0.01, "gi_class": "hot"}
    text = " ".join(hotspots.explain(row, "id", "Desa X", lambda v: f"{v:.1f}%", 0.05))
    for piece in ("Desa X", "18.2%", "15.1%", "5 tetangga", "0,003", "0,020", "pulau", "kantong kemiskinan"):
        assert piece in text
    en = " ".join(hotspots.explain(row, "en", "Desa X", lambda v: f"{v:.1f}%", 0.05))
    assert "q-value" in en and "pocket" in en


def test_drill_rules() -> None:
    assert drilldown.drill("35", "kabupaten", "35.07") == ("35.07", "kecamatan", "35.07")
    assert drilldown.drill("35.07", "kecamatan", "35.07.10") == ("35.07.10", "desa", "35.07.10")
    assert drilldown.drill("35", "kecamatan", "35.07.10") == ("35.07", "kecamatan", "35.07.10")
    assert drilldown.drill("35.07", "desa", "35.07.10.2010") == ("35.07.10", "desa", "35.07.10.2010")
    assert drilldown.levels_below("35.07") == ["kecamatan", "desa"]
