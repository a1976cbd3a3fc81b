"""Synthetic monitoring records for the demo (Data contoh (sintetis)): a results chain per demo business
model with targets from the model and invented realisations for 2025, review meetings, PCI groups
scored in 2024 and 2025 on the reference rubric, ADKAR respondents with two rounds of scores and a
network of supporters and barriers. Fixed seed; every top-level row is flagged synthetic."""

from __future__ import annotations

from datetime import date, datetime

import duckdb
import numpy as np
import pandas as pd

from analytics.business import calc
from analytics.core import store as core_store
from analytics.demo import chains as demo_chains
from analytics.monitoring import adkar, graduation, pci, pci_workbook, results
from analytics.monitoring import store as mon_store

START_YEAR = 2025
_PCI_GROUPS = [("POKMAS Kopi Sumber Rejeki", "35.11"), ("POKMAS Kopi Argopuro", "35.11"),
               ("KTH Kopi Ijen Lestari", "35.11"), ("POKMAS Kopi Maesan", "35.11"),
               ("POKMAS Jahe Merah Watulimo", "35.03"), ("KWT Jahe Merah Dongko", "35.03"),
               ("POKMAS Empon-empon Bendungan", "35.03"), ("KWT Jahe Merah Pule", "35.03")]
# a group's strength (0-1) in 2024 and 2025: some climb, one falls, one nearly Teladan
_STRENGTH = [(0.45, 0.62), (0.30, 0.45), (0.70, 0.93), (0.55, 0.60), (0.40, 0.66), (0.20, 0.35), (0.62, 0.55),
             (0.80, 0.97)]
# two groups whose total qualifies for a predicate an extra rule denies (the method's rules at work):
# 76 with indicator 21 at 2 (not Teladan → Maju), 62 with indicator 24 at 1 (not Maju → Berkembang)
_FIXED = {(7, 2025): (76, {21: 2, 24: 3, 25: 3}), (2, 2025): (62, {24: 1, 25: 2})}


def replace_demo(cur: duckdb.DuckDBPyConnection, actor: str, models: dict[str, int], seed: int) -> dict[str, int]:
    """Inside the demo rebuild: replace the synthetic monitoring records (real ones are left alone).
    ``models``: commodity → the new demo business model id."""
    _delete_synthetic(cur)
    rng = np.random.default_rng(seed)
    now = datetime.now()
    counts = {"rc_chains": 0, "pci_groups": 0, "adkar_respondents": 0}

    for k, demo in enumerate(demo_chains.DEMO_MODELS):
        mid = models[demo["commodity"]]
        chain = next(c for c in demo_chains.DEMO_CHAINS if c["commodity"] == demo["commodity"])
        frames = demo_chains.frames(chain)
        tables = demo_chains.model_tables(demo, calc.starting_tables(demo["model"], frames))
        ev = calc.evaluate(tables, calc.DEFAULT_RATE)
        boxes, inds, targets = results.starting_tables(tables, ev, frames["problems"], START_YEAR)
        title = f"Rantai hasil — {demo['title']}"
        cid = mon_store.write_results_chain(cur, title, mid, True, actor, now, boxes, inds, targets)
        pokmas_actor = tables["actors"].set_index("peran").loc["pokmas", "chain_actor"]
        women = float(frames["actors"].set_index("actor").loc[pokmas_actor, "perempuan"])
        _realisations(cur, cid, inds, targets, women, rng, actor, now)
        _reviews(cur, cid, actor, now)
        _households(cur, cid, np.random.default_rng(seed + 100 + k))  # its own draws: the others stay as they were
        counts["rc_chains"] += 1
        counts["adkar_respondents"] += _adkar(cur, mid, demo, tables, rng, actor, now)
    counts["pci_groups"] = _pci(cur, rng, actor, now, models)
    return counts


def _delete_synthetic(cur: duckdb.DuckDBPyConnection) -> None:
    core_store.delete_synthetic(cur, "rc_chains", mon_store.RC_CHILDREN)
    core_store.delete_synthetic(cur, "pci_groups", mon_store.PCI_CHILDREN)
    core_store.delete_synthetic(cur, "adkar_respondents", mon_store.ADKAR_CHILDREN)
    cur.execute("DELETE FROM adkar_links WHERE is_synthetic")


def _realisations(cur, cid: int, inds: pd.DataFrame, targets: pd.DataFrame, women: float, rng, actor: str,
                  now: datetime) -> None:
    year = str(START_YEAR)
    t = targets[targets["period"] == year].set_index("ind")["value"]
    for r in inds.itertuples():
        target = t.get(r.ind, r.target)
        if target is None or target != target:
            continue
        for per, share in ((f"{year}-S1", 0.45), (year, 1.0)):
            if r.ind == "K4" and per != year:
                continue  # income is surveyed once a year
            value = float(target) * share * rng.uniform(0.82, 1.08)
            value = round(value) if r.satuan in ("rumah tangga", "kg") else round(value, -3)
            mon_store.insert_value(cur, cid, r.ind, per, "realisasi", "total", value, actor, now)
            if r.pilah:
                w = round(value * women) if r.satuan == "rumah tangga" else round(value * rng.uniform(0.9, 1.05), -3)
                if r.satuan == "rumah tangga":
                    mon_store.insert_value(cur, cid, r.ind, per, "realisasi", "perempuan", w, actor, now)
                    mon_store.insert_value(cur, cid, r.ind, per, "realisasi", "laki_laki", value - w, actor, now)
                    mon_store.insert_value(cur, cid, r.ind, per, "realisasi", "disabilitas", round(value * 0.03), actor,
                                          now)
                else:  # income per household: women-headed and disability households' own averages
                    mon_store.insert_value(cur, cid, r.ind, per, "realisasi", "perempuan", w, actor, now)
                    mon_store.insert_value(cur, cid, r.ind, per, "realisasi", "disabilitas",
                                          round(value * rng.uniform(0.75, 0.95), -3), actor, now)


