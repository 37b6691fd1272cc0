"""Within- and between-client effects of interpreter presence (Mundlak's device).

score ~ (interpreted - client mean) + client mean + session indicators + covariates
        + the client means of every other regressor that varies within a client,
by OLS with standard errors clustered on the client (CR1: G/(G-1) (N-1)/(N-K), as Stata
and R's ``sandwich::vcovCL(type = "HC1")``) and t tests on G - 1 degrees of freedom.
With the client mean of every time-varying regressor in the model (Mundlak 1978), the
within term is exactly the client fixed-effects estimate (``plm(model = "within")``,
``fixest::feols(y ~ x | client)``):
only changes within a client inform it, so clients whose interpreting never varies do
not move it, however their session numbers differ. The between term compares clients who
use an interpreter more with clients who use one less. One indicator per session number
adjusts both for the rise of the alliance over time. Regressors that are linear
combinations of earlier ones (e.g. the client means of session indicators in a balanced
design) are left out, so the residual degrees of freedom are those of the rank.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import statsmodels.api as sm

from .dataset import MISSING_LEVEL
from .stats import CONFIDENCE, estimate

METHOD = "mundlak_cluster_robust"
_COLLINEAR = 1e-9


def within_between(
    data: pd.DataFrame, score: str, covariates: tuple[str, ...] = ()
) -> dict[str, object]:
    """Fit the model on the selection's rows (one per administration with a valid score)."""
    interpreted = data["interpreting"].ne("none").astype(float)
    person_mean = interpreted.groupby(data["client_key"]).transform("mean")
    varies = interpreted.groupby(data["client_key"]).nunique().gt(1)
    terms = {"within": interpreted - person_mean, "between": person_mean}
    terms = {name: column for name, column in terms.items() if column.std() > 0}
    n_clients = int(data["client_key"].nunique())
    fitted = _fit(data, score, terms, covariates) if terms else {}
    within = {"n_clients": int(varies.sum()), "n_observations": _rows_of(data, varies)}
    between = {"n_clients": n_clients, "n_observations": len(data)}
    return {
        "method": METHOD,
        "adjusted_for": ["session_number", *covariates],
        "n_clients": n_clients,
        "n_observations": len(data),
        "within": within | fitted.get("within", {}),
        "between": between | fitted.get("between", {}),
    }


def _rows_of(data: pd.DataFrame, clients: pd.Series) -> int:
    return int(data["client_key"].isin(clients.index[clients]).sum())


def mundlak_design(
    data: pd.DataFrame, terms: dict[str, pd.Series], covariates: tuple[str, ...] = ()
) -> pd.DataFrame:
    """Constant, the terms, session and covariate dummies, and client means of the dummies
    that vary within a client; columns that add nothing to the span are dropped."""
    controls = [data["session_number"].astype(str)]
    controls += [data[name].replace("", MISSING_LEVEL) for name in covariates]
    dummies = pd.get_dummies(pd.concat(controls, axis=1), drop_first=True, dtype=float)
    clients = data["client_key"]
    means = dummies.groupby(clients).transform("mean")
    varying = (dummies - means).abs().max() > 0
    means = means.loc[:, varying].add_suffix(" (client mean)")
    design = pd.concat([pd.DataFrame(terms), dummies, means], axis=1)
    design.insert(0, "const", 1.0)
    return design.loc[:, _independent(design.to_numpy())]


def _independent(x: np.ndarray) -> np.ndarray:
    """Columns not in the span of the columns before them (unpivoted QR: |R_jj| is the
    norm of column j's residual on the earlier ones)."""
    r = np.linalg.qr(x, mode="r")
    norms = np.linalg.norm(x, axis=0)
    return np.abs(np.diag(r)) > _COLLINEAR * np.maximum(norms, 1.0)


def _fit(
    data: pd.DataFrame, score: str, terms: dict[str, pd.Series], covariates: tuple[str, ...]
) -> dict[str, dict]:
    design = mundlak_design(data, terms, covariates)
    groups = pd.factorize(data["client_key"])[0]
    fit = sm.OLS(data[score].to_numpy(), design.to_numpy()).fit(
        cov_type="cluster", cov_kwds={"groups": groups}, use_t=True
    )
    limits = fit.conf_int(alpha=1 - CONFIDENCE)
    return {
        name: estimate(fit.params[i], fit.bse[i], *limits[i], fit.pvalues[i])
        for i, name in enumerate(design.columns)
        if name in terms
    }
