"""Uploaded files no table reader can open, refused with the true cause in Bahasa Indonesia (shared by the
importers in ``io`` and the stage stores that read their own workbooks)."""

from __future__ import annotations

import io

import pandas as pd

from analytics.core.problems import ImportRejected, Problem

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""How an old Excel workbook (.xls) starts, and also an .xlsx protected with a password."""

BROKEN_XLSX = ("berkas XLSX rusak atau tidak lengkap (mungkin terpotong saat diunduh); buka di Excel, simpan ulang "
               "sebagai .xlsx, lalu unggah lagi")


def refuse_unreadable(file_name: str, data: bytes, expected: str = "CSV atau XLSX") -> None:
    """Refuse, with the true cause in Bahasa Indonesia, the files no table reader can open: empty, an old
    .xls or password-protected workbook, a PDF."""
    if not data.strip():
        raise ImportRejected([Problem(file_name, None, None, "berkas kosong (tidak ada isi)")])
    if data.startswith(OLE2):
        raise ImportRejected([Problem(file_name, None, None, (
            "berkas Excel format lama (.xls) atau dilindungi kata sandi: buka di Excel, hapus kata sandinya bila "
            f"ada, simpan sebagai Buku Kerja Excel (.xlsx) atau CSV UTF-8, lalu unggah lagi (yang diterima: "
            f"{expected})"))])
    if data[:5] == b"%PDF-":
        raise ImportRejected([Problem(file_name, None, None, f"berkas PDF, bukan data: unggah {expected}")])


def read_table(file_name: str, data: bytes, what: str = "baris data") -> pd.DataFrame:
    """A small uploaded table (CSV in UTF-8 with ``;`` or ``,``, or the first sheet of an XLSX) as text cells with
    trimmed headers; refused with the cause when it cannot be read or has no row below its headers (``what``
    names the rows it should have)."""
    refuse_unreadable(file_name, data)
    workbook = file_name.lower().endswith((".xlsx", ".xlsm")) or data[:4] == b"PK\x03\x04"
    try:
        if workbook:
            raw = pd.read_excel(io.BytesIO(data), dtype=object)
        else:
            text = data.decode("utf-8-sig")
            first = text.splitlines()[0]
            raw = pd.read_csv(io.StringIO(text), sep=";" if first.count(";") > first.count(",") else ",", dtype=object)
    except Exception as exc:  # noqa: BLE001 - every unreadable file gets the same clear message
        raise ImportRejected([Problem(file_name, None, None, BROKEN_XLSX if workbook else (
            "berkas tidak dapat dibaca sebagai CSV (UTF-8, dipisah titik koma atau koma) atau XLSX; simpan ulang "
            "dari Excel sebagai 'CSV UTF-8' atau .xlsx, lalu unggah lagi"))]) from exc
    raw.columns = [str(c).strip() for c in raw.columns]
    if raw.dropna(how="all").empty:
        raise ImportRejected([Problem(file_name, 2, None, f"berkas hanya berisi judul kolom, tanpa {what}")])
    return raw
