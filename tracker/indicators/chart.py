"""The chart of an indicator as plain geometry: horizontal bars, one per period, drawn by a Jinja template
as SVG on the server (no script). Pure: numbers in, numbers out.

Horizontal bars because the series are short (one to a few periods) and their labels long ("29,309,106"):
they read at 390 px wide without shrinking the text, which a scaled column chart would.
"""
import math
from dataclasses import dataclass

WIDTH = 320          # viewBox units; the SVG scales to its container, text stays legible at 390 px
LABEL_W = 56         # the period column ("2024-06")
VALUE_W = 96         # room after the longest bar for its value ("29,309,106")
ROW_H = 34
BAR_H = 20
TOP = 26             # room for the axis labels
BOTTOM = 8


@dataclass(frozen=True)
class Bar:
    period: str
    y: float
    width: float           # the (lower) value
    alt_width: float | None  # a second figure for the same period: drawn as an outlined extension
    label: str
    label_x: float


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    plot_x: float
    plot_w: float
    bar_h: float
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]


def nice_ceiling(value: float) -> float:
    """The smallest 1, 2, 2.5 or 5 times a power of ten that is at least `value`."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= value:
            return step * power
    return 10 * power


def build_chart(points: list[tuple[str, float, float | None]], fmt, fmt_tick) -> Chart:
    """points: (period, value, alt_value) in period order; fmt/fmt_tick format a value and an axis label."""
    plot_w = WIDTH - LABEL_W - VALUE_W
    top_value = max([max(v, a or v) for _, v, a in points] or [0])
    scale_max = nice_ceiling(top_value)
    per_unit = plot_w / scale_max
    bars = []
    for i, (period, value, alt) in enumerate(points):
        low = min(value, alt) if alt is not None else value
        high = max(value, alt) if alt is not None else value
        y = TOP + i * ROW_H + (ROW_H - BAR_H) / 2
        label = f"{fmt(value)} / {fmt(alt)}" if alt is not None else fmt(value)
        bars.append(Bar(period=period, y=y, width=max(low, 0) * per_unit,
                        alt_width=(high - low) * per_unit if alt is not None else None,
                        label=label, label_x=LABEL_W + max(high, 0) * per_unit + 6))
    ticks = tuple(Tick(LABEL_W + plot_w * f, fmt_tick(scale_max * f)) for f in (0, 0.5, 1))
    return Chart(width=WIDTH, height=TOP + ROW_H * max(len(points), 1) + BOTTOM, plot_x=LABEL_W, plot_w=plot_w,
                 bar_h=BAR_H, bars=tuple(bars), ticks=ticks)
