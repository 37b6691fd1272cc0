"""SVG charts: well-formed, accessible, escaped, and honest about gaps."""

import xml.etree.ElementTree as ET  # noqa: S405 -- parses SVG this code wrote

import pytest

from interpreter_support.analysis.charts import ChartLabels, km_chart, trajectory_chart

NS = {"svg": "http://www.w3.org/2000/svg"}
MALICIOUS = '</text><script>alert("x")</script>&amp;\x00\x1b'


def point(session, mean, suppressed=False):
    if suppressed:
        return {"session_number": session, "mean": None, "ci_lower": None, "ci_upper": None}
    return {"session_number": session, "mean": mean, "ci_lower": mean - 0.2, "ci_upper": mean + 0.2}


TRAJECTORIES = {
    "cohorts": [
        {"cohort": "none", "points": [point(1, 3.0), point(2, 3.4), point(3, 3.6)]},
        {"cohort": "always", "points": [point(1, 2.8), point(2, 0, True), point(3, 3.3)]},
    ],
    "predicted": [
        {
            "cohort": "none",
            "points": [{"session_number": s, "predicted": 3 + 0.3 * s} for s in (1, 3)],
        }
    ],
}
RETENTION = {
    "curves": [
        {
            "cohort": "none",
            "points": [
                {"sessions": 0, "survival": 1.0, "ci_lower": 1.0, "ci_upper": 1.0},
                {"sessions": 2, "survival": 0.8, "ci_lower": 0.6, "ci_upper": 0.9},
                {"sessions": 5, "survival": None, "ci_lower": None, "ci_upper": None},
                {"sessions": 6, "survival": 0.5, "ci_lower": 0.2, "ci_upper": 0.7},
            ],
        }
    ]
}


def labels(cohort_label="Interpreter always", title="Alliance"):
    return ChartLabels(
        title=title,
        description="Mean per session",
        x_axis="Session",
        y_axis="Score",
        cohorts={"none": "No interpreter", "always": cohort_label},
        predicted="Model",
    )


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 -- our own output


@pytest.mark.parametrize("draw", [trajectory_chart, km_chart])
def test_charts_are_accessible_scalable_svg(draw):
    data = TRAJECTORIES if draw is trajectory_chart else RETENTION
    root = parse(draw(data, labels(), lambda v: f"{v:.1f}", chart_id="c1"))
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("viewBox").startswith("0 0 ") and root.get("width") is None
    assert root.get("direction") == "ltr" and root.get("role") == "img"
    assert root.find("svg:title", NS).text == "Alliance"
    assert root.find("svg:desc", NS).text == "Mean per session"
    assert root.get("aria-labelledby") == "c1-title c1-desc"
    assert not root.findall(".//svg:script", NS)


def test_labels_are_escaped_and_stripped_of_characters_xml_cannot_hold():
    svg = trajectory_chart(TRAJECTORIES, labels(MALICIOUS, title=MALICIOUS), str)
    root = parse(svg)
    assert "<script>" not in svg
    assert not root.findall(".//svg:script", NS)
    texts = [t.text for t in root.iterfind(".//svg:text", NS)]
    assert '</text><script>alert("x")</script>&amp;' in texts
    assert root.find("svg:title", NS).text == '</text><script>alert("x")</script>&amp;'


def test_numbers_go_through_the_callers_formatter():
    svg = trajectory_chart(TRAJECTORIES, labels(), lambda v: f"«{v:g}»")
    ticks = [t.text for t in parse(svg).iterfind(".//svg:text", NS) if t.text.startswith("«")]
    assert "«1»" in ticks and "«3»" in ticks


def test_right_to_left_labels_are_set_right_to_left():
    root = parse(trajectory_chart(TRAJECTORIES, labels("مع مترجم دائماً"), str))
    arabic = next(t for t in root.iterfind(".//svg:text", NS) if t.text == "مع مترجم دائماً")
    assert arabic.get("direction") == "rtl" and arabic.get("unicode-bidi") == "embed"
    assert arabic.get("text-anchor") == "end"  # the legend's start, mirrored
    latin = next(t for t in root.iterfind(".//svg:text", NS) if t.text == "No interpreter")
    assert latin.get("direction") is None and latin.get("text-anchor") == "start"


def test_suppressed_points_leave_gaps():
    root = parse(trajectory_chart(TRAJECTORIES, labels(), str))
    lines = [p.get("points").split() for p in root.iterfind(".//svg:polyline", NS)]
    # "none": one observed line of 3 points and the dashed model line; "always": the
    # suppressed session 2 splits its line into two single points, which draw no line
    assert sorted(len(points) for points in lines) == [2, 3]
    dashed = [p for p in root.iterfind(".//svg:polyline", NS) if p.get("stroke-dasharray") == "6 4"]
    assert len(dashed) == 1
    markers = root.findall(".//svg:g/svg:circle", NS) + root.findall(".//svg:g/svg:polygon", NS)
    assert len(markers) == 5 + 2  # five points shown, plus a marker per legend entry


def test_kaplan_meier_stops_at_the_first_suppressed_point():
    root = parse(km_chart(RETENTION, labels(), str))
    (curve,) = root.iterfind(".//svg:polyline", NS)
    xs = [float(p.split(",")[0]) for p in curve.get("points").split()]
    assert len(xs) == 3  # (0, 1), (2, 1), (2, 0.8): the step and nothing after session 5
    assert xs[1] == xs[2]
