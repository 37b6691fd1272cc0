"""Small cells: no number resting on fewer than k clients survives anywhere in the report."""

import json

from interpreter_support.analysis.report import run_report
from interpreter_support.analysis.selection import Selection
from interpreter_support.analysis.suppression import REASON, suppress

# keys holding statistics; every one of them must sit inside a figure with a client count
STATISTICS = {
    "mean", "sd", "ci_lower", "ci_upper", "estimate", "se", "p_value", "hedges_g", "alpha",
    "survival", "statistic", "pearson_r", "mean_difference", "loa_lower", "loa_upper",
    "rupture_rate", "share_repaired", "share_clients_with_rupture", "predicted",
    "median_sessions", "icc", "n_observations", "n_ruptures", "n_repaired", "n_dropouts",
}  # fmt: skip
COORDINATES = {"session_number", "sessions", "window", "df", "k"}


def test_a_small_figure_is_blanked_but_keeps_its_coordinates():
    figure = {"session_number": 7, "n_clients": 2, "mean": 3.1, "ci": {"low": 2.0}, "cohort": "x"}
    assert suppress({"points": [figure]}, k=5) == {
        "points": [
            {
                "session_number": 7,
                "n_clients": None,
                "mean": None,
                "ci": {"low": None},
                "cohort": "x",
                "suppressed": True,
                "reason": REASON,
            }
        ]
    }


def test_any_client_count_of_a_figure_can_suppress_it():
    comparison = {"n_clients": 40, "n_clients_reference": 3, "hedges_g": 0.4}
    assert suppress(comparison, k=5)["hedges_g"] is None
    assert suppress(comparison, k=3)["hedges_g"] == 0.4
    assert suppress({"n_clients": 0, "mean": None}, k=5) == {"n_clients": 0, "mean": None}


def test_partitions_hide_a_second_cell_so_the_first_cannot_be_recovered():
    cells = [{"language": code, "n_clients": n, "alpha": 0.8} for code, n in
             [("ar", 50), ("ps", 2), ("ti", 6), ("uk", 9)]]  # fmt: skip
    report = {"overall": {"n_clients": 67, "alpha": 0.8}, "by_language": cells}
    hidden = [c["language"] for c in suppress(report, k=5)["by_language"] if c.get("suppressed")]
    assert hidden == ["ps", "ti"]  # 67 - 50 - 9 leaves ps and ti together: 8 clients


def figures_and_parents(node, inside_figure=False, key=""):
    """Yield (key, value, inside a figure with a client count) for every number."""
    if isinstance(node, dict):
        counted = inside_figure or "n_clients" in node or "n_subjects" in node
        for child_key, child in node.items():
            yield from figures_and_parents(child, counted, child_key)
    elif isinstance(node, list):
        for child in node:
            yield from figures_and_parents(child, inside_figure, key)
    elif isinstance(node, int | float) and not isinstance(node, bool):
        yield key, node, inside_figure


def small_figures(node, k):
    """Every dict that states a client count between 1 and k - 1, before suppression."""
    if isinstance(node, dict):
        counts = [v for key, v in node.items() if key.startswith("n_clients") and v is not None]
        if any(0 < c < k for c in counts):
            yield node
        for child in node.values():
            yield from small_figures(child, k)
    elif isinstance(node, list):
        for child in node:
            yield from small_figures(child, k)


def test_no_number_on_fewer_than_k_clients_survives_in_the_report(synthetic):
    # a rare language, few clients late in treatment and a small "mixed" cohort
    rare = synthetic["client_key"].isin(synthetic["client_key"].unique()[:3])
    data = synthetic.assign(
        language=synthetic["language"].where(~rare, "dyu"),
        administration_language=synthetic["administration_language"].where(~rare, "dyu"),
    )
    selection = Selection("alliance-12", always_threshold=0.3, k=10)
    unsuppressed = run_report(data, Selection("alliance-12", always_threshold=0.3, k=3))
    assert list(small_figures(unsuppressed, 10)), "the data must contain small cells to hide"
    report = run_report(data, selection)
    assert not list(small_figures(report, 10))
    sections = {
        key: value for key, value in report.items() if key not in ("selection", "suppression")
    }
    for key, _, counted in figures_and_parents(sections):
        assert counted or key in COORDINATES or key == "threshold", key
    languages = {c["language"]: c for c in report["reliability"]["by_language"]}
    assert languages["dyu"]["suppressed"] and languages["dyu"]["alpha"] is None
    assert report["suppression"]["count"] > 0
    json.dumps(report, allow_nan=False)


def test_cohorts_below_k_are_left_out_before_any_total(synthetic):
    share = synthetic["interpreting"].ne("none").groupby(synthetic["client_key"]).mean()
    mixed = sorted(share.index[share.between(0, 1, inclusive="neither")])
    data = synthetic.loc[~synthetic["client_key"].isin(mixed[3:])]  # three mixed clients left
    report = run_report(data, Selection("alliance-12"))
    assert [c["cohort"] for c in report["overview"]["cohorts"]] == ["none", "always"]
    assert report["overview"]["excluded_cohorts"] == [
        {"cohort": "mixed", "suppressed": True, "reason": REASON}
    ]
    total = sum(c["n_clients"] for c in report["overview"]["cohorts"])
    assert report["overview"]["n_clients"] == total
    assert "mixed" not in json.dumps({k: v for k, v in report.items() if k != "overview"})
