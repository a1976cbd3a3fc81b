"""The commodity stage's reads and writes: the commodity list, production, and the workshop records
(sessions, criteria, participants, weights, scores, decisions; weights and scores append-only)."""

from __future__ import annotations

import secrets
from datetime import date, datetime

import duckdb
import pandas as pd

from analytics.core import auth
from analytics.core import store as core_store
from analytics.core.db import Database
from analytics.core.store import under


def commodity_list(db: Database) -> pd.DataFrame:
    """Known commodities: kode, nama, nama_en, kategori, unit."""
    return db.query("SELECT kode, nama, nama_en, kategori, unit FROM commodities ORDER BY nama")


def ws_sessions(db: Database, prov: str | None = None) -> pd.DataFrame:
    """Workshops, newest first, with their number of participants (those of province ``prov`` only when
    given: a team works in its own province)."""
    return db.query("""SELECT s.*, a.nama AS kabupaten_nama,
                              (SELECT count(*) FROM ws_participants p WHERE p.session_id = s.id) AS n_peserta
                       FROM ws_sessions s LEFT JOIN areas a ON a.kode = s.kabupaten
                       WHERE ? IS NULL OR s.kabupaten LIKE ? ORDER BY s.id DESC""",
                    [prov, under(prov or "")])


def ws_session(db: Database, session_id: int) -> pd.Series:
    """One workshop."""
    return db.query("""SELECT s.*, a.nama AS kabupaten_nama FROM ws_sessions s LEFT JOIN areas a
                       ON a.kode = s.kabupaten WHERE s.id = ?""", [session_id]).iloc[0]


def ws_session_by_code(db: Database, code: str) -> pd.DataFrame:
    """The open workshop with a join code."""
    return db.query("SELECT * FROM ws_sessions WHERE join_code = ? AND NOT closed", [code])


def ws_criteria(db: Database, session_id: int) -> pd.DataFrame:
    """Active criteria of a workshop in order."""
    return db.query("""SELECT criterion, nama, description, position FROM ws_criteria
                       WHERE session_id = ? AND active ORDER BY position""", [session_id])


def ws_candidates(db: Database, session_id: int) -> pd.DataFrame:
    """Candidate commodities of a workshop with names."""
    return db.query("""SELECT c.commodity, k.nama, k.nama_en FROM ws_candidates c
                       JOIN commodities k ON k.kode = c.commodity WHERE c.session_id = ? ORDER BY k.nama""",
                    [session_id])


def ws_participants(db: Database, session_id: int) -> pd.DataFrame:
    """Participants of a workshop in joining order (those a facilitator removed or merged are left out)."""
    return db.query("""SELECT participant_id, code, name, organisation, joined_at FROM ws_participants
                       WHERE session_id = ? AND removed_at IS NULL ORDER BY joined_at, participant_id""",
                    [session_id])


def ws_current_weights(db: Database, session_id: int) -> pd.DataFrame:
    """The newest weight per participant and criterion."""
    return db.query("""SELECT participant_id, criterion, weight, ts FROM ws_weights WHERE session_id = ?
                       QUALIFY row_number() OVER (PARTITION BY participant_id, criterion ORDER BY seq DESC) = 1""",
                    [session_id])


def ws_weight_rows(db: Database, session_id: int) -> int:
    """How many weight rows a workshop holds (every change is kept)."""
    return int(db.scalar("SELECT count(*) FROM ws_weights WHERE session_id = ?", [session_id]) or 0)


def ws_current_scores(db: Database, session_id: int) -> pd.DataFrame:
    """The newest score per commodity and criterion, with its computed value, justification and source."""
    return db.query("""SELECT commodity, criterion, score, computed, justification, source, override_reason,
                              entered_by, ts FROM ws_scores WHERE session_id = ?
                       QUALIFY row_number() OVER (PARTITION BY commodity, criterion ORDER BY seq DESC) = 1""",
                    [session_id])


def ws_decisions(db: Database, session_id: int) -> pd.DataFrame:
    """Shortlist and final-choice records of a workshop, oldest first."""
    return db.query("SELECT * FROM ws_decisions WHERE session_id = ? ORDER BY seq", [session_id])


def final_choice(db: Database, session_id: int) -> str | None:
    """The commodity of a workshop's newest final decision (the first one named), if it made one."""
    d = ws_decisions(db, session_id)
    final = d[d["kind"] == "final"]
    return None if final.empty else str(list(final["commodities"].iloc[-1])[0])