def _households(cur, cid: int, rng, n: int = 60) -> None:
    """Synthetic graduation records: ``n`` POKMAS households at the start of the first year (mostly poor) and
    at its end (about a third a status higher, a few lower)."""
    order = list(graduation.STATUSES)
    start = rng.choice(len(order), size=n, p=[0.7, 0.22, 0.08, 0.0])
    step = rng.choice([-1, 0, 1], size=n, p=[0.05, 0.6, 0.35])
    end = np.clip(start + step, 0, len(order) - 1)
    rows = [(f"RT-{i + 1:03d}", per, order[s]) for i in range(n)
            for per, s in ((f"{START_YEAR}-S1", start[i]), (str(START_YEAR), end[i]))]
    frame = pd.DataFrame(rows, columns=["kode_rt", "period", "status"]).assign(pengeluaran=np.nan)
    core_store.replace_rows(cur, mon_store.RC_HOUSEHOLDS, cid, frame)


def _reviews(cur, cid: int, actor: str, now: datetime) -> None:
    rows = [("bulanan", date(START_YEAR, 2, 27), "Kemajuan kegiatan bulan pertama; pendaftaran anggota POKMAS",
             "Pendaftaran anggota berjalan; pencatatan penjualan belum rapi", "lanjut", None, ["K2"]),
            ("triwulan", date(START_YEAR, 4, 10), "Kemajuan rantai hasil triwulan I; asumsi harga mitra",
             "Volume pembelian mitra lokal di bawah rencana karena panen mundur",
             "sesuaikan", "Jadwal pembelian digeser satu bulan; pendampingan pascapanen ditambah", ["K1", "K3"]),
            ("semester", date(START_YEAR, 7, 15), "Capaian semester I; tinjau asumsi rantai hasil",
             "Rumah tangga terjangkau mendekati target semester", "lanjut", None, ["K2", "K3"])]
    for jenis, tgl, agenda, temuan, kep, alasan, inds in rows:
        rid = int(cur.execute("SELECT nextval('mon_seq')").fetchone()[0])
        cur.execute("INSERT INTO reviews VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, TRUE, ?, ?)",
                    [rid, cid, jenis, tgl, agenda, temuan, kep, alasan, inds, actor, now])


def _pci(cur, rng, actor: str, now: datetime, models: dict[str, int]) -> int:
    rid = cur.execute("SELECT min(id) FROM pci_rubrics WHERE is_reference").fetchone()[0]
    if rid is None:
        rid = mon_store.write_rubric(cur, actor, "Rubrik acuan (Pedoman P&E MBBA, ICRAF)",
                                     pci.reference_indicators()[pci_workbook.LEVEL_COLUMNS], {}, True)
    rubric = pci.reference_rubric()
    obs = []
    for k, ((name, kab), strengths) in enumerate(zip(_PCI_GROUPS, _STRENGTH, strict=False)):
        gid = int(cur.execute("SELECT nextval('mon_seq')").fetchone()[0])
        mid = models.get("kopi" if kab == "35.11" else "jahe_merah")
        cur.execute("INSERT INTO pci_groups VALUES (?, ?, ?, NULL, ?, TRUE, ?, ?)", [gid, name, kab, mid, actor, now])
        for year, strength in zip((2024, 2025), strengths, strict=False):
            fixed = pci.levels_for_total(rubric, *_FIXED[(k, year)]) if (k, year) in _FIXED else None
            for ind in rubric.indicators:
                want = int(np.clip(np.round(strength * 3 + rng.normal(0, 0.7)), 0, 3))
                levels = ind.levels()
                level = fixed[ind.no] if fixed else min(levels, key=lambda lv: (abs(lv - want), lv))
                value, chosen = None, None
                if ind.numeric:
                    band = next(b for b in ind.bands if b.score == level)
                    lo = 0.0 if band.lo == -np.inf else band.lo
                    hi = lo + 3 if band.hi == np.inf else band.hi
                    value = float(np.round(rng.uniform(lo, hi))) if band.lo != band.hi else float(band.lo)
                    if not band.contains(value):
                        value = float(band.lo if band.lo_incl else band.lo + 1)
                    value = float(ind.banded(value))  # stored as the measure is written
                else:
                    chosen = level
                obs.append((gid, year, ind.no, value, chosen))
    _bulk(cur, "pci_obs", pd.DataFrame(obs, columns=["group_id", "period", "indicator_no", "value", "level"]),
          "seq, group_id, period, indicator_no, value, level, note, entered_by, ts",
          "nextval('mon_seq'), group_id, period, indicator_no, value, level, NULL, ?, ?", [actor, now])
    return len(_PCI_GROUPS)


