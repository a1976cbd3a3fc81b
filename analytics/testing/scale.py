"""Several app servers over one PostgreSQL store: concurrent writers in separate processes.

Each "server" is a process of its own with its own :class:`Database` (its own connections and replica),
as two Streamlit servers would be; in each, ``participants`` threads write ``per_participant`` weights
at the same moment (a barrier across the processes)."""

from __future__ import annotations

import multiprocessing as mp
import threading
from datetime import date


def _server(url: str, sid: int, pids: list[int], per_participant: int, barrier) -> None:  # noqa: ANN001
    from analytics.commodity import store as commodity_store
    from analytics.core.db import Database

    db = Database(url)
    crits = commodity_store.ws_criteria(db, sid)["criterion"].tolist()
    local = threading.Barrier(len(pids))

    def run(pid: int) -> None:
        local.wait()
        for n in range(per_participant):
            commodity_store.set_weight(db, sid, pid, crits[n % len(crits)], 1 + n % 5)

    threads = [threading.Thread(target=run, args=(p,)) for p in pids]
    barrier.wait()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    db.close()


def lost_writes(url: str, servers: int = 2, participants: int = 30, per_participant: int = 100) -> tuple[int, int]:
    """(rows expected, rows missing) after every server's participants wrote their weights at once."""
    from analytics.commodity import store as commodity_store
    from analytics.core.db import Database

    db = Database(url)
    sid, _ = commodity_store.create_session(db, "pokja", "bench", "35.07", date.today(), "bench", ["kopi", "cabai"])
    ids = [commodity_store.join(db, sid, f"P{i}")[0] for i in range(servers * participants)]
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(servers)
    procs = [ctx.Process(target=_server, args=(url, sid, ids[k::servers], per_participant, barrier))
             for k in range(servers)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    if any(p.exitcode for p in procs):
        raise RuntimeError("a server process failed")
    expected = servers * participants * per_participant
    got = commodity_store.ws_weight_rows(db, sid)
    db.close()
    return expected, expected - got
