"""QR codes as inline SVG (segno: pure Python, nothing fetched, nothing rasterised)."""

import segno
from django.utils.safestring import mark_safe


def qr_svg(data: str, *, scale: int = 8) -> str:
    """An <svg> element for `data`, error correction M, safe to put in a template."""
    return mark_safe(segno.make(data, error="m", micro=False).svg_inline(scale=scale, border=2, omitsize=True))
