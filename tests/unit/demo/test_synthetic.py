"""Synthetic demo layer: deterministic, plausible, consistent across levels, spatially clustered."""

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from analytics.core import regions, settings
from analytics.core import store as core_store
from analytics.core.db import Database
from analytics.demo import synthetic
from tests import plain


def test_same_seed_same_data_other_seed_other_data(ro_db: Database) -> None:
    # the stored demo was generated with the default seed: generating again gives the same rows
    areas = regions.load_province("35")
    a = synthetic.generate(areas, int(settings.get("seed")))["indicators"]
    stored = ro_db.query("SELECT kode, period, indicator, value FROM indicators WHERE is_synthetic AND kode LIKE '35%'")
    key = ["kode", "period", "indicator"]
    pd.testing.assert_frame_equal(a[[*key, "value"]].sort_values(key).reset_index(drop=True),
                                  stored.sort_values(key).reset_index(drop=True), check_dtype=False)
    c = synthetic.generate(areas, 8)["indicators"]
    assert not a["value"].equals(c["value"])
    # the other provinces of the test database (tests/conftest.py) have their own demo data
    per_prov = ro_db.query("SELECT left(kode, 2) p, count(DISTINCT kode) n FROM indicators WHERE is_synthetic "
                           "AND length(kode) = 5 GROUP BY 1 ORDER BY 1")
    assert dict(zip(per_prov["p"], per_prov["n"], strict=True)) == {"21": 7, "35": 38, "81": 11}


def _wide(db: Database, level: str, prov: str = "35") -> pd.DataFrame:
    df = db.query("""SELECT i.kode, i.period, i.indicator, i.value FROM indicators i JOIN areas a USING (kode)
                     WHERE a.level = ? AND i.kode LIKE ?""", [level, prov + ".%"])
    return df.pivot_table(index=["kode", "period"], columns="indicator", values="value").reset_index()


def test_kabupaten_p0_in_plausible_range_and_all_years(ro_db: Database) -> None:
    kab = _wide(ro_db, "kabupaten")
    assert sorted(kab["period"].unique()) == [2021, 2022, 2023, 2024]
    k24 = kab[kab["period"] == 2024]
    assert len(k24) == 38
    assert 2.5 <= k24["p0"].min() <= 6 and 17 <= k24["p0"].max() <= 23
    assert (kab["p1"] < kab["p0"]).all() and (kab["p2"] < kab["p1"]).all()
    # poverty falls on average from 2021 to 2024
    assert kab.groupby("period")["p0"].mean().is_monotonic_decreasing


def test_sums_and_ratios_aggregate_consistently(ro_db: Database) -> None:
    desa, kec, kab = _wide(ro_db, "desa"), _wide(ro_db, "kecamatan"), _wide(ro_db, "kabupaten")
    sums = ["penduduk", "penduduk_miskin", "ruta", "ruta_desil_1", "ruta_desil_2", "ruta_desil_3", "ruta_desil_4"]
    for child, parent, width in ((desa, kec, 8), (kec, kab, 5)):
        agg = child.assign(p=child["kode"].str[:width]).groupby(["p", "period"])[sums].sum()
        par = parent.set_index(["kode", "period"])[sums]
        par.index.names = ["p", "period"]
        pd.testing.assert_frame_equal(agg.sort_index(), par.sort_index(), check_dtype=False)
    for frame in (desa, kec, kab):
        np.testing.assert_allclose(frame["p0"], 100 * frame["penduduk_miskin"] / frame["penduduk"], rtol=1e-9)
        assert (frame[["ruta_desil_1", "ruta_desil_2", "ruta_desil_3", "ruta_desil_4"]].sum(axis=1)
                <= frame["ruta"]).all()
    # P1 is population-weighted: kabupaten P1 equals the weighted mean of its desa
    w = desa.assign(p=desa["kode"].str[:5], x=desa["p1"] * desa["penduduk"])
    g = w.groupby(["p", "period"])
    np.testing.assert_allclose((g["x"].sum() / g["penduduk"].sum()).sort_index().to_numpy(),
                               kab.set_index(["kode", "period"])["p1"].sort_index().to_numpy(), rtol=1e-9)
    # garis kemiskinan is the kabupaten's own, inherited by every desa
    gk = desa.assign(p=desa["kode"].str[:5]).groupby(["p", "period"])["garis_kemiskinan"].agg(["min", "max"])
    assert (gk["min"] == gk["max"]).all()


