"""Helpers shared by the forms of every area."""

from __future__ import annotations

from flask_wtf import FlaskForm

from interpreter_support.clinic.operations import InvalidRecord


def attach_errors(form: FlaskForm, error: InvalidRecord) -> None:
    """Show an operation's field problems next to the fields, like validator messages."""
    for name, message in error.errors.items():
        field = getattr(form, name)
        field.errors = [*field.errors, message]


class EmptyForm(FlaskForm):
    """For button-only POSTs, so they still carry a CSRF token."""
