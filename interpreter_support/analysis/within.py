"""Within- and between-client effects of interpreter presence (person-mean centring).

score ~ (interpreted - client mean) + client mean + session indicators + covariates,
by OLS with standard errors clustered on the client. The within term is the change in a
client's score in sessions with an interpreter compared with that client's own sessions
without one, so only clients whose sessions differ inform it; the between term compares
clients who use an interpreter more with clients who use one less. One indicator per
session number adjusts both for the rise of the alliance over time, which would otherwise
be confounded with interpreter use that changes over the episode.
"""

from __future__ import annotations

import pandas as pd
import statsmodels.api as sm

from .stats import CONFIDENCE, estimate


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
        "method": "ols_cluster_robust",
        "adjusted_for": ["session_number", *covariates],
        "n_clients": n_clients,
        "n_observations": len(data),
        "within": within | fitted.get("within", {}),
        "between": between | fitted.get("between", {}),
    }


def _rows_of(data: pd.DataFrame, clients: pd.Series) -> int:
    return int(data["client_key"].isin(clients.index[clients]).sum())


def _fit(
    data: pd.DataFrame, score: str, terms: dict[str, pd.Series], covariates: tuple[str, ...]
) -> dict[str, dict]:
    controls = [data["session_number"].astype(str)]
    controls += [data[name].replace("", "unknown") for name in covariates]
    dummies = pd.get_dummies(pd.concat(controls, axis=1), drop_first=True, dtype=float)
    design = pd.concat([pd.DataFrame(terms), dummies], axis=1)
    design.insert(0, "const", 1.0)
    groups = pd.factorize(data["client_key"])[0]
    fit = sm.OLS(data[score].to_numpy(), design.to_numpy()).fit(
        cov_type="cluster", cov_kwds={"groups": groups}
    )
    limits = fit.conf_int(alpha=1 - CONFIDENCE)
    return {
        name: estimate(fit.params[i], fit.bse[i], *limits[i], fit.pvalues[i])
        for i, name in enumerate(design.columns)
        if name in terms
    }
