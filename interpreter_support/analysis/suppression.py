"""Small-cell suppression, applied once to the whole report.

Convention (followed by every statistic): a figure is a dict that states the clients it
rests on as "n_clients", and any further count it also rests on as "n_clients_<what>" (the
reference group of a comparison, the clients with a rupture...; the growth model's
"n_subjects" counts too). A figure with any such
count from 1 to k - 1 is suppressed: every number in it, nested ones too, becomes None
(session numbers and other coordinates stay, so a chart knows where the gap is) and it is
flagged {"suppressed": true, "reason": "fewer_than_k_clients"}.

Lists under a partition key ("by_cohort", "by_language") split one total, so a single
hidden cell could be recovered by subtraction: there the smallest other cells are
suppressed too, until at least two are hidden and together they hold at least k clients.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

REASON = "fewer_than_k_clients"
COORDINATES = frozenset({"session_number", "sessions", "window", "df", "k"})
PARTITIONS = frozenset({"by_cohort", "by_language"})


def client_counts(node: Mapping[str, Any]) -> list[int]:
    """The client counts a figure states about itself."""
    return [
        value
        for key, value in node.items()
        if (key in ("n_clients", "n_subjects") or key.startswith("n_clients_"))
        and isinstance(value, int)
        and not isinstance(value, bool)
    ]


def is_small(node: Mapping[str, Any], k: int) -> bool:
    return any(0 < count < k for count in client_counts(node))


def suppress(report: Any, k: int) -> Any:
    """A copy of `report` with every figure on fewer than k clients blanked."""
    if isinstance(report, Mapping):
        if is_small(report, k):
            return blank(report)
        return {
            key: _partition(value, k)
            if key in PARTITIONS and isinstance(value, list)
            else suppress(value, k)
            for key, value in report.items()
        }
    if isinstance(report, list):
        return [suppress(value, k) for value in report]
    return report


def _partition(cells: list[Any], k: int) -> list[Any]:
    sizes = [cell.get("n_clients") if isinstance(cell, Mapping) else None for cell in cells]
    hidden = {i for i, cell in enumerate(cells) if isinstance(cell, Mapping) and is_small(cell, k)}
    others = sorted((size, i) for i, size in enumerate(sizes) if i not in hidden and size)
    while hidden and others and (len(hidden) < 2 or sum(sizes[i] or 0 for i in hidden) < k):
        hidden.add(others.pop(0)[1])
    return [blank(cell) if i in hidden else suppress(cell, k) for i, cell in enumerate(cells)]


def blank(node: Mapping[str, Any]) -> dict[str, Any]:
    """The node with every number but coordinates replaced by None, flagged as suppressed."""
    return {**_blank_values(node), "suppressed": True, "reason": REASON}


def _blank_values(value: Any, key: str = "") -> Any:
    if isinstance(value, Mapping):
        return {name: _blank_values(child, name) for name, child in value.items()}
    if isinstance(value, list):
        return [_blank_values(child, key) for child in value]
    if isinstance(value, int | float) and not isinstance(value, bool) and key not in COORDINATES:
        return None
    return value


def count_suppressed(report: Any) -> int:
    """How many figures in `report` are flagged as suppressed."""
    if isinstance(report, Mapping):
        own = 1 if report.get("suppressed") is True else 0
        return own + sum(count_suppressed(value) for value in report.values())
    if isinstance(report, list):
        return sum(count_suppressed(value) for value in report)
    return 0
