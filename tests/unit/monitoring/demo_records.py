"""Records of the demo database the monitoring tests start from."""

from __future__ import annotations

from analytics.core.db import Database
from analytics.monitoring import store as mon_store


def jahe_merah_chain(db: Database) -> int:
    """The id of the demo's results chain for model A (jahe merah, Trenggalek)."""
    rc = mon_store.rc_chains(db)
    return int(rc.loc[rc["model_title"].str.contains("jahe merah"), "id"].iloc[0])
