"""Server-rendered SVG charts of the report: trajectories and Kaplan-Meier retention.

No JavaScript, no fonts but the reader's own sans-serif, a viewBox so the chart scales on a
phone. The caller passes every label (already translated) and a number formatter (Babel),
so nothing here is language-specific. ElementTree escapes all text and attribute values;
characters that XML cannot carry at all are dropped first. The drawing is left-to-right
(direction="ltr" on the root, as a chart's axes are), while each label that starts with a
right-to-left letter is set right-to-left with its anchor mirrored, so it stays readable.
Suppressed points (value None) are gaps: lines break there, nothing is drawn.
"""

from __future__ import annotations

import math
import re
import unicodedata
import xml.etree.ElementTree as ET  # noqa: S405 -- builds SVG, parses nothing
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import takewhile
from xml.etree.ElementTree import Element  # noqa: S405 -- builds SVG, parses nothing

SVG_NS = "http://www.w3.org/2000/svg"
# Okabe and Ito's palette, readable with the common colour-vision deficiencies.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
MARKERS = ("circle", "square", "triangle", "diamond", "triangle_down")
_SHAPES = {  # outlines around (0, 0) for a marker of size 1
    "square": ((-0.9, -0.9), (0.9, -0.9), (0.9, 0.9), (-0.9, 0.9)),
    "triangle": ((0, -1.2), (1.1, 0.9), (-1.1, 0.9)),
    "triangle_down": ((0, 1.2), (1.1, -0.9), (-1.1, -0.9)),
    "diamond": ((0, -1.3), (1, 0), (0, 1.3), (-1, 0)),
}
_MARKER_SIZE = 4.5
DASHES = ("none", "8 4", "2 3", "10 3 2 3", "4 4", "12 4", "1 2")
PREDICTED_DASH = "6 4"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_MARGIN = {"left": 64, "right": 16, "top": 16, "bottom": 52}
_LEGEND_ROW = 20

Formatter = Callable[[float], str]
Point = tuple[float, float | None]
Ticks = Sequence[float]
LegendEntry = tuple[str, Mapping[str, str], str | None]  # label, line style, marker


@dataclass(frozen=True)
class ChartLabels:
    """Translated text for one chart; `cohorts` maps cohort codes to display names."""

    title: str
    description: str
    x_axis: str
    y_axis: str
    cohorts: Mapping[str, str] = field(default_factory=dict)
    predicted: str = ""  # legend entry for the model's lines


@dataclass(frozen=True)
class _Frame:
    """Pixel mapping of the plotting area."""

    width: int
    height: int
    x_range: tuple[float, float]
    y_range: tuple[float, float]

    def x(self, value: float) -> float:
        lo, hi = self.x_range
        span = self.width - _MARGIN["left"] - _MARGIN["right"]
        return round(_MARGIN["left"] + (value - lo) / ((hi - lo) or 1) * span, 2)

    def y(self, value: float) -> float:
        lo, hi = self.y_range
        bottom = self.height - _MARGIN["bottom"]
        return round(bottom - (value - lo) / ((hi - lo) or 1) * (bottom - _MARGIN["top"]), 2)


def trajectory_chart(
    trajectories: Mapping, labels: ChartLabels, fmt: Formatter, *, chart_id: str = "trajectory"
) -> str:
    """Mean per session with 95 % CI whiskers per cohort, the model's lines dashed."""
    lines = trajectories.get("cohorts", [])
    predicted = trajectories.get("predicted") or []
    means = {c["cohort"]: [(p["session_number"], p["mean"]) for p in c["points"]] for c in lines}
    fitted = {
        c["cohort"]: [(p["session_number"], p["predicted"]) for p in c["points"]] for c in predicted
    }
    values = [p[k] for c in lines for p in c["points"] for k in ("ci_lower", "ci_upper", "mean")]
    values += [y for points in fitted.values() for _, y in points]
    sessions = [x for points in means.values() for x, y in points if y is not None]
    x_range = _extent(sessions, absolute=0.5)
    frame = _Frame(640, 400, x_range, _extent(_numbers(values), relative=0.05))
    root, plot = _canvas(frame, labels, chart_id, legend_rows=len(means) + bool(fitted))
    _axes(plot, frame, labels, fmt, _integer_ticks(frame.x_range), _nice_ticks(frame.y_range))
    for i, line in enumerate(lines):
        style = _style(i)
        for point in line["points"]:
            _whisker(plot, frame, point, style["stroke"], dodge=(i - (len(lines) - 1) / 2) * 4)
        _polyline(plot, frame, means[line["cohort"]], style)
        for x, y in means[line["cohort"]]:
            if y is not None:
                _marker(plot, frame.x(x), frame.y(y), _marker_of(i), style["stroke"])
        if line["cohort"] in fitted:
            dashed = style | {"stroke-dasharray": PREDICTED_DASH, "stroke-width": "1.5"}
            _polyline(plot, frame, fitted[line["cohort"]], dashed)
    entries = [(labels.cohorts.get(c, c), _style(i), _marker_of(i)) for i, c in enumerate(means)]
    if fitted:
        entries.append((labels.predicted, _style(0, PREDICTED_DASH) | {"stroke": "#555"}, None))
    _legend(root, frame, entries)
    return _serialise(root)


