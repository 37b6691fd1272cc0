"""Building blocks of the malformed-input cases: hostile strings, the valid forms every case
starts from (a test proves each is accepted), and the helpers that break one thing in them.

Values that name a world record are `Ref`s, resolved when the request is sent; form keys and
paths are formatted with the world's ids (e.g. "{client_a}") and the case's "{token}".
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from security_world import ALLIANCE_CLIENT_ITEMS, CLIENT_CODES

SQL = "' OR 1=1 --"
SCRIPT = "<script>alert(1)</script>"
JS_URL = "javascript:alert(1)"
NUL = "A\x00B"
BIDI = "ab\u202ecd"  # RIGHT-TO-LEFT OVERRIDE: text shows reversed
ISOLATE = "ab\u2067cd"  # RIGHT-TO-LEFT ISOLATE
ESCAPE = "ab\x1b[31mcd"  # a terminal escape sequence
BELL = "ab\x07cd"
THREE_MB = "x" * 3_000_000  # above MAX_CONTENT_LENGTH (2 MB)
FIFTY_KB = "x" * 50_000
MISSING = object()  # leave the field out


@dataclass(frozen=True)
class Ref:
    """A world record's id (World.ids), filled in when the request is sent."""
    name: str


@dataclass(frozen=True)
class Upload:
    """A file field of a multipart form."""
    content: bytes
    name: str


@dataclass(frozen=True)
class WebCase:
    id: str
    who: str  # a principal, or "link:<instrument>" / "kiosk:<instrument>" for a fresh one
    path: str  # formatted with the world's ids and {token}
    form: dict | None = None
    status: int | None = 400  # None: any answer but a server error (input that may be odd)
    method: str = "POST"
    encoding: str = "utf-8"  # "latin-1": the form is sent in the wrong encoding
    may_change: frozenset[str] = frozenset()  # tables the answer may legitimately change


def _changed(base: dict, changes: dict) -> dict:
    form = {**base, **changes}
    return {key: value for key, value in form.items() if value is not MISSING}


CLIENT_FORM = {"site_id": Ref("site_a"), "code": "NEW-CLIENT-1", "preferred_language": "ar",
               "year_of_birth": "1990", "gender": ""}
SESSION_FORM = {"number": "3", "starts_at": "2026-01-20T10:00", "client_language": "ar",
                "clinician_language": "en", "interpreting": "telephone",
                "interpreter_id": Ref("interpreter_a"), "interpreter_kind": "professional",
                "briefing": "yes", "debrief": "no"}
EPISODE_FORM = {"started_on": "2026-02-01"}
END_FORM = {"ended_on": "2026-03-01", "end_reason": "completed"}
USER_FORM = {"email": "new-user@security.example", "display_name": "New User",
             "role": "clinician", "site_ids": Ref("site_a"), "password": "long enough password",
             "active": "y"}
INTERPRETER_FORM = {"site_id": Ref("site_a"), "code": "INT-NEW", "kind": "professional",
                    "languages": ["ar", "en"], "agency": "Agency", "active": "y"}
SITE_FORM = {"code": "SEC-NEW", "name": "New clinic"}
PREFERENCES_FORM = {"display_name": "Clinician A", "locale": ""}
PO_SOURCE = "My counsellor cares about what happens to me."  # items.bond-1.text


def po_file(msgstr: str, project: str = "alliance-client 1.0", encoding: str = "utf-8"
            ) -> Upload:
    """A translator's .po file with one Persian text of alliance-client."""
    text = ('msgid ""\nmsgstr ""\n'
            f'"Project-Id-Version: {project}\\n"\n"Language: fa\\n"\n'
            '"Content-Type: text/plain; charset=utf-8\\n"\n\n'
            '#. status: machine_draft\nmsgctxt "items.bond-1.text"\n'
            f'msgid "{PO_SOURCE}"\nmsgstr "{msgstr}"\n')
    return Upload(text.encode(encoding), "fa.po")


