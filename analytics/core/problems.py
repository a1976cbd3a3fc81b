"""Import problems, each naming the file, the row and the column concerned (in Bahasa Indonesia)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from analytics.core import auth
from analytics.core import store as core_store

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One problem found in an uploaded file. ``row`` is the row number as a spreadsheet shows it
    (1 = first line of the file), or the feature number for a boundary file; None when it concerns the
    whole file or column."""

    file: str
    row: int | None
    column: str | None
    message: str
    severity: Severity = "error"
    row_kind: str = "baris"  # "fitur" for the features of a boundary file

    def text(self) -> str:
        """The problem as one sentence.

        >>> Problem("a.csv", 5, "P0", "teks 'abc' bukan angka").text()
        "Berkas 'a.csv', baris 5, kolom 'P0': teks 'abc' bukan angka."
        """
        where = [f"Berkas '{self.file}'"]
        if self.row is not None:
            where.append(f"{self.row_kind} {self.row}")
        if self.column is not None:
            where.append(f"kolom '{self.column}'")
        msg = self.message.rstrip(".")
        return f"{', '.join(where)}: {msg}."


class ImportRejected(ValueError):
    """The file cannot be imported; ``problems`` says why. Nothing was stored."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = [p for p in problems if p.severity == "error"] or problems
        shown = [p.text() for p in self.problems[:10]]
        more = len(self.problems) - len(shown)
        if more > 0:
            shown.append(f"… dan {more} masalah lain.")
        super().__init__("\n".join(shown))


def reject_if_errors(problems: list[Problem]) -> None:
    """Raise :class:`ImportRejected` if any problem is an error."""
    if any(p.severity == "error" for p in problems):
        raise ImportRejected(problems)


def check_source(file_name: str, source: str) -> str:
    """A real import needs a source name and may not borrow the synthetic label; returns it stripped."""

    s = (source or "").strip()
    if len(s) < 2:
        raise ImportRejected([Problem(file_name, None, None, "nama sumber data wajib diisi (mis. 'BPS')")])
    if s.lower() == core_store.SYNTHETIC_SOURCE.lower() or "sintetis" in s.lower():
        raise ImportRejected([Problem(file_name, None, None,
                                      "nama sumber tidak boleh memakai label data contoh (sintetis)")])
    return s


def before_commit(role: str | None, file_name: str, problems: list[Problem], empty: bool, what: str,
                  source: str | None = None) -> str | None:
    """The checks every commit makes before it writes: the role may import, the source is valid, the
    preview has no error, and there is something to store. Returns the stripped source."""

    auth.require(role, "import_data")
    clean = check_source(file_name, source) if source is not None else None
    reject_if_errors(problems)
    if empty:
        raise ImportRejected([Problem(file_name, None, None, f"tidak ada {what} untuk disimpan")])
    return clean