def _bulk(cur, table: str, frame: pd.DataFrame, columns: str, select: str, params: list) -> None:
    """Insert a frame's rows in one statement (``select`` may use nextval and ? parameters)."""
    cur.register("bulk_rows", frame)
    cur.execute(f"INSERT INTO {table} ({columns}) SELECT {select} FROM bulk_rows", params)
    cur.unregister("bulk_rows")


def _adkar(cur, mid: int, demo: dict, tables: dict[str, pd.DataFrame], rng, actor: str, now: datetime) -> int:
    """Respondents of one demo model, two rounds of scores (2024, 2025) and the support network."""
    ind = adkar.indicators()
    names = dict(zip(tables["actors"]["peran"], tables["actors"]["nama"], strict=False))
    prefix = "KP" if demo["commodity"] == "kopi" else "JM"
    kab = "35.11" if demo["commodity"] == "kopi" else "35.03"
    people = [(f"{prefix}-P{i:02d}", "petani", "P" if i % 3 == 0 else "L", i == 7) for i in range(1, 13)]
    people += [(f"{prefix}-B1", "pembeli", "L", False), (f"{prefix}-B2", "pembeli", "P", False),
               (f"{prefix}-S1", "pendukung", "P", False), (f"{prefix}-K1", "keuangan", "L", False)]
    # how far each respondent gets: farmers spread over the stages, buyers mostly stuck at Desire
    reach = {"petani": [1, 2, 2, 3, 3, 3, 4, 4, 5, 5, 1, 2], "pembeli": [1, 2], "pendukung": [4], "keuangan": [1]}
    seen: dict[str, int] = {}
    scores = []
    for kode, grp, sex, dis in people:
        rid = int(cur.execute("SELECT nextval('mon_seq')").fetchone()[0])
        label = {"petani": names.get("pokmas", "POKMAS"), "pembeli": names.get("mitra_lokal", "Mitra lokal"),
                 "pendukung": "Penyuluh pertanian", "keuangan": names.get("lembaga_keuangan", "Lembaga keuangan")}[grp]
        cur.execute("INSERT INTO adkar_respondents VALUES (?, ?, NULL, ?, ?, ?, ?, ?, ?, TRUE, ?, ?)",
                    [rid, kode, grp, label, kab, sex, dis, mid, actor, now])
        k = seen.get(grp, 0)
        seen[grp] = k + 1
        target = reach[grp][k % len(reach[grp])]
        codes = ind[ind["group"] == grp]
        order = adkar.group_elements(grp)
        for period, stage in (("2024", max(target - 1, 0)), ("2025", target)):
            for r in codes.itertuples():
                pos = min((order.index(e) for e in r.elements), default=0)
                if pos < stage:
                    sc = int(rng.choice([1, 2], p=[0.4, 0.6]))
                elif pos == stage:
                    sc = int(rng.choice([0, 1], p=[0.7, 0.3])) if stage < len(order) else 2
                else:
                    sc = int(rng.choice([0, 1], p=[0.8, 0.2]))
                scores.append((rid, period, r.indicator_code, sc))
    _bulk(cur, "adkar_scores", pd.DataFrame(scores, columns=["respondent_id", "period", "indicator_code", "score"]),
          "seq, respondent_id, period, indicator_code, score, entered_by, ts",
          "nextval('mon_seq'), respondent_id, period, indicator_code, score, ?, ?", [actor, now])
    local, private = names.get("mitra_lokal", "Mitra lokal"), names.get("mitra_swasta", "Mitra swasta")
    links = [("Penyuluh Dinas Pertanian", "pendukung", f"{prefix}-P{i:02d}", "petani",
              "pendukung") for i in range(1, 9)]
    links += [(local, "pembeli", f"{prefix}-P{i:02d}", "petani", "pendukung") for i in range(1, 13, 2)]
    links += [(private, "pembeli", local, "pembeli", "pendukung"), (private, "pembeli", "Penyuluh Dinas Pertanian",
                                                                      "pendukung", "pendukung")]
    links += [("Pengepul pemberi pinjaman", "pembeli", f"{prefix}-P{i:02d}", "petani",
               "penghambat") for i in (2, 4, 11)]
    if "lembaga_keuangan" in names:
        links += [(names["lembaga_keuangan"], "keuangan", f"{prefix}-P{i:02d}", "petani", "pendukung") for i in (3, 6)]
    for dari, dk, ke, kk, jenis in links:
        seq = int(cur.execute("SELECT nextval('mon_seq')").fetchone()[0])
        cur.execute("INSERT INTO adkar_links VALUES (?, '2025', ?, ?, ?, ?, ?, NULL, TRUE, ?, ?)",
                    [seq, dari, dk, ke, kk, jenis, actor, now])
    return len(people)
