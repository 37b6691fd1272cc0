"""The growth model on a CSV file: the engine behind ``interpreter-support analyze``.

``analyze_csv`` returns the result as a JSON-ready dict, ``format_text`` renders that dict
as a table in the spirit of R's ``summary()``. Every problem with the file or its columns
raises ``CsvModelError`` (a ValueError) with a message that names the file or column.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from .growth.model import fit_growth_frame


class CsvModelError(ValueError):
    """The CSV file cannot be analysed as asked."""


def analyze_csv(
    path: str | Path,
    subject: str,
    time: str,
    score: str,
    group: str | None = None,
    reference: str | None = None,
    covariates: Iterable[str] = (),
    ddf: str = "satterthwaite",
) -> dict[str, Any]:
    """Fit score ~ time * group + covariates + (time | subject) to a CSV file.

    ``ddf`` is "satterthwaite" or "kenward-roger" (see ``growth_model``).
    """
    covariates = list(covariates)
    frame = _read(Path(path), subject, time, score, group, covariates)
    try:
        result = fit_growth_frame(
            frame, subject, time, score, group, reference, covariates, ddf=ddf
        )
    except ValueError as exc:
        raise CsvModelError(f"{path}: {exc}") from exc
    return result.to_dict()


def _read(
    path: Path, subject: str, time: str, score: str, group: str | None, covariates: list[str]
) -> pd.DataFrame:
    """Read the file, keeping subject and group codes as text (so '007' stays '007')."""
    labels = [subject] + ([group] if group else [])
    try:
        with path.open("rb") as raw:
            if any(b"\x00" in chunk for chunk in iter(lambda: raw.read(1 << 20), b"")):
                # pandas would cut fields at the NUL and silently merge subjects
                raise CsvModelError(f"{path}: not a readable UTF-8 CSV file: it contains NUL "
                                    "bytes (UTF-16 or binary?)")
        header = pd.read_csv(path, nrows=0).columns
        missing = [c for c in [subject, time, score, *labels[1:], *covariates] if c not in header]
        if missing:
            raise CsvModelError(f"{path}: no column(s) {missing}; it has {list(header)}")
        return pd.read_csv(path, dtype=dict.fromkeys(labels, str))
    except FileNotFoundError as exc:
        raise CsvModelError(f"{path}: no such file") from exc
    except IsADirectoryError as exc:
        raise CsvModelError(f"{path}: is a directory, not a CSV file") from exc
    except pd.errors.EmptyDataError as exc:
        raise CsvModelError(f"{path}: the file is empty") from exc
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise CsvModelError(f"{path}: not a readable UTF-8 CSV file ({exc})") from exc


def format_text(result: dict[str, Any]) -> str:
    """A plain-text report of an ``analyze_csv`` (or ``GrowthModelResult.to_dict``) result."""
    sections = [
        _header(result),
        _random_effects(result),
        _fixed_effects(result),
        _groups(result),
    ]
    if result["slope_difference"]:
        sections.append(_slope_differences(result))
    if result.get("gap_closing"):
        sections.append(_gap_closing(result))
    if result["notes"]:
        sections.append("Notes:\n" + "\n".join(f"  - {note}" for note in result["notes"]))
    return "\n\n".join(sections) + "\n"


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:.6g}"


def _p(value: float) -> str:
    return "<0.001" if value < 0.001 else f"{value:.3f}"


def _df(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def _yes(flag: bool) -> str:
    return "yes" if flag else "NO"


def _header(r: dict[str, Any]) -> str:
    return "\n".join(
        [
            "Linear mixed-effects growth model fitted by REML",
            f"Formula: {r['formula']}",
            f"Subjects: {r['n_subjects']}   Observations: {r['n_observations']}   "
            f"Rows dropped: {r['n_rows_dropped']}",
            f"Converged: {_yes(r['converged'])}   Random slope: {_yes(r['random_slope'])}   "
            f"REML log-likelihood: {r['loglik_reml']:.4f}   Iterations: {r['iterations']}",
        ]
    )


def _random_effects(r: dict[str, Any]) -> str:
    re = r["random_effects"]
    rows = [["(Intercept)", _num(re["var_intercept"]), _num(re["var_intercept"] ** 0.5), ""]]
    if re["var_slope"] is not None:
        corr = "" if re["corr"] is None else f"{re['corr']:.3f}"
        rows.append([r["time"], _num(re["var_slope"]), _num(re["var_slope"] ** 0.5), corr])
    rows.append(["Residual", _num(r["residual_var"]), _num(r["residual_var"] ** 0.5), ""])
    return "Random effects:\n" + _table(["", "Variance", "Std.Dev.", "Corr"], rows)


def _fixed_effects(r: dict[str, Any]) -> str:
    rows = [
        [
            f["term"],
            _num(f["estimate"]),
            _num(f["se"]),
            _df(f["df"]),
            _num(f["ci_low"]),
            _num(f["ci_high"]),
            _p(f["p"]),
        ]
        for f in r["fixed_effects"]
    ]
    headers = ["", "Estimate", "Std.Error", "df", "95% CI low", "95% CI high", "p"]
    return f"Fixed effects ({r['inference_method']}):\n" + _table(headers, rows)


def _groups(r: dict[str, Any]) -> str:
    rows = [
        [
            g["level"],
            str(g["n_subjects"]),
            str(g["n_observations"]),
            _num(g["intercept"]),
            _num(g["intercept_se"]),
            _num(g["slope"]),
            _num(g["slope_se"]),
        ]
        for g in r["groups"]
    ]
    headers = ["", "Subjects", "Observations", "At time 0", "SE", "Slope", "SE"]
    title = f"Lines per {r['group']}" if r["group"] else "Line for all subjects"
    return f"{title} (covariates at reference/zero):\n" + _table(headers, rows)


def _slope_differences(r: dict[str, Any]) -> str:
    rows = [
        [
            d["level"],
            _num(d["estimate"]),
            _num(d["se"]),
            _df(d["df"]),
            _num(d["ci_low"]),
            _num(d["ci_high"]),
            _p(d["p"]),
        ]
        for d in r["slope_difference"]
    ]
    headers = ["", "Difference", "Std.Error", "df", "95% CI low", "95% CI high", "p"]
    return f"Slope differences against {r['reference']!r}:\n" + _table(headers, rows)


def _gap_closing(r: dict[str, Any]) -> str:
    from .growth.gap import gap_sentence

    sentences = [f"  {gap_sentence(g, repr(r['reference']), r['time'])}" for g in r["gap_closing"]]
    rows = [
        [g["level"], f"{at['session_number']:g}" + (" *" if at["extrapolated"] else ""),
         _num(at["estimate"]), _num(at["se"]), _df(at["df"]), _num(at["ci_low"]),
         _num(at["ci_high"]), _p(at["p"])]
        for g in r["gap_closing"]
        for at in g["gaps"]
    ]  # fmt: skip
    headers = ["", r["time"], "Gap", "Std.Error", "df", "95% CI low", "95% CI high", "p"]
    return (
        f"When the gap to {r['reference']!r} closes (Fieller CI of the crossing):\n"
        + "\n".join(sentences)
        + "\n"
        + _table(headers, rows)
        + "\n  * beyond the observed range"
    )


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Left-aligned first column, right-aligned others, two spaces apart."""
    widths = [max(len(row[i]) for row in [headers, *rows]) for i in range(len(headers))]
    lines = []
    for row in [headers, *rows]:
        cells = [row[0].ljust(widths[0])]
        cells += [cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)]
        lines.append("  " + "  ".join(cells).rstrip())
    return "\n".join(lines)
