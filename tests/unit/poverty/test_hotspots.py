"""Statistical pockets: known answers against esda on a fixture with islands and MultiPolygons."""

from __future__ import annotations

import numpy as np
import pytest
from shapely.geometry import MultiPolygon, box

from analytics.core import store as core_store
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
    cluster, gi_class = _reference(y, w, 999, 7, 0.05)
    assert res["cluster"].tolist() == cluster.tolist() and res["gi_class"].tolist() == gi_class.tolist()
    assert by.loc["44", "cluster"] == "ns" and (by["cluster"] == "HH").sum() == 6
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


def test_pockets_in_an_island_province(ro_db: Database) -> None:
    """Maluku: hundreds of islands. Every desa gets neighbours; the desa the fallback links are exactly
    those libpysal's own queen contiguity leaves without a neighbour."""
    import warnings

    from libpysal import weights

    res = drilldown.pockets(ro_db, "81", "desa", "p0", 2024, permutations=99)
    n_desa = ro_db.scalar("SELECT count(*) FROM areas WHERE level = 'desa' AND kode LIKE '81.%'")
    assert len(res) == n_desa == 1235 and res["kode"].str.startswith("81.").all()
    assert res["n_neighbours"].min() >= 1
    shapes = core_store.area_full_geometry(ro_db, res["kode"].tolist()).set_index("kode").loc[res["kode"]]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        queen = weights.Queen.from_iterable(shapes["geometry"].tolist(), ids=res["kode"].tolist())
    assert len(queen.islands) >= 10  # approximate cells join most islands to a neighbour; 17 stay alone
    assert set(res.loc[res["island_fallback"], "kode"]) == set(queen.islands)


def test_pockets_over_the_demo_desa(ro_db: Database) -> None:
    res = drilldown.pockets(ro_db, "35", "desa", "p0", 2024)  # 999: with 99 no q-value can pass FDR
    assert len(res) == 8494
    assert res["n_neighbours"].min() >= 1  # islands (Bawean, Kangean, Madura's islets) are linked
    assert res["island_fallback"].sum() >= 1
    # the synthetic field has real pockets: exactly those esda and scipy find on the same values and weights
    shapes = core_store.area_full_geometry(ro_db, res["kode"].tolist()).set_index("kode").loc[res["kode"]]
    w = hotspots.contiguity_weights(shapes["geometry"].tolist(), res["kode"].tolist())
    cluster, _ = _reference(res["raw_value"].to_numpy(dtype=float), w, 999, 12345, 0.05)
    assert res["cluster"].tolist() == cluster.tolist() and (res["cluster"] == "HH").sum() > 50
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


# ---------------------------------------------------------------- exact outcomes (issue 13)
LABELS = {1: "HH", 2: "LH", 3: "LL", 4: "HL"}  # esda's quadrant codes (Moran_Local.q)


def _reference(y: np.ndarray, w, permutations: int, seed: int, alpha: float) -> tuple[np.ndarray, np.ndarray]:
    cluster, gi_class, _, _ = _reference_p(y, w, permutations, seed, alpha)
    return cluster, gi_class


def _reference_p(y: np.ndarray, w, permutations: int, seed: int, alpha: float) -> tuple:
    """Clusters and Gi* classes computed straight from esda and scipy's Benjamini-Hochberg."""
    import esda
    from scipy.stats import false_discovery_control

    lm = esda.Moran_Local(y, w.w, transformation="r", permutations=permutations, seed=seed, n_jobs=1,
                          keep_simulations=False)
    gi = esda.G_Local(y, w.w, transform="R", star=True, permutations=permutations, seed=seed, n_jobs=1,
                      keep_simulations=False)
    q_l = false_discovery_control(lm.p_sim, method="bh")
    q_g = false_discovery_control(gi.p_sim, method="bh")
    cluster = np.where(q_l <= alpha, [LABELS[int(q)] for q in lm.q], "ns")
    gi_class = np.where(q_g <= alpha, np.where(gi.Zs > 0, "hot", "cold"), "ns")
    return cluster, gi_class, lm.p_sim, gi.p_sim


