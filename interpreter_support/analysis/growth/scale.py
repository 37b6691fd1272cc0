"""Standardising the data for the optimiser, and mapping the fit back exactly.

Columns of X other than the intercept, and the score, are centred and scaled so that the
optimiser sees a well-conditioned problem whatever the units of time or covariates are.
This is a linear reparametrisation: X = X_s T with T = [[1, m'], [0, diag(s)]] and
y = my + sy y_s, and for the random effects Z = Z_s W with W = [[1, mt], [0, st]].
So beta = T^-1 (sy beta_s + my e_0), D = W^-1 D_s W^-T (D relative to the residual
variance), and the REML criterion only gains the Jacobian terms
2 sum_j log s_j + 2 (n - p) log sy. The unstructured 2x2 random-effect covariance
makes the model itself invariant, so the fit is the one on the original scale.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

TIME_COLUMN = 1


@dataclass(frozen=True)
class Scaling:
    x_center: np.ndarray
    x_scale: np.ndarray
    y_center: float
    y_scale: float

    @classmethod
    def of(cls, x: np.ndarray, y: np.ndarray, terms: tuple[str, ...]) -> Scaling:
        """Means and standard deviations; a constant column other than the intercept fails."""
        center, scale = x.mean(axis=0), x.std(axis=0)
        center[0], scale[0] = 0.0, 1.0
        constant = [term for term, sd in zip(terms[1:], scale[1:], strict=True) if sd == 0.0]
        if constant:
            raise ValueError(f"term(s) {constant} take a single value: nothing to estimate")
        y_scale = float(y.std())
        if y_scale == 0.0:
            raise ValueError("score takes a single value: nothing to estimate")
        return cls(center, scale, float(y.mean()), y_scale)

    def apply(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return (x - self.x_center) / self.x_scale, (y - self.y_center) / self.y_scale

    def _t_inv(self) -> np.ndarray:
        t_inv = np.diag(1.0 / self.x_scale)
        t_inv[0, 1:] = -self.x_center[1:] / self.x_scale[1:]
        return t_inv

    def beta(self, beta_s: np.ndarray) -> np.ndarray:
        shifted = self.y_scale * beta_s
        shifted[0] += self.y_center
        return self._t_inv() @ shifted

    def contrast(self, weights: np.ndarray) -> np.ndarray:
        """The weights on beta_s of weights'beta (up to the factor sy and a constant)."""
        return self._t_inv().T @ weights

    @property
    def time_offset(self) -> float:
        """c in t_s = t / sd - c: the standardised time is time over its sd, shifted."""
        return float(self.x_center[TIME_COLUMN] / self.x_scale[TIME_COLUMN])

    def beta_cov(self, cov_s: np.ndarray) -> np.ndarray:
        t_inv = self._t_inv()
        return self.y_scale**2 * (t_inv @ cov_s @ t_inv.T)

    def variance(self, var_s: float) -> float:
        return self.y_scale**2 * var_s

    def relative_cov(self, d_s: np.ndarray) -> np.ndarray:
        """D on the original time scale (a random intercept alone is unaffected)."""
        if d_s.shape == (1, 1):
            return d_s
        mt, st = self.x_center[TIME_COLUMN], self.x_scale[TIME_COLUMN]
        w_inv = np.array([[1.0, -mt / st], [0.0, 1.0 / st]])
        return w_inv @ d_s @ w_inv.T

    def reml_crit(self, crit_s: float, n_obs: int) -> float:
        df = n_obs - self.x_center.size
        return crit_s + 2.0 * np.log(self.x_scale[1:]).sum() + 2.0 * df * np.log(self.y_scale)
