"""The crosswalk's signals on small hand-made kabupaten (the real files are in test_crosswalk_real)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely
from rapidfuzz import fuzz

from analytics.io import crosswalk


def _square(x: float, y: float, size: float = 0.01) -> shapely.Polygon:
    return shapely.box(x, y, x + size, y + size)


def _kab(bps: list[tuple[str, str, str, tuple[float, float]]], kem: list[tuple[str, str, str, float, float]]):
    features = pd.DataFrame([{"feature": i + 1, "code": c, "name": n, "parent_name": p, "geometry": _square(*xy)}
                             for i, (c, n, p, xy) in enumerate(bps)])
    desa = pd.DataFrame(kem, columns=["kode", "nama", "kecamatan", "lon", "lat"])
    return features, desa


def test_a_renamed_kecamatan_is_inferred_from_its_desa() -> None:
    """BPS calls the kecamatan 'LAMA' (010), Kemendagri 'Baru' (35.01.01): no name in common, but both of
    its desa carry the names and hold the points of Baru's desa, so LAMA is assigned to Baru (fit 1);
    BPS 'TIMUR' (020) is Kemendagri's Timur by name and overlap."""
    features, desa = _kab(
        [("3501010001", "SUKA", "LAMA", (0, 0)), ("3501010002", "MAJU", "LAMA", (0.02, 0)),
         ("3501020001", "JAYA", "TIMUR", (0.1, 0))],
        [("35.01.01.2001", "Suka", "Baru", 0.005, 0.005), ("35.01.01.2002", "Maju", "Baru", 0.025, 0.005),
         ("35.01.02.2001", "Jaya", "Timur", 0.105, 0.005)])
    dist = shapely.distance(np.asarray(list(features["geometry"]))[:, None],
                            shapely.points(desa["lon"], desa["lat"])[None, :])
    name = crosswalk.name_similarity(features["name"], desa["nama"])
    fit = crosswalk.kecamatan_fit(features, desa, dist == 0, name)
    lama_timur, timur_baru = fuzz.ratio("lama", "timur") / 100, fuzz.ratio("timur", "baru") / 100
    assert np.allclose(fit, [[1, 1, lama_timur], [1, 1, lama_timur], [timur_baru, timur_baru, 1]])
    assert lama_timur < 0.3 and timur_baru < 0.3  # only the names' own likeness, no overlap credit


def test_spelling_variants_name_match_and_an_island_point_far_off_is_paired_by_name() -> None:
    """'TJANDI REDJO' is Kemendagri's 'Candi Rejo'; 'GILI' lies 8 km from its official point (an island)
    but its name and kecamatan agree and no other desa there is called Gili: sure by name+kecamatan."""
    features, desa = _kab(
        [("3501010001", "TJANDI REDJO", "KOTA", (0, 0)), ("3501010002", "GILI", "KOTA", (0.2, 0))],
        [("35.01.01.2001", "Candi Rejo", "Kota", 0.005, 0.005),
         ("35.01.01.2002", "Gili", "Kota", 0.2 + 0.01 + 8 / crosswalk.KM_PER_DEGREE, 0.005)])
    out = crosswalk.match_kabupaten(features, desa)
    assert [(p.kode, p.metode) for p in out] == [("35.01.01.2001", "tempat+nama+kecamatan"),
                                                  ("35.01.01.2002", "nama+kecamatan")]
    assert out[1].saran[0]["jarak_km"] == 8.0


def test_a_merge_is_listed_and_a_nameless_leftover_is_explained() -> None:
    """BPS 'SATU' covers the points of Kemendagri's Satu and Dua (Dua has no feature): listed with both.
    'BEKAS TAMBANG' holds no point and carries no desa name: said to have no Kemendagri desa."""
    features, desa = _kab(
        [("3501010001", "SATU", "KOTA", (0, 0)), ("3501010002", "TIGA", "KOTA", (0.02, 0)),
         ("3501010003", "BEKAS TAMBANG", "KOTA", (0.031, 0))],
        [("35.01.01.2001", "Satu", "Kota", 0.002, 0.002), ("35.01.01.2002", "Dua", "Kota", 0.008, 0.008),
         ("35.01.01.2003", "Tiga", "Kota", 0.025, 0.005)])
    out = {p.feature: p for p in crosswalk.match_kabupaten(features, desa)}
    assert out[1].kode is None and [s["kode"] for s in out[1].saran[:2]] == ["35.01.01.2001", "35.01.01.2002"]
    assert "35.01.01.2001 (Satu) dan 35.01.01.2002 (Dua)" in out[1].alasan
    assert out[2].kode == "35.01.01.2003"
    assert out[3].kode is None and "tanpa desa Kemendagri" in out[3].alasan
