"""Chart geometry for inline SVG: a histogram and a horizontal bar chart.

Why our own SVG and not matplotlib: no dependency, nothing external to load (the CSP allows none),
text stays selectable, and colours come from the page's CSS variables, so the same chart is readable
in light and dark mode. This module only computes coordinates; templates/charts.html draws them
(autoescaped, like every other page).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    w: float
    h: float
    title: str  # the tooltip: what the bar counts
    value: str = ""  # printed at the bar's end
    value_x: float = 0.0
    value_y: float = 0.0
    css: str = "bar"


@dataclass(frozen=True)
class Tick:
    x: float
    y: float
    label: str
    anchor: str = "middle"


@dataclass
class Chart:
    width: float
    height: float
    title: str
    left: float
    top: float
    right: float
    bottom: float
    x_label: str = ""
    y_label: str = ""
    bars: list[Bar] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)
    grid: list[float] = field(default_factory=list)  # y (histogram) or x (bars) of grid lines


def fmt(value: float) -> str:
    return f"{round(value, 2):g}"


def nice_step(span: float, target: int = 5) -> float:
    """A 1/2/5 × 10^k step giving about ``target`` intervals over ``span``."""
    if span <= 0:
        return 1.0
    raw = span / target
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)


def bin_edges(high: float, bins: int = 10) -> list[float]:
    high = high if high > 0 else 1.0
    return [high * i / bins for i in range(bins + 1)]


def histogram(values: list[float], high: float, *, title: str, x_label: str = "points",
              bins: int = 10, width: float = 560, height: float = 260) -> Chart:
    """Counts of ``values`` in ``bins`` equal bins over [0, high]; the last bin includes ``high``."""
    edges = bin_edges(high, bins)
    counts = [0] * bins
    for value in values:
        index = min(bins - 1, max(0, int(value / edges[-1] * bins))) if edges[-1] else 0
        counts[index] += 1
    chart = Chart(width, height, title, left=44, top=16, right=width - 12, bottom=height - 44,
                  x_label=x_label, y_label="submissions")
    top_count = max(counts, default=0) or 1
    step = max(1, int(nice_step(top_count, 4)))
    y_max = math.ceil(top_count / step) * step
    plot_w, plot_h = chart.right - chart.left, chart.bottom - chart.top

    def y_of(count: float) -> float:
        return chart.bottom - plot_h * count / y_max

    for k in range(0, y_max + 1, step):
        chart.grid.append(y_of(k))
        chart.ticks.append(Tick(chart.left - 6, y_of(k) + 4, str(k), "end"))
    bar_w = plot_w / bins
    for i, count in enumerate(counts):
        x = chart.left + i * bar_w
        closing = "]" if i == bins - 1 else ")"
        label = f"[{fmt(edges[i])}, {fmt(edges[i + 1])}{closing}: {count} submission{'s' * (count != 1)}"
        y = y_of(count)
        chart.bars.append(Bar(x + 1, y, max(bar_w - 2, 1), chart.bottom - y, label,
                              str(count) if count else "", x + bar_w / 2, y - 4))
    x_step = nice_step(edges[-1], 5)
    tick = 0.0
    while tick <= edges[-1] + 1e-9:
        chart.ticks.append(Tick(chart.left + plot_w * tick / edges[-1], chart.bottom + 16, fmt(tick)))
        tick += x_step
    return chart


def hbars(items: list[tuple[str, float, str]], *, title: str, x_label: str = "% passed",
          width: float = 560, row: float = 24) -> Chart:
    """One bar per (label, fraction in [0, 1], tooltip), as a percentage."""
    label_w = min(260.0, 12 + 7.2 * max((len(label) for label, _, _ in items), default=4))
    height = 16 + row * max(len(items), 1) + 40
    chart = Chart(width, height, title, left=label_w, top=16, right=width - 44, bottom=height - 40, x_label=x_label)
    plot_w = chart.right - chart.left
    for pct in range(0, 101, 25):
        x = chart.left + plot_w * pct / 100
        chart.grid.append(x)
        chart.ticks.append(Tick(x, chart.bottom + 16, f"{pct}%"))
    for i, (label, fraction, tooltip) in enumerate(items):
        y = chart.top + i * row
        w = plot_w * min(max(fraction, 0.0), 1.0)
        css = "bar good" if fraction >= 0.8 else ("bar warn" if fraction >= 0.5 else "bar bad")
        chart.bars.append(Bar(chart.left, y + 3, w, row - 6, tooltip, f"{fraction * 100:.0f}%",
                              chart.left + w + 4, y + row / 2 + 4, css))
        short = label if len(label) <= 34 else label[:33] + "…"
        chart.ticks.append(Tick(chart.left - 6, y + row / 2 + 4, short, "end"))
    return chart