def km_chart(
    retention: Mapping, labels: ChartLabels, fmt: Formatter, *, chart_id: str = "retention"
) -> str:
    """Kaplan-Meier step curves per cohort with a shaded 95 % band, until suppressed."""
    curves = retention.get("curves", [])
    # a curve stops at its first suppressed point: a KM tail cannot resume after a gap
    shown = {
        c["cohort"]: list(takewhile(lambda p: p["survival"] is not None, c["points"]))
        for c in curves
    }
    sessions = [p["sessions"] for points in shown.values() for p in points]
    frame = _Frame(640, 400, _extent([0, *sessions]), (0.0, 1.0))
    root, plot = _canvas(frame, labels, chart_id, legend_rows=len(shown))
    _axes(plot, frame, labels, fmt, _integer_ticks(frame.x_range), [0, 0.25, 0.5, 0.75, 1.0])
    entries = []
    for i, (cohort, points) in enumerate(shown.items()):
        style = _style(i, DASHES[i % len(DASHES)])
        limited = [p for p in points if p["ci_lower"] is not None]  # none where S = 0
        band = _steps(limited, "ci_upper") + _steps(limited, "ci_lower")[::-1]
        if band:
            _element(plot, "polygon", points=_coords(frame, band), fill=style["stroke"])
            plot[-1].set("fill-opacity", "0.12")
        _polyline(plot, frame, _steps(points, "survival"), style)
        entries.append((labels.cohorts.get(cohort, cohort), style, None))
    _legend(root, frame, entries)
    return _serialise(root)


def _steps(points: Sequence[Mapping], key: str) -> list[Point]:
    path: list[Point] = []
    for point in points:
        if path:
            path.append((point["sessions"], path[-1][1]))
        path.append((point["sessions"], point[key]))
    return path


def _numbers(values: Sequence[float | None]) -> list[float]:
    return [v for v in values if v is not None and math.isfinite(v)]


def _extent(
    values: Sequence[float], absolute: float = 0.0, relative: float = 0.0
) -> tuple[float, float]:
    """The range of `values` widened on both sides (a unit range around a single value)."""
    if not values:
        return (0.0, 1.0)
    lo, hi = min(values), max(values)
    if hi == lo:
        return (lo - 1, hi + 1)
    margin = absolute + (hi - lo) * relative
    return (lo - margin, hi + margin)


def _nice_ticks(extent: tuple[float, float], target: int = 6) -> list[float]:
    lo, hi = extent
    raw = (hi - lo) / target
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.ceil(lo / step) * step
    return [round(first + i * step, 10) for i in range(int((hi - first) / step + 1e-9) + 1)]


def _integer_ticks(extent: tuple[float, float]) -> list[float]:
    lo, hi = math.ceil(extent[0]), math.floor(extent[1])
    step = next(s for s in (1, 2, 5, 10, 20, 50, 100) if (hi - lo) / s <= 12)
    return list(range(lo - lo % step + (step if lo % step else 0), hi + 1, step))


def _marker_of(index: int) -> str:
    return MARKERS[index % len(MARKERS)]


def _style(index: int, dash: str = "none") -> dict[str, str]:
    return {"stroke": PALETTE[index % len(PALETTE)], "stroke-width": "2", "stroke-dasharray": dash}


def _canvas(
    frame: _Frame, labels: ChartLabels, chart_id: str, legend_rows: int
) -> tuple[Element, Element]:
    height = frame.height + legend_rows * _LEGEND_ROW
    root = ET.Element("svg", xmlns=SVG_NS, viewBox=f"0 0 {frame.width} {height}")
    root.attrib.update({"role": "img", "direction": "ltr", "font-family": "sans-serif"})
    root.set("aria-labelledby", f"{chart_id}-title {chart_id}-desc")
    root.set("font-size", "12")
    ET.SubElement(root, "title", id=f"{chart_id}-title").text = _clean(labels.title)
    ET.SubElement(root, "desc", id=f"{chart_id}-desc").text = _clean(labels.description)
    return root, ET.SubElement(root, "g")


