"""Profiled REML for a linear mixed model with a per-subject random intercept (and slope).

The criterion is lme4's (Bates, Maechler, Bolker & Walker 2015, J. Stat. Softw. 67(1),
section 3.4), with the random-effect covariance written relative to the residual variance
as D = Lambda Lambda' and theta the lower triangle of Lambda (column by column; two values
are the diagonal of an uncorrelated intercept and slope, lme4's ``(time || subject)``):

    REMLcrit(theta) = log|L|^2 + log|R_X|^2 + (n - p) (1 + log(2 pi r^2 / (n - p)))

Here log|L|^2 = sum_i log det(I + Z_i'Z_i D), R_X'R_X = X'V^-1 X with V_i = I + Z_i D Z_i',
and r^2 the residual sum of squares at the GLS estimate of beta. Everything comes from the
per-subject cross-products Z_i'Z_i and Z_i'[X_i y_i] and the totals [X y]'[X y], so one
evaluation (criterion and analytic gradient) costs O(subjects) batched 2x2 algebra.
Sums over subjects use einsum, not matmul: multi-threaded BLAS on the long subject axis
made evaluations up to ten times slower on a busy two-core machine.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import linalg


@dataclass(frozen=True)
class Summaries:
    """Cross-products per subject, the subject index last (a contiguous vector per entry).

    ztz[j, k, i] = (Z_i'Z_i)[j, k] and ztr[j, c, i] = (Z_i'[X_i y_i])[j, c]; rtr the total.
    """

    ztz: np.ndarray
    ztr: np.ndarray
    rtr: np.ndarray
    n_obs: int

    @property
    def q(self) -> int:
        return self.ztz.shape[0]

    @property
    def p(self) -> int:
        return self.rtr.shape[0] - 1

    def intercept_only(self) -> Summaries:
        """The summaries of the model with Z_i = [1] (a random intercept only)."""
        return Summaries(self.ztz[:1, :1], self.ztr[:1], self.rtr, self.n_obs)

    def rebased(self, w: np.ndarray) -> Summaries:
        """The summaries for the random-effect design Z_i W (W a 2x2 basis change)."""
        ztz = np.einsum("jk,klm,ln->jnm", w.T, self.ztz, w)
        ztr = np.einsum("jk,kcm->jcm", w.T, self.ztr)
        return Summaries(ztz, ztr, self.rtr, self.n_obs)


@dataclass(frozen=True)
class Profile:
    """The criterion at theta with beta and sigma^2 profiled out."""

    crit: float
    beta: np.ndarray
    a_inv: np.ndarray  # (X'V^-1 X)^-1: times sigma2 it is the covariance of beta
    sigma2: float
    gradient: np.ndarray
    rss: float  # r^2, the penalised residual sum of squares at beta


def build_summaries(
    codes: np.ndarray, n_subjects: int, x: np.ndarray, y: np.ndarray, time: np.ndarray
) -> Summaries:
    """Cross-products for Z_i = [1, t_i], one bincount per column pair (never per subject)."""
    r = np.empty((len(y), x.shape[1] + 1), order="F")  # columns contiguous for bincount
    r[:, :-1], r[:, -1] = x, y
    z = (np.ones_like(time), time)
    ztz = np.empty((2, 2, n_subjects))
    ztr = np.empty((2, r.shape[1], n_subjects))
    for j, zj in enumerate(z):
        for k in range(j, 2):
            ztz[j, k] = ztz[k, j] = np.bincount(codes, zj * z[k], n_subjects)
        for c in range(r.shape[1]):
            ztr[j, c] = np.bincount(codes, zj * r[:, c], n_subjects)
    return Summaries(ztz, ztr, r.T @ r, len(y))


def lower_factor(theta: np.ndarray) -> np.ndarray:
    """Lambda from theta: 1 value (intercept), 2 (a diagonal) or 3 (a lower triangle)."""
    if theta.size < 3:
        return np.diag(theta).astype(float)
    return np.array([[theta[0], 0.0], [theta[1], theta[2]]])


def theta_entries(size: int) -> tuple[np.ndarray, np.ndarray]:
    """Where the entries of theta sit in Lambda (row and column indices)."""
    if size < 3:
        return np.arange(size), np.arange(size)
    return np.tril_indices(2)


def _stacked_product(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Matrix products of stacks kept in the last axis: a (q, r, m) times b (r, k, m).

    Loops run over the at most 2x2 entries, each a vector over subjects; this is
    several times faster than numpy's matmul on an (m, 2, 2) stack.
    """
    return np.stack([sum(a[i, j] * b[j] for j in range(a.shape[1])) for i in range(a.shape[0])])


