"""The hostile-file corpus (analytics/testing/hostile.py) on every upload path: each file is refused with
a clear Bahasa Indonesia message naming the file (and its row, feature, sheet or column where the case
has one), no English library text or server path, and every table checksum (the audit log included)
unchanged. Files accepted today that must be refused would show up as "silent"."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from analytics.core.db import Database
from analytics.testing import hostile


@pytest.fixture(scope="module")
def corpus_db(fresh_db):
    """One database copy for the whole corpus: the runner checks, case by case, that nothing changed."""
    path = fresh_db("hostile")
    db = Database(path)
    yield db, hostile.corpus(db)
    db.close()


def test_the_corpus_holds_at_least_100_files_across_every_upload_path(corpus_db) -> None:
    _, cases = corpus_db
    per_path = Counter(c.path for c in cases)
    assert len(cases) >= 100 and set(per_path) == set(hostile.PATHS)
    assert min(per_path.values()) >= 11, per_path
    assert len({(c.path, c.name) for c in cases}) == len(cases)  # one file, one case


@pytest.mark.parametrize("path", hostile.PATHS)
def test_every_hostile_file_is_refused_clearly_and_changes_nothing(corpus_db, path: str) -> None:
    db, cases = corpus_db
    mine = [c for c in cases if c.path == path]
    out = hostile.run(db, mine, per_case=False)  # one checksum for the batch; the bench checks file by file
    assert out.crashes == [] and out.partial_writes == [] and out.silent == [] and out.unclear == []
    assert out.figures() == {"files": len(mine), "clear": len(mine), "crashes": 0, "partial_writes": 0,
                             "silent": 0, "unclear": 0}


def test_the_corpus_runner_tells_a_crash_a_silent_acceptance_and_an_unclear_message_apart(db_copy: Path) -> None:
    """The runner itself: a good file is "silent" (accepted), a message missing a piece is "unclear"."""
    db = Database(db_copy)
    try:
        good = b"kode;nama;p0\n35.01;Pacitan;15,11\n35.02;Ponorogo;10,26\n"
        out = hostile.run(db, [hostile.Case("tabel", "baik.csv", good, (), "a good file"),
                               hostile.Case("tabel", "kosong.csv", b"", ("tidak ada di pesan",), "empty")])
        other = good.replace(b"15,11", b"16,00")
        batch = hostile.run(db, [hostile.Case("tabel", "kosong.csv", b"", ("berkas kosong",), "empty"),
                                 hostile.Case("tabel", "baik2.csv", other, (), "a good file")], per_case=False)
    finally:
        db.close()
    assert out.figures() == {"files": 2, "clear": 0, "crashes": 0, "partial_writes": 0, "silent": 1, "unclear": 1}
    assert out.silent == ["tabel/baik.csv (a good file)"]
    assert batch.partial_writes == [hostile.BATCH_WRITE] and batch.clear == 1  # the batch's write is seen
