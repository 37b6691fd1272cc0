"""Satterthwaite's degrees of freedom for the fixed effects, computed as lmerTest does.

For a contrast L'beta with variance v = L'C L, C = sigma^2 (X'V^-1 X)^-1:

    df = 2 v^2 / (g' A g),   g = d v / d(theta, sigma),   A = 2 H^-1

with H the Hessian of the REML deviance in (theta, sigma) at the optimum (sigma not
profiled out) and A inverted over the eigenvalues above 1e-8 only (lmerTest's
``as_lmerModLT``; Kuznetsova, Brockhoff & Christensen 2017, J. Stat. Softw. 82(13)).
At a stationary point df does not depend on how the variance parameters are written,
so everything is computed on the optimiser's standardised scale. H comes from central
differences of the analytic gradient, dC/dtheta from central differences of
(X'V^-1 X)^-1 (lmerTest uses numDeriv's Richardson extrapolation for both).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .reml import Profile, Summaries, profile

_STEP = 1e-4
_EIGEN_TOLERANCE = 1e-8


@dataclass(frozen=True)
class Satterthwaite:
    cov_beta: np.ndarray  # C at the optimum (p x p)
    jacobian: np.ndarray  # dC / d varpar_k, shape (k, p, p)
    vcov_varpar: np.ndarray  # A = 2 H^+

    @classmethod
    def at(cls, theta: np.ndarray, s: Summaries, sigma2: float) -> Satterthwaite | None:
        """The pieces at the optimum (theta, sigma^2); None where the deviance is undefined."""
        varpar = np.append(theta, np.sqrt(sigma2))
        derivatives = _derivatives(varpar, s)
        if derivatives is None:
            return None
        hessian, jacobian, a_inv = derivatives
        values, vectors = np.linalg.eigh(hessian)
        keep = values > _EIGEN_TOLERANCE
        h_inv = (vectors[:, keep] / values[keep]) @ vectors[:, keep].T
        return cls(sigma2 * a_inv, jacobian, 2.0 * h_inv)

    def df(self, weights: np.ndarray) -> float | None:
        """Degrees of freedom of weights'beta (None when the denominator vanishes)."""
        variance = float(weights @ self.cov_beta @ weights)
        gradient = np.einsum("kij,i,j->k", self.jacobian, weights, weights)
        denominator = float(gradient @ self.vcov_varpar @ gradient)
        if not denominator > 0.0 or not np.isfinite(denominator):
            return None
        return 2.0 * variance**2 / denominator


def _derivatives(
    varpar: np.ndarray, s: Summaries
) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """Hessian of the deviance, dC/d varpar and (X'V^-1X)^-1, from 2 k + 1 evaluations.

    (X'V^-1 X)^-1 does not depend on sigma, so the theta shifts that give the Hessian's
    columns give dC/dtheta too; dC/dsigma = 2 sigma (X'V^-1 X)^-1.
    """
    sigma = varpar[-1]
    base = profile(varpar[:-1], s)
    if base is None:
        return None
    columns, slices = [], []
    for i, h in enumerate(_STEP * np.maximum(1.0, np.abs(varpar))):
        shift = np.zeros_like(varpar)
        shift[i] = h
        up, down = _deviance(varpar + shift, s), _deviance(varpar - shift, s)
        if up is None or down is None:
            return None
        difference = _gradient(varpar + shift, up, s) - _gradient(varpar - shift, down, s)
        columns.append(difference / (2.0 * h))
        if i < varpar.size - 1:
            slices.append(sigma**2 * (up.a_inv - down.a_inv) / (2.0 * h))
    slices.append(2.0 * sigma * base.a_inv)
    hessian = np.array(columns)
    return 0.5 * (hessian + hessian.T), np.array(slices), base.a_inv


def _deviance(varpar: np.ndarray, s: Summaries) -> Profile | None:
    return profile(varpar[:-1], s, sigma2=float(varpar[-1] ** 2))


def _gradient(varpar: np.ndarray, prof: Profile, s: Summaries) -> np.ndarray:
    """d deviance / d(theta, sigma): theta from the analytic gradient, sigma in closed form."""
    sigma, df = varpar[-1], s.n_obs - s.p
    return np.append(prof.gradient, 2.0 * df / sigma - 2.0 * prof.rss / sigma**3)
