"""Interpreter continuity, derived from the sessions rather than typed in."""

from __future__ import annotations

from collections.abc import Sequence

from interpreter_support.models import ClinicalSession


def same_interpreter_as_previous(sessions: Sequence[ClinicalSession]) -> dict[int, bool | None]:
    """For each session id: True/False when it and the session before it were both
    interpreted by a known interpreter, else None (not applicable).

    `sessions` are one episode's sessions in any order.
    """
    ordered = sorted(sessions, key=lambda s: s.number)
    result: dict[int, bool | None] = {}
    previous: ClinicalSession | None = None
    for current in ordered:
        comparable = (
            previous is not None
            and previous.number == current.number - 1
            and previous.interpreter_id is not None
            and current.interpreter_id is not None
        )
        result[current.id] = (
            previous.interpreter_id == current.interpreter_id if comparable else None
        )
        previous = current
    return result
