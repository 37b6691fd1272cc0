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
        base = profile(theta, s)
        hessian = _deviance_hessian(varpar, s)
        jacobian = _cov_jacobian(varpar, s)
        if base is None or hessian is None or jacobian is None:
            return None
        values, vectors = np.linalg.eigh(hessian)
        keep = values > _EIGEN_TOLERANCE
        h_inv = (vectors[:, keep] / values[keep]) @ vectors[:, keep].T
        return cls(sigma2 * base.a_inv, jacobian, 2.0 * h_inv)

    def df(self, weights: np.ndarray) -> float | None:
        """Degrees of freedom of weights'beta (None when the denominator vanishes)."""
        variance = float(weights @ self.cov_beta @ weights)
        gradient = np.einsum("kij,i,j->k", self.jacobian, weights, weights)
        denominator = float(gradient @ self.vcov_varpar @ gradient)
        if not denominator > 0.0 or not np.isfinite(denominator):
            return None
        return 2.0 * variance**2 / denominator


def _deviance(varpar: np.ndarray, s: Summaries) -> Profile | None:
    return profile(varpar[:-1], s, sigma2=float(varpar[-1] ** 2))


def _deviance_gradient(varpar: np.ndarray, s: Summaries) -> np.ndarray | None:
    """d deviance / d(theta, sigma): theta from the analytic gradient, sigma in closed form."""
    prof = _deviance(varpar, s)
    if prof is None:
        return None
    sigma, df = varpar[-1], s.n_obs - s.p
    return np.append(prof.gradient, 2.0 * df / sigma - 2.0 * prof.rss / sigma**3)


def _steps(varpar: np.ndarray) -> np.ndarray:
    return _STEP * np.maximum(1.0, np.abs(varpar))


def _deviance_hessian(varpar: np.ndarray, s: Summaries) -> np.ndarray | None:
    columns = []
    for i, h in enumerate(_steps(varpar)):
        shift = np.zeros_like(varpar)
        shift[i] = h
        up, down = _deviance_gradient(varpar + shift, s), _deviance_gradient(varpar - shift, s)
        if up is None or down is None:
            return None
        columns.append((up - down) / (2.0 * h))
    hessian = np.array(columns)
    return 0.5 * (hessian + hessian.T)


def _cov_jacobian(varpar: np.ndarray, s: Summaries) -> np.ndarray | None:
    """d C / d(theta, sigma) with C = sigma^2 (X'V^-1 X)^-1 (which depends on theta only)."""
    theta, sigma = varpar[:-1], varpar[-1]
    slices = []
    for i, h in enumerate(_steps(varpar)[:-1]):
        shift = np.zeros_like(theta)
        shift[i] = h
        up, down = profile(theta + shift, s), profile(theta - shift, s)
        if up is None or down is None:
            return None
        slices.append(sigma**2 * (up.a_inv - down.a_inv) / (2.0 * h))
    base = profile(theta, s)
    if base is None:
        return None
    slices.append(2.0 * sigma * base.a_inv)
    return np.array(slices)