def test_pockets_with_the_default_settings_equal_esda_and_scipy_exactly() -> None:
    geoms, ids, y = _fixture()
    w = hotspots.contiguity_weights(geoms, ids)
    res = hotspots.find_pockets(y, w)  # 999 permutations, seed 12345, alpha 0.05
    cluster, gi_class, p_l, p_g = _reference_p(y, w, 999, 12345, 0.05)
    assert res["cluster"].tolist() == cluster.tolist() and res["gi_class"].tolist() == gi_class.tolist()
    assert res["lisa_p"].tolist() == p_l.tolist() and res["gi_p"].tolist() == p_g.tolist()
    # the same field upside down: the corner becomes a cold spot of low values
    low = hotspots.find_pockets(50 - y, w)
    cluster, gi_class = _reference(50 - y, w, 999, 12345, 0.05)
    assert low["cluster"].tolist() == cluster.tolist() and low["gi_class"].tolist() == gi_class.tolist()
    assert low["cluster"].value_counts().to_dict() == {"ns": 32, "LL": 6}
    assert low["gi_class"].value_counts().to_dict() == {"ns": 32, "cold": 6}
    # the hot 3×3 corner: six of its cells are significant HH and hot spots, nothing else is
    assert res["cluster"].value_counts().to_dict() == {"ns": 32, "HH": 6}
    assert res["gi_class"].value_counts().to_dict() == {"ns": 32, "hot": 6}
    assert res.columns.tolist() == ["kode", "value", "lag", "n_neighbours", "island_fallback", "lisa_i", "lisa_p",
                                    "lisa_q", "quadrant", "cluster", "gi_z", "gi_p", "gi_q", "gi_class"]
    assert res["kode"].tolist() == ids and res["value"].tolist() == y.tolist()
    assert res["island_fallback"].tolist() == [False] * 36 + [True, True]
    assert res["n_neighbours"].tolist() == [len(w.w.neighbors[i]) for i in ids]
    assert set(res["quadrant"]) <= {"HH", "LH", "LL", "HL"}
    # 99 permutations: the smallest p is 0.01 and BH over 38 areas lets nothing through
    few = hotspots.find_pockets(y, w, permutations=99)
    cluster, gi_class, p_l, p_g = _reference_p(y, w, 99, 12345, 0.05)
    assert few["cluster"].tolist() == cluster.tolist() == ["ns"] * 38
    assert few["lisa_p"].tolist() == p_l.tolist() and few["gi_p"].tolist() == p_g.tolist()
    assert few["lisa_p"].min() == pytest.approx(0.01)


def test_a_q_value_exactly_at_alpha_is_flagged() -> None:
    geoms, ids, y = _fixture()
    w = hotspots.contiguity_weights(geoms, ids)
    first = hotspots.find_pockets(y, w)
    for col, flag in (("lisa_q", "cluster"), ("gi_q", "gi_class")):
        alpha = float(np.sort(first[col].to_numpy())[2])  # the third smallest q-value as the threshold
        res = hotspots.find_pockets(y, w, alpha=alpha)
        at = res[col] == alpha
        assert at.sum() >= 1 and (res.loc[at, flag] != "ns").all(), col      # q = alpha: flagged
        assert (res.loc[res[col] > alpha, flag] == "ns").all()                  # above it: not
        assert (res[flag] != "ns").sum() == (res[col] <= alpha).sum() >= 3


def test_errors_are_worded_exactly() -> None:
    geoms, ids, y = _fixture()
    w = hotspots.contiguity_weights(geoms, ids)
    with pytest.raises(ValueError) as e:
        hotspots.find_pockets(y[:-1], w, permutations=9)
    assert str(e.value) == "Jumlah nilai tidak sama dengan jumlah wilayah pada matriks bobot."
    y[0] = np.inf
    with pytest.raises(ValueError) as e:
        hotspots.find_pockets(y, w, permutations=9)
    assert str(e.value) == "Analisis kantong membutuhkan nilai untuk setiap wilayah (ada nilai kosong)."


