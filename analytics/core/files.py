"""Uploaded files no table reader can open, refused with the true cause in Bahasa Indonesia (shared by the
importers in ``io`` and the stage stores that read their own workbooks)."""

from __future__ import annotations

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
