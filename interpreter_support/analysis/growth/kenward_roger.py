"""Kenward-Roger: the adjusted covariance of the fixed effects and the df of a contrast.

The computation is pbkrtest's (``vcovAdj`` and ``Lb_ddf``; Halekoh & Hojsgaard 2014,
J. Stat. Softw. 59(9)), which lmerTest calls for ``ddf = "Kenward-Roger"``. The
covariance V = sum_r gamma_r G_r is linear in its parameters gamma: the entries of the
lower triangle of the random-effect covariance (G_r = Z E_r Z') and the residual
variance (G = I), so the second-derivative terms of Kenward & Roger (1997) vanish. With

    P_r = -X'V^-1 G_r V^-1 X,  Q_rs = X'V^-1 G_r V^-1 G_s V^-1 X,
    I_rs = tr(V^-1 G_r V^-1 G_s) - 2 tr(Phi Q_rs) + tr(Phi P_r Phi P_s),  W = 2 I^-1,

the adjusted covariance is Phi_A = Phi + 2 Phi [sum_rs W_rs (Q_rs - P_r Phi P_s)] Phi,
Phi = (X'V^-1 X)^-1. Every term is a sum over subjects of products of Z_i'Z_i, Z_i'X_i
and the totals X'X, because V_i^-1 = (I - Z_i M_i Z_i') / sigma^2 with
M_i = D (I + Z_i'Z_i D)^-1 (D relative to sigma^2): no n_i x n_i matrix is formed.
KR is invariant under linear reparametrisations of beta and of gamma, so the
optimiser's standardised scale gives the numbers of the original one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .reml import Summaries, inverse_and_logdet, lower_factor

_CONDITION = 1e-10


@dataclass(frozen=True)
class KenwardRoger:
    phi: np.ndarray  # unadjusted covariance of beta
    phi_adjusted: np.ndarray
    p_matrices: tuple[np.ndarray, ...]
    w: np.ndarray

    @classmethod
    def at(cls, theta: np.ndarray, s: Summaries, sigma2: float) -> KenwardRoger:
        p_list, q, ktrace, phi = _pieces(theta, s, sigma2)
        n = len(p_list)
        info = np.empty((n, n))
        for r in range(n):
            for t in range(n):
                info[r, t] = (
                    ktrace[r, t]
                    - 2.0 * np.sum(phi * q[r][t])
                    + np.sum((phi @ p_list[r]) * (p_list[t] @ phi))
                )
        if np.abs(np.linalg.eigvalsh(info)).min() > _CONDITION:
            w = 2.0 * np.linalg.inv(info)
        else:
            w = 2.0 * np.linalg.pinv(info)
        w = 0.5 * (w + w.T)
        u = sum(
            w[r, t] * (q[r][t] - p_list[r] @ phi @ p_list[t]) for r in range(n) for t in range(n)
        )
        return cls(phi, phi + 2.0 * phi @ u @ phi, tuple(p_list), w)

    def variance(self, weights: np.ndarray) -> float:
        return float(weights @ self.phi_adjusted @ weights)

    def df(self, weights: np.ndarray) -> float | None:
        """pbkrtest's ``Lb_ddf`` for one contrast (q = 1)."""
        v0 = self.phi
        theta = np.outer(weights, weights) / float(weights @ v0 @ weights)
        u = [theta @ v0 @ p @ v0 for p in self.p_matrices]
        a1 = a2 = 0.0
        for i in range(len(u)):
            for j in range(i, len(u)):
                e = 1.0 if i == j else 2.0
                a1 += e * self.w[i, j] * np.trace(u[i]) * np.trace(u[j])
                a2 += e * self.w[i, j] * np.sum(u[i] * u[j].T)
        return _ddf(a1, a2)


def _ddf(a1: float, a2: float, q: int = 1) -> float | None:
    b = (a1 + 6.0 * a2) / (2.0 * q)
    if a2 == 0.0:
        return None
    g = ((q + 1) * a1 - (q + 4) * a2) / ((q + 2) * a2)
    denominator = 3 * q + 2 * (1 - g)
    c1, c2, c3 = g / denominator, (q - g) / denominator, (q + 2 - g) / denominator
    v0, v1, v2 = 1 + c1 * b, 1 - c2 * b, 1 - c3 * b
    v0 = 0.0 if abs(v0) < 1e-10 else v0
    ratio = 1.0 if abs(1 - a2 / q) < 1e-14 and abs(v1) < 1e-14 else (1 - a2 / q) / v1
    rho = ratio**2 * v0 / (q * v2)
    if q * rho == 1.0:
        return None
    df = 4.0 + (q + 2) / (q * rho - 1)
    return float(df) if np.isfinite(df) and df > 0 else None