def desa_production(db: Database, kabupaten: str, period: int) -> pd.DataFrame:
    """Production per desa of a kabupaten in a year: kode, commodity, value."""
    return db.query("""SELECT kode, commodity, value FROM production
                       WHERE kode LIKE ? AND length(kode) = 13 AND period = ?""", [under(kabupaten), period])


def kab_production(db: Database, kabupaten: str) -> pd.DataFrame:
    """Production of a kabupaten per commodity and year: commodity, period, value, unit."""
    return db.query("""SELECT commodity, period, value, unit FROM production WHERE kode = ? ORDER BY 1, 2""",
                    [kabupaten])


def ws_closed_for_token(db: Database, token: str) -> bool:
    """Whether the token belongs to a participant of a workshop that has been closed."""
    return bool(db.scalar("""SELECT count(*) FROM ws_participants p JOIN ws_sessions s ON s.id = p.session_id
                             WHERE p.token = ? AND s.closed""", [token]))


def ws_participant_by_token(db: Database, token: str) -> pd.DataFrame:
    """The participant holding a rejoin token, in an open workshop. A device whose participant was merged
    into another comes back as that other one; one whose participant was removed does not come back."""
    return db.query("""SELECT t.session_id, t.participant_id, t.code FROM ws_participants p
                       JOIN ws_participants t ON t.session_id = p.session_id
                            AND t.participant_id = coalesce(p.merged_into, p.participant_id)
                       JOIN ws_sessions s ON s.id = p.session_id
                       WHERE p.token = ? AND NOT s.closed AND t.removed_at IS NULL""", [token])


def _next(cur: duckdb.DuckDBPyConnection) -> int:
    return int(cur.execute("SELECT nextval('ws_seq')").fetchone()[0])


def create_session(db: Database, role: str | None, actor: str, kabupaten: str, held_on: date, title: str,
                   candidates: list[str], place: str | None = None,
                   criteria: list[tuple[str, str, str]] | None = None) -> tuple[int, str]:
    """Open a workshop (facilitators: planners, pokja, admins); returns (session id, join code)."""
    auth.require(role, "facilitate_workshop")
    if not title.strip():
        raise ValueError("Judul lokakarya wajib diisi.")
    if len(set(candidates)) < 2:
        raise ValueError("Pilih minimal dua komoditas kandidat.")
    known = set(commodity_list(db)["kode"])
    unknown = [c for c in candidates if c not in known]
    if unknown:
        raise ValueError(f"Komoditas tidak dikenal: {', '.join(unknown)}.")
    crit = criteria or DEFAULT_CRITERIA
    code = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(6))

    def fn(cur: duckdb.DuckDBPyConnection) -> int:
        now = datetime.now()
        twin = core_store.recent_twin(cur, "ws_sessions", {"kabupaten": kabupaten, "held_on": held_on,
                                                           "title": title.strip(), "facilitator": actor}, now)
        if twin is not None:  # the same form sent twice: the workshop it made
            return twin
        sid = _next(cur)
        cur.execute("INSERT INTO ws_sessions VALUES (?, ?, ?, ?, ?, ?, ?, ?, FALSE, FALSE)",
                    [sid, code, kabupaten, held_on, place, title.strip(), actor, now])
        for pos, (cid, nama, desc) in enumerate(crit):
            cur.execute("INSERT INTO ws_criteria VALUES (?, ?, ?, ?, ?, TRUE)", [sid, cid, nama, desc, pos])
        for c in dict.fromkeys(candidates):
            cur.execute("INSERT INTO ws_candidates VALUES (?, ?)", [sid, c])
        return sid

    sid = db.write(actor, "workshop.create", f"{title} ({kabupaten}); kode {code}", fn)
    return sid, str(ws_session(db, sid)["join_code"])


def _check_open(cur: duckdb.DuckDBPyConnection, session_id: int, participant_id: int | None = None,
                criteria: list[str] | tuple[str, ...] = (), commodities: list[str] | tuple[str, ...] = ()) -> None:
    """Inside a write's transaction: refuse (ValueError, Bahasa Indonesia) a change to a workshop that is
    closed or unknown, by a participant of another workshop, or to a criterion or commodity it does not have."""
    row = cur.execute("SELECT closed FROM ws_sessions WHERE id = ?", [session_id]).fetchone()
    if row is None:
        raise ValueError(f"Lokakarya {session_id} tidak ada.")
    if row[0]:
        raise ValueError("Lokakarya ini sudah ditutup: bobot, skor dan keputusan tidak bisa diubah lagi.")
    if participant_id is not None and not cur.execute(
            "SELECT count(*) FROM ws_participants WHERE session_id = ? AND participant_id = ? AND removed_at IS NULL",
            [session_id, participant_id]).fetchone()[0]:
        raise ValueError("Peserta ini tidak terdaftar di lokakarya ini; bergabunglah lagi dengan kodenya.")
    for given, sql, what in (
            (criteria, "SELECT criterion FROM ws_criteria WHERE session_id = ? AND active", "Kriteria tidak ada"),
            (commodities, "SELECT commodity FROM ws_candidates WHERE session_id = ?", "Komoditas bukan calon")):
        unknown = sorted(set(given) - {r[0] for r in cur.execute(sql, [session_id]).fetchall()}) if given else []
        if unknown:
            raise ValueError(f"{what} di lokakarya ini: {', '.join(unknown)}.")


