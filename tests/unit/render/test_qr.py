"""The workshop's join link and its QR code (issue 17, part 6)."""

from __future__ import annotations

import segno

from analytics.render import qr


def test_join_link_points_at_the_participant_page_of_this_server() -> None:
    assert qr.join_link("https://perantara.bappeda.example.go.id/lokakarya", " xk4p9q ") == \
        "https://perantara.bappeda.example.go.id/peserta?kode=XK4P9Q"
    assert qr.join_link("http://192.168.1.10:8501/", "AB12CD") == "http://192.168.1.10:8501/peserta?kode=AB12CD"


def test_the_qr_png_encodes_the_link() -> None:
    link = "http://192.168.1.10:8501/peserta?kode=AB12CD"
    png = qr.qr_png(link, scale=4)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    # the same symbol segno makes for the link (version and modules), read back from the PNG's size:
    # (modules + 2 × 2 quiet zone) × 4 pixels a side
    symbol = segno.make(link, error="m")
    width = int.from_bytes(png[16:20], "big")
    assert width == (symbol.symbol_size(scale=1, border=2)[0]) * 4
    # 44 bytes in byte mode: version 3 holds 42 at level M, so version 4 (62 at M; 46 at Q, so segno raises the
    # error correction to Q for free; the QR capacity tables of ISO/IEC 18004)
    assert symbol.version == 4 and symbol.error == "Q" and width == (33 + 4) * 4
