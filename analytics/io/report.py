"""What an import preview found, as plain data (for the command line's ``--json`` and its text output):
the same previews the Import page shows, so page and command agree."""

from __future__ import annotations

import pandas as pd

from analytics.core.fmt import number
from analytics.core.problems import Problem
from analytics.io.boundaries import BoundaryPreview
from analytics.io.indicator_tables import TablePreview
from analytics.io.registers import RegisterPreview


def _problems(problems: list[Problem]) -> list[dict]:
    return [{"row": p.row, "column": p.column, "message": p.message, "severity": p.severity} for p in problems]


def _suggestions(items: list[dict]) -> list[dict]:
    return [{"kode": s["kode"], "nama": s["nama"], "jarak_km": s["jarak_km"]} for s in items]


def boundaries(pv: BoundaryPreview, status: str) -> dict:
    """``status`` (stored, clean, refused), level, the sure matches, the unsure features with suggestions,
    the unmatched ones, and the problems; ``row`` counts the file's features from 1."""
    return {
        "status": status, "level": pv.level,
        "matched": [{"row": int(r.feature), "kode": r.kode, "metode": r.method, "keyakinan": float(r.keyakinan)}
                    for r in pv.matched.itertuples()],
        "unsure": [{"row": int(r.feature), "nilai": r.value, "alasan": r.reason, "saran": _suggestions(r.suggestions)}
                   for r in pv.unsure.itertuples()],
        "unmatched": [{"row": int(r.feature), "nilai": r.value, "alasan": r.reason, "saran": []}
                      for r in pv.unmatched.itertuples()],
        "problems": _problems(pv.problems),
    }


def table(pv: TablePreview, status: str) -> dict:
    """``status``, the areas matched, the values per indicator and period, the skipped rows, the problems."""
    counts = pv.values.groupby(["indicator", "period"]).size() if not pv.values.empty else pd.Series(dtype=int)
    return {
        "status": status, "level": None,
        "matched": [{"row": int(r.file_row), "kode": r.kode, "metode": r.method, "keyakinan": 1.0}
                    for r in pv.areas.itertuples()],
        "unsure": [], "unmatched": [],
        "values": [{"indicator": ind, "period": int(per), "n": int(n)} for (ind, per), n in counts.items()],
        "number_formats": pv.number_styles,
        "mapping": None if pv.mapping is None else {
            "name": pv.mapping.name, "applied": pv.mapping.applied, "new": pv.mapping.new,
            "missing": pv.mapping.missing},
        "problems": _problems(pv.problems),
    }


def refused(problems: list[Problem]) -> dict:
    """The report of a file refused before any preview could be made (unreadable, wrong columns…)."""
    return {"status": "refused", "level": None, "matched": [], "unsure": [], "unmatched": [],
            "problems": _problems(problems)}


def register(pv: RegisterPreview, status: str) -> dict:
    """``status``, households and desa, the problems (a NIK is never in a message)."""
    return {
        "status": status, "level": "desa",
        "households": int(len(pv.households)), "rows": int(pv.n_rows),
        "desa": int(pv.households["kode"].nunique()) if not pv.households.empty else 0,
        "matched": [], "unsure": [], "unmatched": [],
        "problems": _problems(pv.problems),
    }


def text(report: dict) -> str:
    """The report as lines a data officer reads in a terminal."""
    lines = [f"status: {report['status']}" + (f" (tingkat {report['level']})" if report.get("level") else "")]
    if report.get("matched"):
        lines.append(f"cocok pasti: {len(report['matched'])}")
    if "households" in report:
        lines.append(f"rumah tangga: {report['households']} di {report['desa']} desa")
    if report.get("mapping"):
        m = report["mapping"]
        lines.append(f"pemetaan kolom '{m['name']}' dipakai untuk {len(m['applied'])} kolom")
        if m["new"]:
            lines.append("kolom baru (dibaca seperti usulan, periksa): " + ", ".join(m["new"]))
        if m["missing"]:
            lines.append("kolom pemetaan yang tidak ada lagi di berkas: " + ", ".join(m["missing"]))
    for v in report.get("values", []):
        lines.append(f"nilai {v['indicator']} {v['period']}: {v['n']}")
    for u in report.get("unsure", []):
        saran = "; ".join(f"{s['kode']} {s['nama']} ({number(s['jarak_km'], 2)} km)" for s in u["saran"])
        lines.append(f"belum pasti, fitur {u['row']} '{u['nilai']}': {u['alasan']}. Saran: {saran}")
    for u in report.get("unmatched", []):
        lines.append(f"tidak cocok, baris {u['row']} '{u['nilai']}': {u['alasan']}")
    for p in report["problems"]:
        where = ", ".join(x for x in (f"baris {p['row']}" if p["row"] is not None else "",
                                      f"kolom '{p['column']}'" if p["column"] else "") if x)
        lines.append(f"{'galat' if p['severity'] == 'error' else 'peringatan'}{', ' + where if where else ''}: "
                     f"{p['message']}")
    return "\n".join(lines)

