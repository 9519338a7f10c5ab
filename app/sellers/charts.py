"""Geometry for the dashboard's server-rendered SVG bar charts; the template draws them."""
from __future__ import annotations

from dataclasses import dataclass

WIDTH = 480
LABEL_WIDTH = 150
BAR_HEIGHT = 22
GAP = 10


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    text: str          # the value as the locale writes it
    y: int
    width: int


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    height: int
    label_width: int = LABEL_WIDTH
    width: int = WIDTH


def bar_chart(rows: list[tuple[str, int, str]], *, maximum: int | None = None) -> BarChart:
    """Horizontal bars for (label, value, formatted value) rows, scaled to `maximum` (default: the largest)."""
    top = maximum or max((value for _, value, _ in rows), default=0) or 1
    room = WIDTH - LABEL_WIDTH - 60
    bars = [Bar(label, value, text, i * (BAR_HEIGHT + GAP), max(0, value * room // top))
            for i, (label, value, text) in enumerate(rows)]
    return BarChart(bars, max(len(bars) * (BAR_HEIGHT + GAP) - GAP, BAR_HEIGHT))
