"""Minimising the REML criterion over theta, and certifying the minimum.

L-BFGS-B (the diagonal of Lambda bounded below by 0, as in lme4) does the search. Its
stopping rules are relative to |REMLcrit|, which grows with the number of observations,
so they do not say how close the optimum is. Newton steps with a Hessian from central
differences of the analytic gradient finish the job, and the Newton decrement
g'H^-1 g / 2 (the decrease of REMLcrit still to be had, over the coordinates not held at
a bound by a positive gradient) certifies it: a fit is stationary when that is below
NEWTON_TOLERANCE (REMLcrit units, twice the log-likelihood) and H is positive definite.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import linalg, optimize

from .reml import Profile, Summaries, lower_factor, profile

NEWTON_TOLERANCE = 1e-6
_MAX_ITERATIONS = 500
_NEWTON_STEPS = 5
_HESSIAN_STEP = 1e-4


@dataclass(frozen=True)
class RemlFit:
    theta: np.ndarray
    profile: Profile
    optimizer_success: bool
    message: str
    iterations: int
    evaluations: int
    decrement: float  # predicted further decrease of REMLcrit; inf if H is not definite

    @property
    def relative_cov(self) -> np.ndarray:
        lam = lower_factor(self.theta)
        return lam @ lam.T

    @property
    def stationary(self) -> bool:
        values = np.concatenate([self.theta, self.profile.beta, [self.profile.crit]])
        return bool(np.isfinite(values).all() and self.decrement < NEWTON_TOLERANCE)


def lower_bounds(size: int) -> np.ndarray:
    """0 for the diagonal of Lambda (theta of size 1, 2 or 3; see ``lower_factor``)."""
    return np.zeros(size) if size < 3 else np.array([0.0, -np.inf, 0.0])


def fit_reml(s: Summaries, theta0: np.ndarray) -> RemlFit:
    """L-BFGS-B from theta0, then Newton steps; see the module docstring."""

    def objective(theta: np.ndarray) -> tuple[float, np.ndarray]:
        prof = profile(theta, s)
        if prof is None or not np.isfinite(prof.crit):
            return np.inf, np.zeros_like(theta)
        return prof.crit, prof.gradient

    bounds = [(lo if np.isfinite(lo) else None, None) for lo in lower_bounds(theta0.size)]
    res = optimize.minimize(
        objective,
        theta0,
        jac=True,
        method="L-BFGS-B",
        bounds=bounds,
        options={"maxiter": _MAX_ITERATIONS, "ftol": 1e-12, "gtol": 1e-7},
    )
    prof = profile(res.x, s)
    if prof is None:
        raise ValueError("the REML criterion is undefined: are the scores fitted exactly?")
    theta, prof, decrement, steps, evaluations = _polish(res.x, prof, s)
    return RemlFit(
        theta,
        prof,
        bool(res.success),
        str(res.message),
        int(res.nit) + steps,
        int(res.nfev) + evaluations,
        decrement,
    )


def _polish(
    theta: np.ndarray, prof: Profile, s: Summaries
) -> tuple[np.ndarray, Profile, float, int, int]:
    """Newton steps while they help: theta, profile, decrement, steps, evaluations."""
    steps = evaluations = 0
    while True:
        step, decrement = _newton_step(theta, prof, s)
        evaluations += 2 * theta.size
        if decrement < NEWTON_TOLERANCE or steps == _NEWTON_STEPS:
            break
        candidate = np.maximum(theta + step, lower_bounds(theta.size))
        new, evaluations = profile(candidate, s), evaluations + 1
        if new is None or not new.crit < prof.crit:
            break
        theta, prof, steps = candidate, new, steps + 1
    return theta, prof, decrement, steps, evaluations


def _newton_step(theta: np.ndarray, prof: Profile, s: Summaries) -> tuple[np.ndarray, float]:
    """The Newton step over the free coordinates and the decrease it predicts."""
    held = (lower_bounds(theta.size) == 0.0) & (theta <= 0.0) & (prof.gradient > 0.0)
    free = ~held
    step = np.zeros_like(theta)
    if not free.any():
        return step, 0.0
    hessian = _hessian(theta, s)
    if hessian is None:
        return step, np.inf
    gradient = prof.gradient[free]
    try:
        newton = linalg.cho_solve(linalg.cho_factor(hessian[np.ix_(free, free)]), gradient)
    except (linalg.LinAlgError, ValueError):  # not positive definite (or not finite)
        return step, np.inf
    step[free] = -newton
    return step, float(gradient @ newton / 2.0)


def _hessian(theta: np.ndarray, s: Summaries) -> np.ndarray | None:
    """Central differences of the analytic gradient, symmetrised."""
    columns = []
    for i in range(theta.size):
        shift = np.zeros_like(theta)
        shift[i] = _HESSIAN_STEP * max(1.0, abs(theta[i]))
        up, down = profile(theta + shift, s), profile(theta - shift, s)
        if up is None or down is None:
            return None
        columns.append((up.gradient - down.gradient) / (2.0 * shift[i]))
    hessian = np.array(columns)
    return 0.5 * (hessian + hessian.T)
