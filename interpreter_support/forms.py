"""Helpers shared by the forms of every area, and the request checks every form relies on."""

from __future__ import annotations

from urllib.parse import parse_qsl

from flask import Flask, abort, request
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import SelectMultipleField, StringField
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput, ListWidget, TextInput

from interpreter_support.errors import InvalidRecord
from interpreter_support.i18n.languages import bcp47, language_code, suggestions
from interpreter_support.text_safety import is_safe

# POSTed fields that may repeat (checkbox lists); any other repeated field is refused.
MULTI_VALUED_FIELDS = frozenset({"site_ids", "languages", "translates"})


def attach_errors(form: FlaskForm, error: InvalidRecord) -> None:
    """Show an operation's field problems next to the fields, like validator messages."""
    for name, message in error.errors.items():
        field = getattr(form, name)
        field.errors = [*field.errors, message]


class CheckboxListField(SelectMultipleField):
    """A multiple choice shown as checkboxes (rendered as a fieldset by the macro)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


UNKNOWN_LANGUAGE = _l("This is not a language we know. Type its name (for example Amharic) "
                      "or its code (am).")


class LanguageInput(TextInput):
    """A text box with the usual languages suggested (a datalist: works without JS)."""

    def __call__(self, field, **kwargs) -> Markup:
        kwargs.setdefault("list", f"{field.id}-languages")
        kwargs.setdefault("autocomplete", "off")
        options = "".join(f'<option value="{escape(bcp47(code))}">{escape(label)}</option>'
                          for code, label in suggestions(str(get_locale())))
        return Markup(f'{super().__call__(field, **kwargs)}'  # noqa: S704 - parts escaped
                      f'<datalist id="{field.id}-languages">{options}</datalist>')


class LanguageField(StringField):
    """Any language (not only the interface's), typed as a name or a code; holds the code."""

    widget = LanguageInput()

    def process_formdata(self, valuelist) -> None:
        super().process_formdata(valuelist)
        typed = (self.data or "").strip()
        self.data = language_code(typed) or typed
        self.unknown = bool(typed) and language_code(typed) is None

    def _value(self) -> str:
        return bcp47(self.data) if self.data else ""

    def pre_validate(self, form) -> None:
        if getattr(self, "unknown", False):
            raise ValidationError(UNKNOWN_LANGUAGE)


class EmptyForm(FlaskForm):
    """For button-only POSTs, so they still carry a CSRF token."""


class PlainText:
    """No control, bidi override or replacement characters (and one line unless told)."""

    def __init__(self, multiline: bool = False):
        self.multiline = multiline

    def __call__(self, form, field) -> None:
        if isinstance(field.data, str) and not is_safe(field.data, multiline=self.multiline):
            raise ValidationError(_l("Remove the control or direction-changing characters."))


def _valid_utf8(encoded: bytes) -> bool:
    """Whether a percent-encoded query or form body decodes as UTF-8 (Werkzeug would
    otherwise keep undecodable escapes such as %E9 as literal text)."""
    try:
        parse_qsl(encoded.decode("ascii"), keep_blank_values=True, encoding="utf-8",
                  errors="strict")
    except UnicodeDecodeError:
        return False
    return True


def refuse_malformed_requests() -> None:
    """before_request: a body shorter than announced (a dropped connection: the server
    may hand it over anyway), a wrong encoding, a NUL anywhere, or one field sent twice
    is a 400 for every route. Registered before CSRF, which reads the form."""
    if request.content_length is not None and \
            len(request.get_data(cache=True)) != request.content_length:
        abort(400)
    urlencoded = request.mimetype == "application/x-www-form-urlencoded"
    if not _valid_utf8(request.query_string) or (
            urlencoded and not _valid_utf8(request.get_data(cache=True))):
        abort(400)
    values = [*request.args.values(), *(request.form.values() if request.form else ())]
    if any("\x00" in value for value in values):
        abort(400)
    if request.form and any(len(items) > 1 for key, items in request.form.lists()
                            if key not in MULTI_VALUED_FIELDS):
        abort(400)


def init_app(app: Flask) -> None:
    app.before_request(refuse_malformed_requests)
