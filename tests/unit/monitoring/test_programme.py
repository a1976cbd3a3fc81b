"""The one path through the stages (issue 17, part 3): where a programme stands, the "Langkah berikutnya"
actions (idempotent), and the creation forms that cannot make the same record twice."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from analytics.business import calc
from analytics.business import store as bm_store
from analytics.commodity import store as commodity_store
from analytics.core.db import Database
from analytics.monitoring import programme
from analytics.monitoring import store as mon_store
from analytics.poverty import drilldown
from analytics.poverty import store as poverty_store
from analytics.valuechain import store as vc_store

ROLE, WHO = "perencana", "ani"


def states(p: programme.Programme) -> dict[str, str]:
    return {s.key: s.state for s in p.steps}


def test_the_demo_programme_is_the_synthetic_jahe_merah_chain_without_shortlist_or_workshop(ro_db) -> None:
    p = programme.status(ro_db, "35")
    # the demo's newest synthetic record is the jahe merah results chain (model A, Trenggalek 35.03)
    assert p.synthetic and p.kabupaten == "35.03"
    assert states(p) == {"sasaran": "todo", "lokakarya": "todo", "rantai": "done", "bisnis": "done",
                         "hasil": "done", "pimpinan": "done"}
    assert p.next is not None and p.next.key == "sasaran" and p.next.page == "peta"
    assert p.step("rantai").title.startswith("Jahe merah")
    # Aceh has no record at all: every step is still to do
    aceh = programme.status(ro_db, "11")
    assert aceh.kabupaten is None and not aceh.synthetic
    assert set(states(aceh).values()) == {"todo"}


def test_a_planner_walks_the_whole_path_and_every_action_is_idempotent(db_copy) -> None:
    db = Database(db_copy)
    desa = db.query("SELECT kode FROM areas WHERE kode LIKE '35.07.%' AND level = 'desa' ORDER BY kode LIMIT 1")
    kode = str(desa["kode"].iloc[0])
    poverty_store.add_to_shortlist(db, ROLE, WHO, kode, "kantong HH P0", "p0", 2024, 14.2, "demo")
    p = programme.status(db, "35")
    assert p.step("sasaran").state == "done" and p.step("sasaran").facts["n"] == 1
    assert drilldown.shortlist_kabupaten(db, "35") == ["35.07"]

    sid, code = commodity_store.create_session(db, ROLE, WHO, "35.07", date(2026, 12, 1), "Lokakarya Malang",
                                               ["kopi", "cabai"])
    # the same form sent twice (a double click) gives the same workshop and code
    assert commodity_store.create_session(db, ROLE, WHO, "35.07", date(2026, 12, 1), "Lokakarya Malang",
                                          ["kopi", "cabai"]) == (sid, code)
    assert len(commodity_store.ws_sessions(db)) == 1
    p = programme.status(db, "35")
    assert not p.synthetic and p.kabupaten == "35.07"  # the real workshop, not the demo chain
    assert states(p) == {"sasaran": "done", "lokakarya": "started", "rantai": "todo", "bisnis": "todo",
                         "hasil": "todo", "pimpinan": "todo"}
    assert p.next.key == "lokakarya" and p.step("lokakarya").ref == sid
    with pytest.raises(ValueError, match="belum menetapkan pilihan akhir"):
        programme.chain_from_workshop(db, ROLE, WHO, sid, "Rantai kopi")

    commodity_store.decide(db, ROLE, WHO, sid, "final", ["kopi"], "skor tertinggi dan kokoh")
    assert programme.final_choice(db, sid) == "kopi"
    p = programme.status(db, "35")
    assert p.step("lokakarya").state == "done" and p.step("lokakarya").facts["commodity"] == "kopi"
    assert p.next.key == "rantai"

    cid = programme.chain_from_workshop(db, ROLE, WHO, sid, "Rantai nilai Kopi — Malang")
    assert programme.chain_from_workshop(db, ROLE, WHO, sid, "another title") == cid  # a second click opens it
    chain = vc_store.vc_chains(db).set_index("id").loc[cid]
    assert (chain["commodity"], chain["kabupaten"], int(chain["workshop_id"])) == ("kopi", "35.07", sid)
    assert programme.made_from(db, "rantai", sid) == (cid, "Rantai nilai Kopi — Malang")
    p = programme.status(db, "35")
    assert p.step("rantai").state == "started" and p.step("rantai").facts == {"actors": 0, "flows": 0,
                                                                             "commodity": "kopi"}

    mid = programme.model_from_chain(db, ROLE, WHO, cid, "A", "Model A Kopi — Malang")
    assert programme.model_from_chain(db, ROLE, WHO, cid, "A", "Model A Kopi — Malang") == mid
    model = bm_store.bm_models(db).set_index("id").loc[mid]
    assert (model["commodity"], model["kabupaten"], int(model["chain_id"]), model["model"]) == \
        ("kopi", "35.07", cid, "A")
    # built on a chain without actors or flows: nothing to judge yet (no "every actor is better off")
    assert calc.evaluate(bm_store.load(db, mid), 0.1).empty
    assert programme.status(db, "35").step("bisnis").state == "started"

    rid = programme.results_from_model(db, ROLE, WHO, mid, "Rantai hasil — Model A Kopi", 2027)
    assert programme.results_from_model(db, ROLE, WHO, mid, "Rantai hasil — Model A Kopi", 2027) == rid
    assert int(mon_store.rc_chains(db).set_index("id").loc[rid, "model_id"]) == mid
    p = programme.status(db, "35")
    assert p.step("hasil").state == "started" and p.next.key == "rantai"  # the chain still has no actors

    ind = mon_store.load_results_chain(db, rid)["indicators"]["ind"].iloc[0]
    before = db.table_checksums()
    with pytest.raises(ValueError, match=r"^Periode 2026-TW4 sebelum rantai hasil dimulai \(2027\)"):
        mon_store.record_values(db, ROLE, WHO, rid, ind, "2026-TW4", "realisasi", {"total": 5})
    assert db.table_checksums() == before
    mon_store.record_values(db, ROLE, WHO, rid, ind, "2027-S1", "realisasi", {"total": 5})
    p = programme.status(db, "35")
    assert p.step("hasil").state == "done" and p.step("hasil").facts["realisations"] == 1
    assert p.step("pimpinan").state == "done"
    # a results chain made without a business model has no place: it is on no province's path
    mon_store.create_results_chain(db, ROLE, "budi", "Rantai hasil tanpa model")
    assert programme.status(db, "35").step("hasil").ref == rid
    assert set(states(programme.status(db, "11")).values()) == {"todo"}
    db.close()


def test_creation_forms_sent_twice_make_one_record_but_a_changed_form_makes_another(db_copy) -> None:
    db = Database(db_copy)
    a = vc_store.create_chain(db, ROLE, WHO, "kopi", "35.07", "Rantai kopi")
    assert vc_store.create_chain(db, ROLE, WHO, "kopi", "35.07", " Rantai kopi ") == a
    b = vc_store.create_chain(db, ROLE, WHO, "kopi", "35.07", "Rantai kopi 2")
    c = vc_store.create_chain(db, ROLE, "budi", "kopi", "35.07", "Rantai kopi")  # someone else's
    assert len({a, b, c}) == 3
    m = bm_store.create_model(db, ROLE, WHO, "Model kopi", "B", "kopi", "35.07", a)
    assert bm_store.create_model(db, ROLE, WHO, "Model kopi", "B", "kopi", "35.07", a) == m
    assert bm_store.create_model(db, ROLE, WHO, "Model kopi", "A", "kopi", "35.07", a) != m
    r = mon_store.create_results_chain(db, ROLE, WHO, "Hasil kopi", m, 2027)
    assert mon_store.create_results_chain(db, ROLE, WHO, "Hasil kopi", m, 2027) == r
    # a minute later the same form is a new record on purpose
    db.write("t", "t", "t", lambda cur: cur.execute(
        "UPDATE vc_chains SET created_at = created_at - INTERVAL 61 SECOND WHERE id = ?", [a]))
    assert vc_store.create_chain(db, ROLE, WHO, "kopi", "35.07", "Rantai kopi") not in {a, b, c}
    db.close()


def test_the_shortlist_form_offers_the_selected_area_first_by_name(ro_db) -> None:
    # two desa of Kab. Malang with the same name, and the kecamatan each lies in (read from the areas table)
    twins = ro_db.query("""SELECT d.kode, d.nama, k.nama AS kec FROM areas d
                           JOIN areas k ON k.kode = substr(d.kode, 1, 8)
                           WHERE d.level = 'desa' AND d.kode LIKE '35.07.%' AND d.nama IN (
                               SELECT nama FROM areas WHERE level = 'desa' AND kode LIKE '35.07.%'
                               GROUP BY nama HAVING count(*) = 2 ORDER BY nama LIMIT 1) ORDER BY d.kode""")
    assert len(twins) == 2
    single = ro_db.query("""SELECT kode, nama FROM areas WHERE level = 'desa' AND kode LIKE '35.07.%' AND nama NOT IN (
                               SELECT nama FROM areas WHERE level = 'desa' GROUP BY nama HAVING count(*) > 1)
                            ORDER BY kode LIMIT 1""").iloc[0]
    rank = pd.DataFrame({"kode": [single["kode"], *twins["kode"]]})
    kec = ro_db.query("SELECT kode, nama FROM areas WHERE kode = '35.07.01'").iloc[0]
    codes, labels = drilldown.shortlist_candidates(ro_db, rank, str(kec["kode"]))
    assert codes == [kec["kode"], single["kode"], *twins["kode"]]  # the selected kecamatan first
    assert labels[kec["kode"]] == kec["nama"] and labels[single["kode"]] == single["nama"]
    assert [labels[k] for k in twins["kode"]] == [f"{r.nama} ({r.kec})" for r in twins.itertuples()]
    assert not any(k in v for k, v in labels.items())  # no code in any label
    # the evidence of an area outside the ranking comes from the stored indicator
    value, source = drilldown.shortlist_evidence(ro_db, rank, str(kec["kode"]), "p0", 2024)
    stored = ro_db.query("SELECT value, source FROM indicators WHERE kode = ? AND indicator = 'p0' AND period = 2024 "
                         "ORDER BY is_synthetic, source LIMIT 1", [kec["kode"]]).iloc[0]
    assert (value, source) == (pytest.approx(float(stored["value"])), stored["source"])
