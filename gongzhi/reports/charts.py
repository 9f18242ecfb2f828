"""The charts of the 调研报告: PNG bar charts drawn by matplotlib with a CJK font of the system.

The font is `settings.GONGZHI_REPORT_FONT` (a font file) when set, else the first of
`FONT_FAMILIES` that matplotlib finds (fonts-noto-cjk on Debian). Without one, `cjk_font()` is
None and the report embeds no chart (it says so) rather than drawing boxes for every character.
matplotlib is used through its object API (`Figure` + the Agg canvas), not pyplot, so that
charts can be drawn in a job's thread.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings

# A .ttc holding every Noto CJK face is named by its first, the Japanese one, which has every
# simplified character the report prints too (the glyph probe checks).
FONT_FAMILIES = ("Noto Sans CJK SC", "Noto Sans CJK", "Source Han Sans SC", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "SimHei", "Microsoft YaHei", "Noto Sans CJK JP")
PROBE = "党建引领基层治理率"  # characters the font must have
COLOURS = ("#c0392b", "#2e86c1", "#d68910", "#239b56", "#7d3c98", "#566573")


@dataclass(frozen=True)
class ChartFont:
    family: str = ""  # a family matplotlib knows
    path: str = ""  # or a font file

    def properties(self, size: float):
        from matplotlib.font_manager import FontProperties

        if self.path:
            return FontProperties(fname=self.path, size=size)
        return FontProperties(family=self.family, size=size)


def cjk_font() -> ChartFont | None:
    """The font to draw Chinese with, or None (no matplotlib, or no font with Chinese glyphs)."""
    return _find_font(getattr(settings, "GONGZHI_REPORT_FONT", "") or "")


@lru_cache(maxsize=4)
def _find_font(configured: str) -> ChartFont | None:
    try:
        from matplotlib import font_manager
    except ImportError:
        return None
    if configured:
        return ChartFont(path=configured) if _has_glyphs(configured) else None
    known = {f.name: f.fname for f in font_manager.fontManager.ttflist}
    for family in FONT_FAMILIES:
        if family in known and _has_glyphs(known[family]):
            return ChartFont(family=family)
    return _system_font(font_manager)


def _system_font(font_manager) -> ChartFont | None:
    """A CJK font file on the system that matplotlib's cached font list predates (the fonts were
    installed after matplotlib first ran): found by scanning the system's font folders."""
    from matplotlib.ft2font import FT2Font

    for path in sorted(font_manager.findSystemFonts(), key=lambda p: ("Regular" not in p, p)):  # the regular weight first
        try:
            family = FT2Font(path).family_name
        except Exception:  # not a font matplotlib can read
            continue
        if family in FONT_FAMILIES and _has_glyphs(path):
            return ChartFont(path=path)
    return None


def _has_glyphs(path: str) -> bool:
    try:
        from matplotlib.ft2font import FT2Font

        font = FT2Font(path)
    except Exception:  # a missing or unreadable file: treated as no font
        return False
    return all(font.get_char_index(ord(c)) for c in PROBE)


def rates_chart(*, title: str, categories: list[str], series: dict[str, list], font: ChartFont, unit: str = "%") -> bytes:
    """Horizontal grouped bars: one group per category (a child unit), one bar per series (a
    rate), values in percent (None: no bar). Returns a PNG."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    rows, bars = len(categories), max(len(series), 1)
    height = min(max(2.2, 0.32 * rows * bars + 1.4), 11)
    figure = Figure(figsize=(6.4, height), dpi=150)
    FigureCanvasAgg(figure)
    ax = figure.add_subplot()
    band = 0.8 / bars
    for i, (label, values) in enumerate(series.items()):
        positions = [r + (i - (bars - 1) / 2) * band for r in range(rows)]
        drawn = [float(v) if v is not None else 0.0 for v in values]
        container = ax.barh(positions, drawn, height=band * 0.9, label=label, color=COLOURS[i % len(COLOURS)])
        for bar, value in zip(container, values):
            text = "—" if value is None else f"{value}{unit}"
            ax.text(bar.get_width() + 1, bar.get_y() + bar.get_height() / 2, text, va="center", fontproperties=font.properties(7))
    ax.set_yticks(range(rows))
    ax.set_yticklabels(categories, fontproperties=font.properties(8))
    ax.invert_yaxis()
    ax.set_xlim(0, 115 if unit == "%" else None)
    for label in ax.get_xticklabels():
        label.set_fontproperties(font.properties(7))
    ax.set_title(title, fontproperties=font.properties(10))
    ax.spines[["top", "right"]].set_visible(False)
    if len(series) > 1:
        ax.legend(prop=font.properties(7), loc="lower right", frameon=False)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