def _geodesic_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    from pyproj import Geod

    return Geod(ellps="WGS84").inv(a[0], a[1], b[0], b[1])[2] / 1000.0


def test_island_distances_are_kilometres_on_the_ground() -> None:
    from shapely.geometry import Point

    centres = [(112.0, -7.5), (113.0, -7.5), (112.0, -8.5), (111.2, -6.9)]
    pts = hotspots._metric_points([Point(c).buffer(0.01) for c in centres])
    for i in range(4):
        for j in range(i + 1, 4):
            flat = float(np.hypot(*(pts[i] - pts[j])))
            assert flat == pytest.approx(_geodesic_km(centres[i], centres[j]), rel=0.003), (i, j)


def test_island_fallback_counts_and_order() -> None:
    sq = [box(0, 0, 1, 1), box(5, 0, 6, 1)]
    two = hotspots.contiguity_weights(sq, ["b", "a"])  # two islands: each the other's neighbour
    assert two.w.neighbors == {"b": ["a"], "a": ["b"]} and two.w.id_order == ["b", "a"]
    assert two.island_ids == ["b", "a"] and two.w.transform == "R"
    three = [box(0, 0, 1, 1), box(1, 0, 2, 1), box(4, 0, 5, 1)]  # an island east of a pair
    w = hotspots.contiguity_weights(three, ["x", "y", "z"])
    assert sorted(w.w.neighbors["z"]) == ["x", "y"] and sorted(w.w.neighbors["x"]) == ["y", "z"]
    one = hotspots.contiguity_weights(three, ["x", "y", "z"], k_islands=1)
    assert one.w.neighbors["z"] == ["y"] and sorted(one.w.neighbors["y"]) == ["x", "z"]
    four = [box(0, 0, 1, 1), box(1, 0, 2, 1), box(2, 0, 3, 1), box(6, 0, 7, 1)]
    assert sorted(hotspots.contiguity_weights(four, list("pqrs")).w.neighbors["s"]) == ["q", "r"]  # default k = 2
    assert hotspots.contiguity_weights([box(0, 0, 1, 1)], ["solo"]).w.neighbors == {"solo": []}


def test_eb_smoothing_by_the_formula() -> None:
    # Marshall (1991) global empirical Bayes: m = Σe / Σb; s² = Σ b (r − m)² / Σb; a = s² − m / (Σb / n);
    # weight = a / (a + m / b); smoothed = weight × r + (1 − weight) × m
    e = np.array([1.0, 30, 300, 3000, 2])
    b = np.array([2.0, 300, 3000, 30000, 40])
    r = e / b
    m = e.sum() / b.sum()
    s2 = (b * (r - m) ** 2).sum() / b.sum()
    a = s2 - m / (b.sum() / len(b))
    weight = a / (a + m / b)
    np.testing.assert_allclose(hotspots.eb_smooth(e, b), weight * r + (1 - weight) * m)
    np.testing.assert_allclose(hotspots.eb_smooth([1, 100, 50], [10, 1000, 500]), [0.1, 0.1, 0.1])
    assert hotspots.bh_qvalues([]).size == 0 and hotspots.bh_qvalues([0.03]).tolist() == [0.03]


