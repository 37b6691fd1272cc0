"""The clinic blueprint (clients, episodes, sessions) and the labels its pages share."""

from __future__ import annotations

from flask import Blueprint

from interpreter_support.labels import (
    ALERT_CONTEXT_LABELS,
    ALERT_KIND_LABELS,
    END_REASON_LABELS,
    INTERPRETER_KIND_LABELS,
    INTERPRETING_LABELS,
)

bp = Blueprint("clinic", __name__)


@bp.app_context_processor
def clinic_labels() -> dict[str, object]:
    return {
        "interpreting_labels": INTERPRETING_LABELS,
        "interpreter_kind_labels": INTERPRETER_KIND_LABELS,
        "end_reason_labels": END_REASON_LABELS,
        "alert_kind_labels": ALERT_KIND_LABELS,
        "alert_context_labels": ALERT_CONTEXT_LABELS,
    }