PERSIAN = "مشاورم به آنچه برایم پیش می‌آید اهمیت می‌دهد."
REVIEW_FORM = {"text-{text_fa}": PERSIAN, "status-{text_fa}": "machine_draft"}
ALLIANCE_FORM = {"language": "en", "action": "submit",
                 **{f"item-{link_id}": "4" for link_id in ALLIANCE_CLIENT_ITEMS}}
EXPERIENCE_FORM = {"language": "en", "action": "submit", "item-comments": "Thank you.", **{
    f"item-{link_id}": "3" for link_id in (
        "meaning-1", "accuracy-1", "accuracy-2", "private-1", "fair-1", "harder-1")}}

FORMS = {  # name -> (who, path, valid form): the starting points of the cases
    "client": ("clinician_a", "/clinic/clients/new", CLIENT_FORM),
    "client-edit": ("clinician_a", "/clinic/clients/{client_a}/edit",
                    {**CLIENT_FORM, "code": CLIENT_CODES["client_a"]}),
    "session": ("clinician_a", "/clinic/episodes/{episode_a}/sessions/new", SESSION_FORM),
    "session-edit": ("clinician_a", "/clinic/sessions/{session_a}/edit",
                     {**SESSION_FORM, "number": "1"}),
    "episode": ("clinician_a", "/clinic/clients/{client_a_new}/episodes", EPISODE_FORM),
    "episode-end": ("clinician_a", "/clinic/episodes/{episode_a}/end", END_FORM),
    "user": ("admin", "/admin/users/new", USER_FORM),
    "user-edit": ("admin", "/admin/users/{clinician_a}",
                  {**USER_FORM, "email": "clinician-a@security.example"}),
    "interpreter": ("admin", "/admin/interpreters/new", INTERPRETER_FORM),
    "site": ("admin", "/admin/sites/new", SITE_FORM),
    "preferences": ("clinician_a", "/preferences", PREFERENCES_FORM),
    "link": ("link:alliance-client", "/r/{token}", ALLIANCE_FORM),
    "link-text": ("link:interpreter-experience", "/r/{token}", EXPERIENCE_FORM),
    "kiosk": ("kiosk:alliance-client", "/kiosk", ALLIANCE_FORM),
    "kiosk-text": ("kiosk:interpreter-experience", "/kiosk", EXPERIENCE_FORM),
    "review": ("admin", "/translations/{version_alliance_client}/fa", REVIEW_FORM),
    "po": ("admin", "/translations/{version_alliance_client}/fa/po",
           {"po": po_file(PERSIAN + " (po)")}),
}


UNIQUE_FIELDS = {"client": "code", "user": "email", "interpreter": "code", "site": "code"}


def form_for(form: str, label: str, changes: dict) -> tuple[str, str, dict]:
    """(who, path, fields) of the named form with these changes (MISSING: left out).

    A new record's code or email is made unique to the label, so a case that is wrongly
    accepted cannot make a later case fail for a duplicate instead of its own reason."""
    who, path, valid = FORMS[form]
    fields = dict(valid)
    unique = UNIQUE_FIELDS.get(form)
    if unique:
        tag = hashlib.sha256(label.encode()).hexdigest()[:8]
        local, at, domain = fields[unique].partition("@")
        fields[unique] = f"{local}-{tag}{at}{domain}"
    return who, path, _changed(fields, changes)


def bad(form: str, label: str, status: int = 400, encoding: str = "utf-8",
        **changes) -> WebCase:
    """A case: the named form with some fields changed; a double underscore in a keyword
    stands for a hyphen (item__goal__1 is the field item-goal-1)."""
    fields = {key.replace("__", "-"): value for key, value in changes.items()}
    who, path, form_fields = form_for(form, f"{form}-{label}", fields)
    return WebCase(f"{form}-{label}", who, path, form_fields, status, encoding=encoding)


def get(name: str, who: str, path: str, status: int) -> WebCase:
    return WebCase(name, who, path, None, status, method="GET")