def test_explanation_word_for_word() -> None:
    row = {"value": 18.2, "lag": 15.1, "n_neighbours": 5, "island_fallback": True, "lisa_p": 0.003,
           "lisa_q": 0.02, "cluster": "HH", "gi_z": 3.1, "gi_p": 0.002, "gi_q": 0.01, "gi_class": "hot"}
    lines = hotspots.explain(row, "id", "Desa X", lambda v: f"{v:.1f}%", 0.1)
    assert lines[0] == "Nilai Desa X: 18.2%; rata-rata 5 tetangganya: 15.1%."
    assert lines[1].startswith("Wilayah ini tidak bersinggungan darat")
    assert lines[2] == ("Moran lokal: nilai p permutasi = 0,003; nilai q setelah koreksi FDR (Benjamini-Hochberg) = "
                        "0,020; ditandai bila q ≤ 0,100.")
    assert lines[-3:] == ["Getis-Ord Gi*: z = 3,100; p = 0,002; q = 0,010.",
                          "Gi*: wilayah ini beserta tetangganya membentuk titik panas (nilai tinggi berkumpul).",
                          "Kesimpulan: kantong kemiskinan. Kedua uji sepakat bahwa nilai tinggi di wilayah ini dan "
                          "sekitarnya tidak mungkin terjadi secara kebetulan."]
    en = hotspots.explain(dict(row, island_fallback=False, gi_class="cold"), "en", "Desa X", str)
    assert en[0] == "Value of Desa X: 18.2; average of its 5 neighbours: 15.1."
    assert en[1] == ("Local Moran: permutation p-value = 0.003; q-value after FDR correction (Benjamini-Hochberg) = "
                     "0.020; flagged when q ≤ 0.050.")
    assert en[-3:] == ["Getis-Ord Gi*: z = 3.100; p = 0.002; q = 0.010.",
                       "Gi*: this area and its neighbours form a cold spot (low values cluster).",
                       "Verdict: unclear. The two tests point in different directions; do not decide on this without "
                       "more data."]  # high-high by Moran, cold by Gi*


def test_island_explanation_in_english() -> None:
    row = {"value": 5.0, "lag": 4.0, "n_neighbours": 2, "island_fallback": True, "lisa_p": 0.5, "lisa_q": 0.6,
           "cluster": "ns", "gi_z": 0.1, "gi_p": 0.5, "gi_q": 0.6, "gi_class": "ns"}
    en = hotspots.explain(row, "en", "Pulau Y", str)
    assert en[1] == ("This area shares no land border with another (an island), so it is compared with its nearest "
                     "areas.")
    assert en[-2:] == ["Gi*: no significant hot or cold spot here.",
                       "Verdict: not flagged. Its difference from its neighbours may still be chance."]


@pytest.mark.parametrize("cluster,gi,expected", [
    ("HH", "hot", "pocket"), ("HH", "ns", "likely_pocket"), ("ns", "hot", "likely_pocket"),
    ("HL", "hot", "likely_pocket"), ("HL", "ns", "outlier"), ("HL", "cold", "outlier"), ("LH", "ns", "low_outlier"),
    ("LH", "hot", "low_outlier"), ("LL", "cold", "prosperous"), ("LL", "ns", "prosperous"),
    ("ns", "cold", "prosperous"), ("HH", "cold", "mixed"), ("LL", "hot", "mixed"), ("ns", "ns", "none")])
def test_one_verdict_for_both_tests(cluster: str, gi: str, expected: str) -> None:
    """Issue 17: what the two tests say together, case by case (a high flag by either test and a low flag by
    the other is 'mixed'; a high flag by one is 'likely'; HL/LH outliers only when no test flags a cluster)."""
    assert hotspots.verdict(cluster, gi) == expected
    row = {"value": 5.0, "lag": 4.0, "n_neighbours": 2, "island_fallback": False, "lisa_p": 0.5, "lisa_q": 0.6,
           "cluster": cluster, "gi_z": 0.1, "gi_p": 0.5, "gi_q": 0.6, "gi_class": gi}
    from analytics.core.i18n import t

    assert hotspots.explain(row, "en", "X", str)[-1] == t(f"pockets.verdict.{expected}", "en")
    # every line in the reader's language, the cluster's meaning included
    assert t(f"pockets.cluster.{cluster}.long", "en") in hotspots.explain(row, "en", "X", str)
    assert hotspots.explain(row, "id", "X", str)[-1] == t(f"pockets.verdict.{expected}", "id")
