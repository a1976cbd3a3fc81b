"""Column mappings saved per source: how the last indicator table from a source was read.

A data officer who imports BPS's table every month maps its columns once (which column holds which
indicator and year, a multiplier, the unit, how its numbers are written); the mapping is saved with the
import under the source's name and re-applied to the next file from that source, column by column, by
header label. What changed is said: columns the saved mapping does not know (read afresh, as proposed),
and columns it knew that the file no longer has. A mapping can also come from a JSON file (the command
line's ``--mapping``), as saved (:func:`analytics.io.indicator_tables.column_records`):
``{"columns": [{"label": ..., "indicator": ..., ...}]}``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields, replace

from analytics.core.problems import ImportRejected, Problem
from analytics.io.codes import normalise_name
from analytics.io.indicator_tables import ValueColumn

_FIELDS = {f.name: f.type for f in fields(ValueColumn)}


@dataclass(frozen=True)
class MappingChanges:
    """How a saved mapping fitted a new file."""

    name: str                 # the source (or file) the mapping came from
    saved_from: str           # the file it was saved from
    applied: list[str]        # the file's columns read as the mapping says
    new: list[str]            # the file's columns the mapping does not know (proposed afresh)
    missing: list[str]        # columns the mapping knew that the file no longer has

    @property
    def changed(self) -> bool:
        """True when the file's columns are not the ones the mapping was saved for."""
        return bool(self.new or self.missing)


def from_records(name: str, records: object) -> list[ValueColumn]:
    """Value columns from saved dicts; anything malformed is refused naming the entry and the field."""
    if isinstance(records, dict):
        records = records.get("columns")
    if not isinstance(records, list) or not records:
        raise ImportRejected([Problem(name, None, None, "pemetaan kolom harus berisi daftar 'columns' yang tidak "
                                                        "kosong")])
    out, problems = [], []
    for i, rec in enumerate(records, start=1):
        if not isinstance(rec, dict) or not isinstance(rec.get("label"), str) or \
                not isinstance(rec.get("indicator"), str):
            problems.append(Problem(name, i, None, "setiap kolom butuh 'label' dan 'indicator' berupa teks",
                                    row_kind="entri"))
            continue
        known = {k: v for k, v in rec.items() if k in _FIELDS}
        try:
            col = ValueColumn(**known)
            col = replace(col, period=None if col.period is None else int(col.period), scale=float(col.scale),
                          unit=str(col.unit), include=bool(col.include), numbers=str(col.numbers), confirmed=False)
        except (TypeError, ValueError):
            problems.append(Problem(name, i, None, "nilai 'period', 'scale' atau lainnya tidak sah",
                                    row_kind="entri"))
            continue
        if col.numbers not in ("auto", "comma", "dot"):
            problems.append(Problem(name, i, "numbers", "harus auto, comma atau dot", row_kind="entri"))
            continue
        out.append(col)
    if problems:
        raise ImportRejected(problems)
    return out


def read_file(name: str, data: bytes) -> list[ValueColumn]:
    """A mapping from a JSON file (the saved columns, under ``columns``)."""
    try:
        parsed = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ImportRejected([Problem(name, None, None, "berkas pemetaan kolom bukan JSON yang sah")]) from exc
    return from_records(name, parsed)


def apply(proposed: list[ValueColumn], saved: list[ValueColumn], name: str,
          saved_from: str = "") -> tuple[list[ValueColumn], MappingChanges]:
    """The proposed columns with every column the saved mapping knows (by header label, letter case and
    spacing aside) read as saved; the others as proposed. Returns the columns and what changed."""
    by_label = {normalise_name(c.label) or c.label: c for c in saved}
    out, applied, new = [], [], []
    for c in proposed:
        s = by_label.get(normalise_name(c.label) or c.label)
        if s is None:
            out.append(c)
            new.append(c.label)
        else:
            out.append(replace(s, label=c.label))
            applied.append(c.label)
    present = {normalise_name(c.label) or c.label for c in proposed}
    missing = [c.label for c in saved if (normalise_name(c.label) or c.label) not in present]
    return out, MappingChanges(name, saved_from, applied, new, missing)