def test_register_aggregates_add_up_to_desil_counts(ro_db: Database) -> None:
    reg = ro_db.query("SELECT kode, desil, sum(households) h FROM register_agg WHERE period = 2024 GROUP BY 1, 2")
    ind = ro_db.query("""SELECT kode, CAST(right(indicator, 1) AS INTEGER) AS desil, value FROM indicators
                         WHERE period = 2024 AND indicator LIKE 'ruta_desil_%' AND length(kode) = 13""")
    m = ind.merge(reg, on=["kode", "desil"], how="left").fillna({"h": 0})
    np.testing.assert_array_equal(m["value"].to_numpy(), m["h"].to_numpy())


def test_desa_p0_is_spatially_clustered(ro_db: Database) -> None:
    d = ro_db.query("""SELECT a.lon, a.lat, i.value FROM areas a JOIN indicators i USING (kode)
                       WHERE a.level='desa' AND i.indicator='p0' AND i.period=2024 AND a.kode LIKE '35%'""")
    xy = d[["lon", "lat"]].to_numpy()
    _, nn = cKDTree(xy).query(xy, k=9)
    z = (d["value"] - d["value"].mean()).to_numpy()
    lag = z[nn[:, 1:]].mean(axis=1)
    moran = (z * lag).sum() / (z * z).sum()
    rng = np.random.default_rng(0)
    null = []
    for _ in range(49):
        zp = rng.permutation(z)
        null.append((zp * zp[nn[:, 1:]].mean(axis=1)).sum() / (zp * zp).sum())
    assert moran > 0.3 and moran > max(null) + 0.2


def test_nothing_synthetic_is_called_bps_or_official(ro_db: Database) -> None:
    for table in ("indicators", "register_agg", "production"):
        src = ro_db.query(f"SELECT DISTINCT source FROM {table} WHERE is_synthetic")["source"].tolist()
        assert src == [core_store.SYNTHETIC_SOURCE]
        assert not any("bps" in s.lower() or "resmi" in s.lower() for s in src)


def test_seed_commodities_with_production(ro_db: Database) -> None:
    com = set(ro_db.query("SELECT kode FROM commodities")["kode"])
    assert {"kopi", "jahe_merah", "rumput_laut", "eceng_gondok", "singkong", "cabai", "karet", "nanas"} <= com
    prod = ro_db.query("SELECT commodity, count(DISTINCT kode) n, sum(value) v FROM production "
                       "WHERE period = 2024 AND length(kode) = 5 AND kode LIKE '35%' GROUP BY 1").set_index("commodity")
    assert (prod["n"] == 38).all() and (prod["v"] > 0).all()
    # rumput laut only where there is coast: none of the inland kabupaten Ponorogo, Madiun, Magetan, Ngawi
    inland = ro_db.query("SELECT sum(value) v FROM production WHERE commodity='rumput_laut' "
                         "AND kode IN ('35.02','35.19','35.20','35.21')")["v"].iloc[0]
    assert inland == 0


def test_desa_production_adds_up_to_the_kabupaten(ro_db: Database) -> None:
    sums = ro_db.query("""
        SELECT k.kode, k.commodity, k.period, k.value AS kab, coalesce(sum(d.value), 0) AS desa, count(d.kode) AS n
        FROM production k LEFT JOIN production d ON length(d.kode) = 13 AND substr(d.kode, 1, 5) = k.kode
             AND d.commodity = k.commodity AND d.period = k.period
        WHERE length(k.kode) = 5 GROUP BY ALL""")
    assert np.allclose(sums["kab"], sums["desa"], atol=0.01)
    assert ((sums["kab"] > 0) == (sums["n"] > 0)).all()
    # the same desa produce a commodity every year
    years = ro_db.query("SELECT kode, commodity, count(DISTINCT period) n FROM production "
                        "WHERE length(kode) = 13 GROUP BY ALL")
    assert (years["n"] == 4).all()


def test_upgraded_database_gets_the_newer_demo_parts(db_copy) -> None:
    from analytics.demo import build as demo_build

    db = Database(db_copy)
    assert demo_build.refresh_if_outdated(db) is False  # a current build needs nothing
    real = db.query("SELECT count(*) n FROM imports WHERE NOT is_synthetic")["n"].iloc[0]
    db.con.execute("DELETE FROM vc_actors; DELETE FROM vc_flows; DELETE FROM vc_system; DELETE FROM vc_problems; "
                   "DELETE FROM vc_chains; DELETE FROM production WHERE length(kode) = 13")
    assert demo_build.refresh_if_outdated(db) is True
    assert db.scalar("SELECT count(*) FROM vc_chains WHERE is_synthetic") == 2
    assert db.scalar("SELECT count(*) FROM production WHERE length(kode) = 13") > 0
    assert db.query("SELECT count(*) n FROM imports WHERE NOT is_synthetic")["n"].iloc[0] == real
    db.close()