def _units(size: int) -> list[np.ndarray]:
    """E_r of each random-effect parameter: diagonal entries, and (1,2)+(2,1) if correlated."""
    if size == 1:
        return [np.ones((1, 1))]
    e11, e22 = np.diag([1.0, 0.0]), np.diag([0.0, 1.0])
    return [e11, e22] if size == 2 else [e11, np.array([[0.0, 1.0], [1.0, 0.0]]), e22]


def _mul(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Per-subject products of stacks (last axis the subject); a or b may be constant."""
    if a.ndim == 2:
        return np.einsum("jk,klm->jlm", a, b)
    if b.ndim == 2:
        return np.einsum("jkm,kl->jlm", a, b)
    return np.einsum("jkm,klm->jlm", a, b)


def _total(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """sum_i left_i' right_i."""
    return np.einsum("jam,jbm->ab", left, right)


@dataclass(frozen=True)
class _Products:
    """Sums over subjects (residual variance sigma^2 included in V)."""

    a: np.ndarray  # per subject: Z'V^-1 Z
    b: np.ndarray  # per subject: Z'V^-1 X
    a2: np.ndarray  # per subject: Z'V^-2 Z
    c: np.ndarray  # per subject: Z'V^-2 X
    xvx: np.ndarray  # X'V^-1 X, X'V^-2 X, X'V^-3 X and tr(V^-2): totals
    xv2x: np.ndarray
    xv3x: np.ndarray
    tr_v2: float


def _products(theta: np.ndarray, s: Summaries, sigma2: float) -> _Products:
    """With S = Z'Z, M = D (I + S D)^-1 and U = I - S M: Z'V^-k = U^k Z' / sigma^2k, and
    X'V^-k X expands in X'X - sum X'Z M (S M)^j Z'X."""
    d = lower_factor(theta) @ lower_factor(theta).T
    zz, zx, xx = s.ztz, s.ztr[:, : s.p], s.rtr[: s.p, : s.p]
    eye = np.eye(s.q)[:, :, None]
    m = _mul(d, inverse_and_logdet(eye + _mul(zz, d))[0])
    u = eye - _mul(zz, m)
    msmzx = _mul(m, _mul(zz, _mul(m, zx)))
    t1, t2 = _total(zx, _mul(m, zx)), _total(zx, msmzx)
    t3 = _total(zx, _mul(m, _mul(zz, msmzx)))
    ms = _mul(m, zz)
    tr_v2 = zz[0, 0] - 2.0 * np.einsum("jjm->m", ms) + np.einsum("jkm,kjm->m", ms, ms)
    return _Products(
        a=_mul(u, zz) / sigma2,
        b=_mul(u, zx) / sigma2,
        a2=_mul(u, _mul(u, zz)) / sigma2**2,
        c=_mul(u, _mul(u, zx)) / sigma2**2,
        xvx=(xx - t1) / sigma2,
        xv2x=(xx - 2.0 * t1 + t2) / sigma2**2,
        xv3x=(xx - 3.0 * t1 + 3.0 * t2 - t3) / sigma2**3,
        tr_v2=float(tr_v2.sum()) / sigma2**2,
    )


def _pieces(theta: np.ndarray, s: Summaries, sigma2: float):
    """P_r, Q_rs, tr(V^-1 G_r V^-1 G_s) and Phi; the residual variance is the last r."""
    x = _products(theta, s, sigma2)
    units = _units(theta.size)
    n = len(units) + 1
    p_list = [-_total(x.b, _mul(e, x.b)) for e in units] + [-x.xv2x]
    q = [[x.xv3x] * n for _ in range(n)]
    ktrace = np.full((n, n), x.tr_v2)
    for r, er in enumerate(units):
        for t, et in enumerate(units):
            q[r][t] = _total(x.b, _mul(er, _mul(x.a, _mul(et, x.b))))
            ktrace[r, t] = float(np.einsum("jkm,kjm->", _mul(er, x.a), _mul(et, x.a)))
        q[r][n - 1] = _total(x.b, _mul(er, x.c))
        q[n - 1][r] = q[r][n - 1].T
        ktrace[r, n - 1] = ktrace[n - 1, r] = float(np.einsum("jk,kjm->", er, x.a2))
    phi = np.linalg.inv(x.xvx)
    return p_list, q, ktrace, 0.5 * (phi + phi.T)
