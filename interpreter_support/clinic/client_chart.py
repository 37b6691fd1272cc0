"""One client's scores across sessions, per perspective, as a small server-rendered SVG.

Each session is marked under the x axis with how it was interpreted (a letter code the
caller chooses, in the page's language), and a session where the interpreter changed gets
a red ring. Labels are passed in already translated; ElementTree escapes them.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET  # noqa: S405 - builds SVG, parses nothing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 44, 16, 16, 70
STYLES = (  # colour-blind-safe colours, told apart by dash pattern as well
    {"stroke": "#0072B2", "stroke-dasharray": "none"},
    {"stroke": "#D55E00", "stroke-dasharray": "8 4"},
    {"stroke": "#009E73", "stroke-dasharray": "2 3"},
)


@dataclass(frozen=True)
class Series:
    label: str
    points: Sequence[tuple[int, float]]  # (session position, score)


@dataclass(frozen=True)
class SessionMark:
    position: int
    code: str  # e.g. "T" for telephone, in the page's language
    changed: bool  # the interpreter changed at this session


def client_chart(series: Sequence[Series], marks: Sequence[SessionMark], *, title: str,
                 description: str, y_range: tuple[float, float], legend_title: str) -> str:
    positions = [mark.position for mark in marks] or [1]
    x_lo, x_hi = min(positions) - 0.5, max(positions) + 0.5
    y_lo, y_hi = y_range

    def x(value: float) -> float:
        return round(LEFT + (value - x_lo) / (x_hi - x_lo) * (WIDTH - LEFT - RIGHT), 1)

    def y(value: float) -> float:
        return round(HEIGHT - BOTTOM - (value - y_lo) / (y_hi - y_lo) * (HEIGHT - BOTTOM - TOP),
                     1)

    root = ET.Element("svg", {"xmlns": "http://www.w3.org/2000/svg", "role": "img",
                              "viewBox": f"0 0 {WIDTH} {HEIGHT}", "direction": "ltr",
                              "class": "chart", "aria-labelledby": "chart-title chart-desc"})
    ET.SubElement(root, "title", {"id": "chart-title"}).text = title
    ET.SubElement(root, "desc", {"id": "chart-desc"}).text = description
    _axes(root, x, y, y_range, marks)
    for index, line in enumerate(series):
        _line(root, line, STYLES[index % len(STYLES)], x, y)
    _legend(root, series, legend_title)
    return ET.tostring(root, encoding="unicode")


def _axes(root, x, y, y_range, marks: Sequence[SessionMark]) -> None:
    grid = {"stroke": "#d0d0d0", "stroke-width": "1"}
    for value in range(int(y_range[0]), int(y_range[1]) + 1):
        ET.SubElement(root, "line", {"x1": str(LEFT), "x2": str(WIDTH - RIGHT),
                                     "y1": str(y(value)), "y2": str(y(value)), **grid})
        _text(root, LEFT - 8, y(value) + 4, str(value), "end")
    base = HEIGHT - BOTTOM
    for mark in marks:
        _text(root, x(mark.position), base + 16, str(mark.position), "middle")
        _text(root, x(mark.position), base + 34, mark.code, "middle")
        if mark.changed:
            ET.SubElement(root, "circle", {"cx": str(x(mark.position)), "cy": str(base + 30),
                                           "r": "9", "fill": "none", "stroke": "#a4001d",
                                           "stroke-width": "2"})


def _line(root, line: Series, style: Mapping[str, str], x, y) -> None:
    if not line.points:
        return
    coords = " ".join(f"{x(px)},{y(py)}" for px, py in line.points)
    ET.SubElement(root, "polyline", {"points": coords, "fill": "none", "stroke-width": "2.5",
                                     **style})
    for px, py in line.points:
        ET.SubElement(root, "circle", {"cx": str(x(px)), "cy": str(y(py)), "r": "4",
                                       "fill": style["stroke"]})


def _legend(root, series: Sequence[Series], legend_title: str) -> None:
    top = HEIGHT - 14
    _text(root, LEFT, top, legend_title, "start")
    offset = LEFT + 8 + 7 * len(legend_title)
    for index, line in enumerate(series):
        style = STYLES[index % len(STYLES)]
        ET.SubElement(root, "line", {"x1": str(offset), "x2": str(offset + 24),
                                     "y1": str(top - 4), "y2": str(top - 4),
                                     "stroke-width": "2.5", **style})
        _text(root, offset + 30, top, line.label, "start")
        offset += 40 + 7 * len(line.label)


def _text(root, px: float, py: float, label: str, anchor: str) -> None:
    element = ET.SubElement(root, "text", {"x": str(px), "y": str(py), "font-size": "12",
                                           "text-anchor": anchor, "fill": "#1b1b1b"})
    element.text = label