def test_a_jawa_timur_only_database_gets_every_province(db_copy, ro_db, monkeypatch) -> None:
    """An upgrade from a version that had only Jawa Timur: the other 37 provinces come in; what was
    stored (Jawa Timur's areas, its demo data, real imports) stays exactly as it was."""
    from analytics.demo import build as demo_build

    con = plain.connect(db_copy)  # an older database, made with plain SQL
    for table in ("indicators", "register_agg", "production", "areas"):
        con.execute(f"DELETE FROM {table} WHERE left(kode, 2) <> '35'")
    con.execute("INSERT INTO indicators VALUES ('35.01', 2021, 'p0', 15.11, 'persen', 'BPS', FALSE, 999)")
    con.close()
    db = Database(db_copy)
    jatim = db.table_checksums()
    assert db.scalar("SELECT count(*) FROM areas") == 9199
    # the geometry step is the national build's own (tested with the regions); here its stored result
    monkeypatch.setattr(demo_build, "national_frame", lambda provinces: ro_db.query(
        "SELECT * FROM areas WHERE left(kode, 2) IN (SELECT unnest(CAST(? AS VARCHAR[])))", [provinces]))
    added = demo_build.add_missing_provinces(db)
    assert len(added) == 37 and "35" not in added and added[0] == "11" and added[-1] == "96"
    counts = db.query("SELECT level, count(*) n FROM areas GROUP BY level").set_index("level")["n"]
    assert counts.to_dict() == {"provinsi": 38, "kabupaten": 514, "kecamatan": 7285, "desa": 83762}
    # Jawa Timur untouched, real value included; demo data only for the demo provinces (tests: 35, 21, 81)
    after = db.table_checksums()
    assert db.query("SELECT * FROM areas WHERE left(kode, 2) = '35' ORDER BY kode").equals(
        ro_db.query("SELECT * FROM areas WHERE left(kode, 2) = '35' ORDER BY kode"))
    assert db.scalar("SELECT value FROM indicators WHERE kode = '35.01' AND source = 'BPS'") == 15.11
    assert after["vc_chains"] == jatim["vc_chains"] and after["bm_models"] == jatim["bm_models"]
    provs = db.query("SELECT DISTINCT left(kode, 2) p FROM indicators WHERE is_synthetic ORDER BY p")["p"].tolist()
    assert provs == ["21", "35", "81"]
    # the added provinces' demo data are those a fresh build makes
    q = "SELECT kode, period, indicator, value FROM indicators WHERE is_synthetic AND left(kode, 2) = '81' ORDER BY ALL"
    assert db.query(q).equals(ro_db.query(q))
    assert demo_build.add_missing_provinces(db) == []  # once
    db.close()


# Jawa Timur's kabupaten/kota on the sea (Java's north and south coasts, Madura, the Bali Strait), from a map:
# Ponorogo, Kediri, Bondowoso, Mojokerto, Jombang, Nganjuk, Madiun, Magetan, Ngawi, Bojonegoro and the kota
# of Kediri, Blitar, Malang, Madiun and Batu are inland.
COASTAL_JATIM = {"35.01", "35.03", "35.04", "35.05", "35.07", "35.08", "35.09", "35.10", "35.12", "35.13", "35.14",
                 "35.15", "35.23", "35.24", "35.25", "35.26", "35.27", "35.28", "35.29", "35.74", "35.75", "35.78"}


def test_coastal_kabupaten_are_those_on_the_sea_and_only_they_grow_seaweed_and_salt(db_copy, monkeypatch) -> None:
    from analytics.demo import build as demo_build

    db = Database(db_copy)
    assert {k for k in demo_build._coastal_kab(db) if k.startswith("35.")} == COASTAL_JATIM
    sea = db.query("SELECT DISTINCT kode FROM production WHERE commodity IN ('rumput_laut', 'garam') AND value > 0 "
                   "AND length(kode) = 5 AND kode LIKE '35.%'")["kode"]
    assert set(sea) <= COASTAL_JATIM and {"35.01", "35.09"} & set(sea)  # Pacitan or Jember among them
    # a database from before the flags were stored gets them once, from the region list (its geometry
    # built again: here the frame the build made, read back, stands for it)
    frame = db.query("SELECT kode, level, coastal FROM areas")
    monkeypatch.setattr(demo_build, "national_frame", lambda provinces: frame)
    db.con.execute("UPDATE areas SET coastal = NULL WHERE kode LIKE '35%'")
    assert {k for k in demo_build._coastal_kab(db) if k.startswith("35.")} == COASTAL_JATIM
    assert db.scalar("SELECT count(*) FROM areas WHERE coastal IS NULL") == 0
    assert db.scalar("SELECT action FROM audit_log ORDER BY id DESC LIMIT 1") == "areas.coastal"
    db.close()
