"""Download names in Content-Disposition (RFC 6266): whatever a record's id, version or
language holds, the header stays one well-formed line with a plain ASCII filename."""

from __future__ import annotations

import re

from flask import Response

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_filename(name: str) -> str:
    """Letters, digits, dot, dash and underscore; any run of anything else becomes "_"."""
    return _UNSAFE.sub("_", name).strip("._") or "download"


def as_attachment(response: Response, name: str) -> Response:
    response.headers.set("Content-Disposition", "attachment", filename=safe_filename(name))
    return response
