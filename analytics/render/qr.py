"""The join link of a workshop as a QR code, drawn offline (segno, no network, no image library), so that
participants in the room join by pointing their phone's camera at the projector."""

from __future__ import annotations

import io
from urllib.parse import quote, urlsplit


def join_link(page_url: str, code: str) -> str:
    """The participant's address on this server: the Ikut lokakarya page with the workshop code filled in.

    >>> join_link("http://10.0.0.5:8501/lokakarya?x=1", "ab12cd")
    'http://10.0.0.5:8501/peserta?kode=AB12CD'
    """
    parts = urlsplit(page_url)
    return f"{parts.scheme}://{parts.netloc}/peserta?kode={quote(code.strip().upper())}"


def qr_png(text: str, scale: int = 8) -> bytes:
    """``text`` as a QR code PNG (error correction M, a quiet zone of two modules)."""
    import segno

    buf = io.BytesIO()
    segno.make(text, error="m").save(buf, kind="png", scale=scale, border=2)
    return buf.getvalue()
