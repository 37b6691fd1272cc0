"""When does the gap close? A cohort's predicted line against the reference cohort's.

The gap at session t is d(t) = delta_a + delta_b t, with delta_a the cohort's intercept
difference (``group[T.level]``) and delta_b its slope difference (``time:group[T.level]``);
covariates shift both lines alike, so the gap does not depend on them. The lines meet at
t* = -delta_a / delta_b. Its 95% CI is Fieller's: the sessions t at which the t test of
d(t) = 0 is not rejected,

    (delta_a + delta_b t)^2 <= q^2 (V_aa + 2 t V_ab + t^2 V_bb),   q = t_0.975(df),

with df the slope difference's (Satterthwaite or Kenward-Roger). The set is a bounded
interval only when the slope difference itself is significant (delta_b^2 > q^2 V_bb);
otherwise it is unbounded and no crossing is claimed. A crossing is reported only when it is
bounded and t* lies within the observed sessions; otherwise the lines "do not meet within
the observed sessions" (they diverge, or met before the first session).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from scipy import stats

from .result import GapAt, GapClosing, Wald

GAP_SESSIONS = (1, 3, 5, 10)
CLOSES, NO_CROSSING = "closes", "no_crossing_within_observed_sessions"

Contrast = Callable[[np.ndarray], Wald]


def fieller(
    a: float, b: float, v_aa: float, v_ab: float, v_bb: float, q: float
) -> tuple[float, float] | None:
    """Fieller's interval of -a/b from the variances of (a, b); None when it is unbounded."""
    quadratic = b * b - q * q * v_bb
    half_linear = a * b - q * q * v_ab
    constant = a * a - q * q * v_aa
    if not quadratic > 0.0:
        return None
    root = math.sqrt(max(half_linear * half_linear - quadratic * constant, 0.0))
    return (-half_linear - root) / quadratic, (-half_linear + root) / quadratic


def gap_closing(
    level: str,
    n_subjects: int,
    intercept: np.ndarray,
    slope: np.ndarray,
    wald: Contrast,
    observed: tuple[float, float],
) -> GapClosing:
    """The gap of one cohort: at GAP_SESSIONS and the first observed one, and where it closes.

    ``intercept`` and ``slope`` are the weights of delta_a and delta_b among the fixed
    effects; ``wald`` tests a weight vector (estimate, variance and df of the model).
    """
    first, last = observed
    a, b, both = wald(intercept), wald(slope), wald(intercept + slope)
    v_ab = 0.5 * (both.se**2 - a.se**2 - b.se**2)
    crossing = -a.estimate / b.estimate if b.estimate != 0.0 else None
    q = float(stats.t.ppf(0.975, b.df)) if b.df is not None else float(stats.norm.ppf(0.975))
    interval = fieller(a.estimate, b.estimate, a.se**2, v_ab, b.se**2, q)
    closes = interval is not None and crossing is not None and first <= crossing <= last
    return GapClosing(
        level=level,
        n_subjects=n_subjects,
        status=CLOSES if closes else NO_CROSSING,
        crossing=crossing,
        crossing_ci_low=None if interval is None else interval[0],
        crossing_ci_high=None if interval is None else interval[1],
        crossing_df=b.df,
        first_session=first,
        last_session=last,
        start=_gap_at(first, intercept, slope, wald, observed),
        gaps=tuple(_gap_at(s, intercept, slope, wald, observed) for s in GAP_SESSIONS),
    )


def _gap_at(
    session: float, intercept: np.ndarray, slope: np.ndarray, wald: Contrast, observed
) -> GapAt:
    test = wald(intercept + session * slope)
    extrapolated = not observed[0] <= session <= observed[1]
    return GapAt(session, extrapolated, **vars(test))


def gap_sentence(gap: dict, reference: str, time: str = "session") -> str:
    """The answer in one plain English sentence, from ``GapClosing`` as a dict."""
    start = gap["start"]
    low, high = start["ci_low"], start["ci_high"]
    direction = "lower" if start["estimate"] < 0 else "higher"
    if start["estimate"] < 0:
        low, high = -high, -low
    opening = (
        f"{gap['level']} started {abs(start['estimate']):.2f} {direction} than {reference} "
        f"at {time} {start['session_number']:g} (95% CI {low:.2f} to {high:.2f})"
    )
    if gap["status"] == CLOSES:
        return (
            f"{opening}; the gap closed by {time} {math.ceil(gap['crossing'])} "
            f"(95% CI {math.floor(gap['crossing_ci_low'])} to "
            f"{math.ceil(gap['crossing_ci_high'])})."
        )
    return (
        f"{opening}; the lines do not cross within the observed {time}s "
        f"({gap['first_session']:g} to {gap['last_session']:g})."
    )