def join(db: Database, session_id: int, name: str, organisation: str | None = None,
         token: str | None = None) -> tuple[int, str]:
    """Add a participant; returns (participant id, participant code such as P07). The participant's
    secret token (for coming back after a reload) is read with :func:`participant_token`. A device that
    already holds a token of this workshop (``token``) joins as the same participant under the new name:
    one device, one participant, one set of weights."""
    name = (name or "").strip()
    if len(name) < 2:
        raise ValueError("Tuliskan nama Anda (minimal 2 huruf).")
    if len(name) > 80:
        raise ValueError("Nama terlalu panjang (paling banyak 80 karakter).")

    def fn(cur: duckdb.DuckDBPyConnection) -> tuple[int, str]:
        _check_open(cur, session_id)
        mine = cur.execute("SELECT participant_id, code FROM ws_participants WHERE session_id = ? AND token = ? "
                           "AND removed_at IS NULL", [session_id, token]).fetchone() if token else None
        if mine:
            cur.execute("UPDATE ws_participants SET name = ?, organisation = ? WHERE session_id = ? AND "
                        "participant_id = ?", [name, organisation, session_id, mine[0]])
            return int(mine[0]), str(mine[1])
        pid = _next(cur)
        n = cur.execute("SELECT coalesce(max(TRY_CAST(substr(code, 2) AS INTEGER)), 0) FROM ws_participants "
                        "WHERE session_id = ?", [session_id]).fetchone()[0]
        code = f"P{n + 1:02d}"  # never a removed participant's code again
        cur.execute("INSERT INTO ws_participants VALUES (?, ?, ?, ?, ?, ?, ?, NULL, NULL)",
                    [session_id, pid, code, secrets.token_urlsafe(12), name, organisation, datetime.now()])
        return pid, code

    return db.write(f"peserta:{name}", "workshop.join", f"sesi {session_id}", fn)


def remove_participant(db: Database, role: str | None, actor: str, session_id: int, participant_id: int) -> None:
    """Take a participant out of a workshop (a test entry, someone who joined twice): their weights no
    longer count and their device's link no longer opens the workshop. The row and its weights are kept
    for the record (facilitators only; the workshop must be open)."""
    auth.require(role, "facilitate_workshop")

    def fn(cur: duckdb.DuckDBPyConnection) -> None:
        _check_open(cur, session_id, participant_id)
        cur.execute("UPDATE ws_participants SET removed_at = ? WHERE session_id = ? AND participant_id = ?",
                    [datetime.now(), session_id, participant_id])

    db.write(actor, "workshop.remove_participant", f"sesi {session_id}: peserta {participant_id}", fn)


def merge_participants(db: Database, role: str | None, actor: str, session_id: int, keep: int, drop: int) -> None:
    """One person on two devices: ``drop`` becomes part of ``keep``. For each criterion the newer of the two
    current weights becomes ``keep``'s (copied as a new row when it was ``drop``'s), ``drop`` leaves the
    counts, and its device comes back as ``keep`` (facilitators only; the workshop must be open)."""
    auth.require(role, "facilitate_workshop")
    if keep == drop:
        raise ValueError("Pilih dua peserta yang berbeda untuk digabung.")

    def fn(cur: duckdb.DuckDBPyConnection) -> None:
        _check_open(cur, session_id, keep)
        _check_open(cur, session_id, drop)
        cur.execute("""INSERT INTO ws_weights
                       SELECT nextval('ws_seq'), session_id, ?, criterion, weight, ts FROM (
                           SELECT * FROM ws_weights WHERE session_id = ? AND participant_id IN (?, ?)
                           QUALIFY row_number() OVER (PARTITION BY criterion ORDER BY seq DESC) = 1)
                       WHERE participant_id = ? ORDER BY seq""", [keep, session_id, keep, drop, drop])
        cur.execute("UPDATE ws_participants SET removed_at = ?, merged_into = ? WHERE session_id = ? "
                    "AND participant_id = ?", [datetime.now(), keep, session_id, drop])

    db.write(actor, "workshop.merge_participants", f"sesi {session_id}: peserta {drop} ke {keep}", fn)


