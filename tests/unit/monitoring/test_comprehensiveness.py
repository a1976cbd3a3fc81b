"""The Bappenas/INKLUSI study's ten-stage programme scorecard (issue 18, item 10).

Known answers from the study itself (seeds/002, section 2.2 "Hasil Analisis"): its table gives each of fifteen
programmes ✓ or ✗ for ten stages, and its text names each programme's category ("Tahapan cukup
komprehensif" …) with the bands 1-5, 6-7 and 8-10. The categories below are copied from the text, not computed.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from analytics.core import auth
from analytics.core.db import Database
from analytics.monitoring import comprehensiveness as comp
from analytics.monitoring import programme
from analytics.monitoring import store as mon_store
from analytics.poverty import store as poverty_store
from tests import plain
from tests.shared_data import SHARED
from tests.unit.monitoring.demo_records import jahe_merah_chain

# the category the study's text gives each programme ("<p>PENA</p> <p>Tahapan cukup komprehensif</p>" …)
STATED = {"PENA": "cukup", "YESS": "sangat", "ATENSI Kewirausahaan": "kurang", "PLUT": "cukup",
          "Kelapa Muda": "cukup", "Pembiayaan UMi": "cukup", "Berdaya Ekomas": "cukup", "Reforma Agraria": "cukup",
          "Perhutanan Sosial": "cukup", "Dana Desa": "kurang", "PBK": "cukup", "Kartu Prakerja": "cukup",
          "BUMDes": "cukup", "PESADA": "sangat", "PR YAKKUM": "cukup"}
# points counted by hand from the table's ticks
POINTS = {"PENA": 7, "YESS": 9, "ATENSI Kewirausahaan": 4, "PLUT": 7, "Kelapa Muda": 7, "Pembiayaan UMi": 6,
          "Berdaya Ekomas": 7, "Reforma Agraria": 6, "Perhutanan Sosial": 6, "Dana Desa": 5, "PBK": 6,
          "Kartu Prakerja": 6, "BUMDes": 6, "PESADA": 8, "PR YAKKUM": 7}


def test_the_studys_fifteen_programmes_get_the_categories_its_text_gives_them() -> None:
    table = comp.study_table().set_index("program")
    assert table["skor"].to_dict() == POINTS
    assert table["kategori"].to_dict() == STATED
    # PENA: ✓✓✗✗✓✓✓✓✗✓ — no primary data, no preparation, no manual M&E
    pena = table.loc["PENA", list(comp.KEYS)]
    assert [k for k, v in pena.items() if not v] == ["asesmen_primer", "persiapan", "monev_manual"]


def test_the_table_is_the_one_printed_in_the_study() -> None:
    seed = SHARED.parent / "seeds" / "002_3d23b0567e716117.txt"
    if not seed.exists():
        pytest.skip(f"method document not present: {seed}")
    text = seed.read_text(encoding="utf-8")
    for name, marks in comp.STUDY.items():
        row = re.search(rf"^{re.escape(name)}\t(.*)$", text, flags=re.MULTILINE)
        assert row is not None, name
        assert "".join(row.group(1).split("\t")) == marks, name


def test_score_and_category_bands() -> None:
    assert [comp.category(p) for p in range(11)] == ["kurang"] * 6 + ["cukup"] * 2 + ["sangat"] * 3
    for bad in (-1, 11):
        with pytest.raises(ValueError, match="0-10"):
            comp.category(bad)
    assert comp.score({}) == 0
    assert comp.score({k: True for k in comp.KEYS}) == 10
    assert comp.score({"akses": float("nan"), "exit": 1, "persiapan": 0, "pendampingan": None}) == 1
    with pytest.raises(ValueError, match="tidak dikenal: lain"):
        comp.score({"lain": True})


def test_a_card_reads_back_what_was_stored_and_its_answers_round_trip() -> None:
    stored = pd.DataFrame({"criterion": ["exit", "perencanaan"], "met": [False, True], "bukti": [None, "RKPD 2026"]})
    card = comp.card(stored, {"persiapan": "saran"}, "en")
    assert list(card["kunci"]) == list(comp.KEYS)
    row = card.set_index("kunci")
    assert row.loc["perencanaan", "ada"] == "ya" and row.loc["perencanaan", "bukti"] == "RKPD 2026"
    assert row.loc["exit", "ada"] == "tidak" and row.loc["exit", "bukti"] == ""
    assert pd.isna(row.loc["akses", "ada"]) and row.loc["persiapan", "saran"] == "saran"
    assert row.loc["asesmen_primer", "kriteria"] == "Assessment: Primary data"
    assert comp.answers_from_card(card) == {"perencanaan": (True, "RKPD 2026"), "exit": (False, "")}
    with pytest.raises(ValueError, match="'mungkin'"):
        comp.answers_from_card(card.assign(ada=["mungkin"] + [None] * 9))


def test_programmes_give_a_category_only_when_all_ten_are_answered() -> None:
    chains = pd.DataFrame({"id": [1, 2], "title": ["RH satu", "RH dua"], "model_title": ["Model A", None]})
    answers = pd.DataFrame({"chain_id": [1] * 10 + [2] * 3, "criterion": list(comp.KEYS) + list(comp.KEYS[:3]),
                            "met": [True] * 8 + [False] * 2 + [True] * 3})
    got = comp.programmes(answers, chains).set_index("chain_id")
    assert got.loc[1, "program"] == "Model A" and got.loc[1, "skor"] == 8 and got.loc[1, "kategori"] == "sangat"
    assert got.loc[2, "program"] == "RH dua" and got.loc[2, "skor"] == 3 and got.loc[2, "kategori"] == ""
    bench = comp.benchmark(got.reset_index())
    assert len(bench) == 17 and bench["ours"].sum() == 2


def test_storing_a_card_checks_evidence_and_role_and_replaces_the_last_answers(db_copy) -> None:
    db = Database(db_copy)
    cid = jahe_merah_chain(db)
    with pytest.raises(auth.PermissionDenied):
        mon_store.save_programme_stages(db, "viewer", "v", cid, {"exit": (False, "")})
    with pytest.raises(ValueError, match="Tuliskan buktinya.*Exit strategy"):
        mon_store.save_programme_stages(db, "pemantau", "p", cid, {"exit": (True, " "), "akses": (True, "KUR BRI")})
    with pytest.raises(ValueError) as two:  # one message naming both (the page splits messages at "; ")
        mon_store.save_programme_stages(db, "pemantau", "p", cid, {"exit": (True, ""), "akses": (True, "")})
    assert "; " not in str(two.value) and str(two.value).endswith(": Pelaksanaan: Peningkatan akses, Exit strategy")
    with pytest.raises(ValueError, match="tidak dikenal"):
        mon_store.save_programme_stages(db, "pemantau", "p", cid, {"lain": (False, "")})
    with pytest.raises(ValueError, match="Rantai hasil 999999 tidak ada"):
        mon_store.save_programme_stages(db, "pemantau", "p", 999999, {"exit": (False, "")})
    con = plain.connect(db_copy)
    assert con.execute("SELECT count(*) FROM programme_stages").fetchone()[0] == 0
    con.close()
    assert mon_store.save_programme_stages(db, "pemantau", "p", cid, {"exit": (True, "Perbup 5/2026"),
                                                                       "akses": (False, "")}) == 2
    assert mon_store.save_programme_stages(db, "pemantau", "p", cid, {"akses": (True, "KUR BRI")}) == 1
    stored = mon_store.programme_stages(db, cid)
    assert stored[["criterion", "met", "bukti"]].values.tolist() == [["akses", True, "KUR BRI"]]


def test_evidence_comes_from_the_programmes_own_records(db_copy) -> None:
    db = Database(db_copy)
    cid = jahe_merah_chain(db)
    con = plain.connect(db_copy)
    n_real = con.execute("""SELECT count(*) FROM (SELECT DISTINCT ind, period, pilah FROM rc_values
                            WHERE chain_id = ? AND jenis = 'realisasi' AND value IS NOT NULL)""", [cid]).fetchone()[0]
    n_actors = con.execute("""SELECT count(*) FROM vc_actors a JOIN bm_models m ON m.chain_id = a.chain_id
                              JOIN rc_chains c ON c.model_id = m.id WHERE c.id = ?""", [cid]).fetchone()[0]
    con.close()
    facts = programme.stage_evidence(db, cid)
    assert set(facts) == {"perencanaan", "asesmen_primer", "persiapan", "monev_digital"}
    assert facts["asesmen_primer"] == {"peserta": 0, "aktor": n_actors}
    assert facts["persiapan"] == {"n": 4, "dari": 4} and facts["monev_digital"] == {"n": n_real}
    # a pocket shortlisted in the model's kabupaten (Trenggalek, 35.03) is secondary-data evidence
    kode = str(db.query("SELECT kode FROM areas WHERE kode LIKE '35.03.%' AND level = 'desa' LIMIT 1")["kode"].iloc[0])
    poverty_store.add_to_shortlist(db, "perencana", "ani", kode, "kantong kemiskinan", "p0", 2024, 12.0, "demo")
    assert programme.stage_evidence(db, cid)["asesmen_sekunder"] == {"n": 1}
    assert programme.stage_evidence(db, 999999) == {}