def inverse_and_logdet(k: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Closed-form inverse and log-determinant of a (q, q, m) stack with q <= 2."""
    if k.shape[0] == 1:
        return 1.0 / k, np.log(k[0, 0])
    det = k[0, 0] * k[1, 1] - k[0, 1] * k[1, 0]
    inv = np.stack([[k[1, 1], -k[0, 1]], [-k[1, 0], k[0, 0]]]) / det
    return inv, np.log(det)


def profile(theta: np.ndarray, s: Summaries, sigma2: float | None = None) -> Profile | None:
    """REMLcrit, beta, (X'V^-1X)^-1, sigma^2 and the gradient at theta (None if degenerate).

    With ``sigma2`` the residual variance is held there instead of profiled out: ``crit``
    is then the REML deviance at (theta, sigma2) and ``gradient`` its theta part (the
    function lmerTest differentiates for Satterthwaite's degrees of freedom).
    """
    lam = lower_factor(theta)
    d = (lam @ lam.T)[:, :, None]
    k_inv, logdet_k = inverse_and_logdet(np.eye(s.q)[:, :, None] + _stacked_product(s.ztz, d))
    # sum_i [X_i y_i]'V_i^-1[X_i y_i] = totals - sum_i ztr_i' D (I + S_i D)^-1 ztr_i
    h_ztr = _stacked_product(_stacked_product(d, k_inv), s.ztr)
    c = s.rtr - np.einsum("jcm,jdm->cd", s.ztr, h_ztr)
    p, df = s.p, s.n_obs - s.p
    try:
        chol = linalg.cho_factor(c[:p, :p], lower=False)
    except linalg.LinAlgError:
        return None
    beta = linalg.cho_solve(chol, c[:p, p])
    r2 = c[p, p] - c[:p, p] @ beta
    if not r2 > 0.0:
        return None
    logdet_a = 2.0 * np.log(np.diag(chol[0])).sum()
    a_inv = linalg.cho_solve(chol, np.eye(p))
    if sigma2 is None:
        crit = logdet_k.sum() + logdet_a + df * (1.0 + np.log(2.0 * np.pi * r2 / df))
        gradient = _gradient(lam, theta.size, k_inv, s, beta, a_inv, df / r2)
        return Profile(float(crit), beta, a_inv, float(r2 / df), gradient, float(r2))
    crit = logdet_k.sum() + logdet_a + df * np.log(2.0 * np.pi * sigma2) + r2 / sigma2
    gradient = _gradient(lam, theta.size, k_inv, s, beta, a_inv, 1.0 / sigma2)
    return Profile(float(crit), beta, a_inv, float(sigma2), gradient, float(r2))


def _gradient(
    lam: np.ndarray,
    size: int,
    k_inv: np.ndarray,
    s: Summaries,
    beta: np.ndarray,
    a_inv: np.ndarray,
    scale: float,
) -> np.ndarray:
    """d REMLcrit / d theta via G = dREMLcrit/dD (see module docstring):

    G = sum_i Z_i'V_i^-1 Z_i - (Z_i'V_i^-1 X_i) A^-1 (.)' - (n-p)/r^2 (Z_i'V_i^-1 e_i)(.)'
    and dREMLcrit/dLambda = 2 G Lambda, using Z_i'V_i^-1 = (I + Z_i'Z_i D)^-1 Z_i'.
    """
    zv_r = _stacked_product(k_inv, s.ztr)
    zv_x = zv_r[:, : s.p]
    zv_e = np.einsum("jcm,c->jm", zv_r, np.append(-beta, 1.0))
    g = (
        _stacked_product(k_inv, s.ztz).sum(axis=2)
        - np.einsum("jpm,kpm->jk", zv_x, np.einsum("pq,kqm->kpm", a_inv, zv_x))
        - scale * np.einsum("jm,km->jk", zv_e, zv_e)
    )
    g = 0.5 * (g + g.T)
    return (2.0 * g @ lam)[theta_entries(size)]