def participant_token(db: Database, session_id: int, participant_id: int) -> str:
    """The secret token that lets a participant's phone rejoin as the same participant."""
    return str(db.scalar("SELECT token FROM ws_participants WHERE session_id = ? AND participant_id = ?",
                         [session_id, participant_id]))


def set_weight(db: Database, session_id: int, participant_id: int, criterion: str, weight: int) -> None:
    """Record one participant's weight for one criterion (a new row; the newest counts)."""
    if not 1 <= int(weight) <= 5:
        raise ValueError("Bobot harus 1 sampai 5.")
    set_weights(db, session_id, participant_id, {criterion: weight})


def set_weights(db: Database, session_id: int, participant_id: int, weights: dict[str, int]) -> None:
    """Record several weights of one participant at once (one transaction)."""
    if any(not 1 <= int(w) <= 5 for w in weights.values()):
        raise ValueError("Bobot harus 1 sampai 5.")
    now = datetime.now()

    def fn(cur: duckdb.DuckDBPyConnection) -> None:
        _check_open(cur, session_id, participant_id, criteria=list(weights))
        for crit, w in weights.items():
            cur.execute("INSERT INTO ws_weights VALUES (nextval('ws_seq'), ?, ?, ?, ?, ?)",
                        [session_id, participant_id, crit, int(w), now])

    db.write(f"peserta:{participant_id}", "workshop.weights", f"sesi {session_id}: {weights}", fn)


def set_score(db: Database, role: str | None, actor: str, session_id: int, commodity: str, criterion: str,
              score: float, justification: str, source: str, computed: float | None = None,
              override_reason: str | None = None) -> None:
    """Record a score (1-5) with its justification and source. When a computed score exists and the
    entered one differs, a reason is required; both values are kept."""
    auth.require(role, "facilitate_workshop")
    if not 1 <= float(score) <= 5:
        raise ValueError("Skor harus 1 sampai 5.")
    if computed is not None and abs(float(score) - float(computed)) > 1e-9 and not (override_reason or "").strip():
        raise ValueError("Skor berbeda dari skor hasil perhitungan data: tuliskan alasan penggantiannya.")
    if not (source or "").strip():
        raise ValueError("Sumber skor wajib diisi (mis. data, survei, diskusi Pokja).")

    def fn(cur: duckdb.DuckDBPyConnection) -> None:
        _check_open(cur, session_id, criteria=[criterion], commodities=[commodity])
        cur.execute("INSERT INTO ws_scores VALUES (nextval('ws_seq'), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [session_id, commodity, criterion, float(score), computed, justification, source,
                     override_reason, actor, datetime.now()])

    db.write(actor, "workshop.score", f"sesi {session_id} {commodity}/{criterion}={score}", fn)


def decide(db: Database, role: str | None, actor: str, session_id: int, kind: str, commodities: list[str],
           reason: str) -> None:
    """Record the shortlist (3-4 commodities) or the final choice (one), with the reason."""
    auth.require(role, "facilitate_workshop")
    if kind == "shortlist" and not 1 <= len(commodities) <= 4:
        raise ValueError("Daftar pendek berisi 3-4 komoditas (paling banyak 4).")
    if kind == "final" and len(commodities) != 1:
        raise ValueError("Pilih tepat satu komoditas akhir.")
    if len((reason or "").strip()) < 3:
        raise ValueError("Tuliskan alasan keputusan.")

    def fn(cur: duckdb.DuckDBPyConnection) -> None:
        _check_open(cur, session_id, commodities=commodities)
        cur.execute("INSERT INTO ws_decisions VALUES (nextval('ws_seq'), ?, ?, ?, ?, ?, ?)",
                    [session_id, kind, commodities, reason.strip(), actor, datetime.now()])

    db.write(actor, f"workshop.{kind}", f"sesi {session_id}: {', '.join(commodities)}", fn)


def set_show_names(db: Database, role: str | None, actor: str, session_id: int, show: bool) -> None:
    """The facilitator decides whether participants' names (rather than codes) are shown."""
    auth.require(role, "facilitate_workshop")

    def fn(cur: duckdb.DuckDBPyConnection) -> None:
        _check_open(cur, session_id)
        cur.execute("UPDATE ws_sessions SET show_names = ? WHERE id = ?", [show, session_id])

    db.write(actor, "workshop.show_names", f"sesi {session_id}: {show}", fn)