def _axes(
    plot: Element, frame: _Frame, labels: ChartLabels, fmt: Formatter, xs: Ticks, ys: Ticks
) -> None:
    left, bottom = _MARGIN["left"], frame.height - _MARGIN["bottom"]
    right = frame.width - _MARGIN["right"]
    axis = {"stroke": "#333", "stroke-width": "1"}
    _element(plot, "line", x1=left, y1=bottom, x2=right, y2=bottom, **axis)
    _element(plot, "line", x1=left, y1=_MARGIN["top"], x2=left, y2=bottom, **axis)
    for x in xs:
        _element(plot, "line", x1=frame.x(x), y1=bottom, x2=frame.x(x), y2=bottom + 5, **axis)
        _text(plot, frame.x(x), bottom + 18, fmt(x), "middle")
    for y in ys:
        _element(plot, "line", x1=left - 5, y1=frame.y(y), x2=left, y2=frame.y(y), **axis)
        _element(plot, "line", x1=left, y1=frame.y(y), x2=right, y2=frame.y(y), stroke="#ddd")
        # a formatted number may open with an Arabic letter mark: never mirror tick labels
        _text(plot, left - 8, frame.y(y) + 4, fmt(y), "end", rtl_mirror=False)
    _text(plot, (left + right) / 2, bottom + 40, labels.x_axis, "middle")
    y_label = _text(plot, 0, 0, labels.y_axis, "middle")
    y_label.set("transform", f"translate(16 {(bottom + _MARGIN['top']) / 2}) rotate(-90)")


def _whisker(plot: Element, frame: _Frame, point: Mapping, colour: str, dodge: float) -> None:
    low, high = point.get("ci_lower"), point.get("ci_upper")
    if low is None or high is None:
        return
    x = frame.x(point["session_number"]) + dodge
    _element(plot, "line", x1=x, y1=frame.y(low), x2=x, y2=frame.y(high), stroke=colour)
    plot[-1].set("stroke-opacity", "0.6")


def _polyline(
    plot: Element, frame: _Frame, points: Sequence[Point], style: Mapping[str, str]
) -> None:
    """One polyline per run of points without a gap."""
    run: list[tuple[float, float]] = []
    for x, y in [*points, (math.nan, None)]:
        if y is not None:
            run.append((x, y))
            continue
        if len(run) > 1:
            _element(plot, "polyline", points=_coords(frame, run), fill="none", **style)
        run = []


def _coords(frame: _Frame, points: Sequence[tuple[float, float]]) -> str:
    return " ".join(f"{frame.x(x)},{frame.y(y)}" for x, y in points)


def _marker(parent: Element, x: float, y: float, shape: str | None, colour: str) -> None:
    if shape is None:
        return
    if shape == "circle":
        _element(parent, "circle", cx=x, cy=y, r=_MARKER_SIZE, fill=colour)
        return
    points = " ".join(
        f"{round(x + dx * _MARKER_SIZE, 2)},{round(y + dy * _MARKER_SIZE, 2)}"
        for dx, dy in _SHAPES[shape]
    )
    _element(parent, "polygon", points=points, fill=colour)


def _legend(root: Element, frame: _Frame, entries: Sequence[LegendEntry]) -> None:
    group = ET.SubElement(root, "g")
    for row, (label, style, marker) in enumerate(entries):
        y = frame.height + row * _LEGEND_ROW
        x = _MARGIN["left"]
        _element(group, "line", x1=x, y1=y, x2=x + 28, y2=y, **style)
        _marker(group, x + 14, y, marker, style["stroke"])
        _text(group, x + 36, y + 4, label, "start")


def _element(parent: Element, tag: str, **attrs: object) -> Element:
    return ET.SubElement(parent, tag, {name.replace("_", "-"): str(v) for name, v in attrs.items()})


def _text(
    parent: Element, x: float, y: float, label: str, anchor: str, *, rtl_mirror: bool = True
) -> Element:
    text = _clean(label)
    node = _element(parent, "text", x=round(x, 2), y=round(y, 2), text_anchor=anchor)
    if rtl_mirror and _is_rtl(text):
        node.set("direction", "rtl")
        node.set("unicode-bidi", "embed")
        node.set("text-anchor", {"start": "end", "end": "start"}.get(anchor, anchor))
    node.text = text
    return node


def _is_rtl(text: str) -> bool:
    """True when the first letter with a strong direction is right-to-left."""
    for char in text:
        direction = unicodedata.bidirectional(char)
        if direction in ("R", "AL"):
            return True
        if direction == "L":
            return False
    return False


def _clean(text: str) -> str:
    return _NOT_XML.sub("", str(text))


def _serialise(root: Element) -> str:
    return ET.tostring(root, encoding="unicode")