def save_criteria(db: Database, role: str | None, actor: str, session_id: int, table: pd.DataFrame) -> None:
    """Replace the session's criteria list from an edited table (columns nama, description, active and,
    for existing rows, criterion). New rows get a code from their name; removed rows become inactive,
    so weights and scores already given to them stay in the history."""
    auth.require(role, "facilitate_workshop")
    rows = table.dropna(subset=["nama"])
    rows = rows[rows["nama"].astype(str).str.strip() != ""]
    if rows.empty:
        raise ValueError("Minimal satu kriteria.")
    names = rows["nama"].astype(str).str.strip().str.lower()
    if names.duplicated().any():
        raise ValueError(f"Nama kriteria ganda: {', '.join(rows.loc[names.duplicated(), 'nama'].astype(str))}.")
    existing = set(db.query("SELECT criterion FROM ws_criteria WHERE session_id = ?", [session_id])["criterion"])
    codes: list[str] = []
    for r in rows.itertuples():
        code = str(getattr(r, "criterion", "") or "").strip()
        if not code or code == "nan":
            base = "".join(ch if ch.isalnum() else "_" for ch in str(r.nama).lower()).strip("_")[:24] or "kriteria"
            code, n = base, 2
            while code in existing or code in codes:
                code, n = f"{base}_{n}", n + 1
        codes.append(code)
    if len(set(codes)) != len(codes):
        raise ValueError("Kode kriteria ganda.")

    def fn(cur: duckdb.DuckDBPyConnection) -> None:
        _check_open(cur, session_id)
        cur.execute("UPDATE ws_criteria SET active = FALSE WHERE session_id = ?", [session_id])
        for pos, (code, r) in enumerate(zip(codes, rows.itertuples(), strict=False)):
            active = bool(getattr(r, "active", True)) if not pd.isna(getattr(r, "active", True)) else True
            cur.execute("""INSERT INTO ws_criteria VALUES (?, ?, ?, ?, ?, ?)
                           ON CONFLICT (session_id, criterion) DO UPDATE SET nama = excluded.nama,
                           description = excluded.description, position = excluded.position,
                           active = excluded.active""",
                        [session_id, code, str(r.nama).strip(),
                         str(r.description or "") if not pd.isna(r.description) else "",
                         pos, active])

    db.write(actor, "workshop.criteria", f"sesi {session_id}: {', '.join(codes)}", fn)


def close_session(db: Database, role: str | None, actor: str, session_id: int) -> None:
    """Close a workshop: its code no longer admits anyone; the record stays readable."""
    auth.require(role, "facilitate_workshop")
    db.write(actor, "workshop.close", f"sesi {session_id}",
             lambda cur: cur.execute("UPDATE ws_sessions SET closed = TRUE WHERE id = ?", [session_id]))


DEFAULT_CRITERIA: list[tuple[str, str, str]] = [
    ("jangkauan", "Potensi daya jangkau kelompok miskin (poverty outreach)",
     "Berapa banyak kelompok miskin yang menanam, memproduksi atau mengolah komoditas."),
    ("pendapatan", "Potensi peningkatan pendapatan kelompok miskin (income impact)",
     "Berapa besar potensi pertumbuhan komoditas di masa mendatang."),
    ("sistemik", "Potensi perubahan sistemik pada sistem pasar (systemic change)",
     "Berapa besar potensi untuk bekerja sama dengan para pelaku dalam sistem pasar komoditas."),
    ("lainnya", "Kriteria penting lainnya (lingkungan hidup, gender, prioritas pembangunan)",
     "Dampak terhadap lingkungan hidup, kesetaraan gender, atau kesesuaian dengan prioritas pembangunan daerah."),
]


_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed on phones


def produced_in(db: Database, kabupaten: str) -> list[str]:
    """Commodities produced in a kabupaten, the one grown in most desa first (in the newest year with desa
    data): the candidates a new workshop for that kabupaten starts from."""
    return db.query("""WITH p AS (SELECT commodity, period, count(*) AS n FROM production
                                  WHERE kode LIKE ? AND length(kode) = 13 AND value > 0 GROUP BY 1, 2)
                       SELECT commodity FROM p QUALIFY period = max(period) OVER ()
                       ORDER BY n DESC, commodity""", [under(kabupaten)])["commodity"].tolist()
