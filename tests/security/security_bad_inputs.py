"""The catalogue of malformed web requests: each must be refused and change nothing.

Each case starts from a valid form (security_forms.FORMS) and breaks one thing, or asks for
a URL or query string that must be refused.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

from security_forms import (
    ALLIANCE_FORM,
    BELL,
    BIDI,
    ESCAPE,
    FIFTY_KB,
    ISOLATE,
    MISSING,
    NUL,
    PERSIAN,
    REVIEW_FORM,
    SCRIPT,
    SQL,
    THREE_MB,
    Ref,
    Upload,
    WebCase,
    bad,
    get,
    po_file,
)

STAFF_FORM_CASES = [
    bad("client", "code-sql", code=SQL),
    bad("client", "code-script", code=SCRIPT),
    bad("client", "code-nul", code=NUL),
    bad("client", "code-bidi", code=BIDI),
    bad("client", "code-latin1", encoding="latin-1", code="CAFÉ-1"),
    bad("client", "code-too-long", code="A" * 33),
    bad("client", "code-missing", code=MISSING),
    bad("client", "code-duplicated", code=["NEW-A", "NEW-B"]),
    bad("client", "year-not-a-number", year_of_birth="nineteen ninety"),
    bad("client", "year-before-1900", year_of_birth="1850"),
    bad("client", "year-in-the-future", year_of_birth="2999"),
    bad("client", "site-of-another-clinic", site_id=Ref("site_b")),
    bad("client", "site-not-a-number", site_id="A"),
    bad("client", "language-unknown", preferred_language="xyzzy"),
    bad("client", "gender-unknown", gender="robot"),
    bad("client", "body-3mb", status=413, code=THREE_MB),
    bad("client-edit", "code-nul", code=NUL),
    bad("client-edit", "code-sql", code=SQL),
    bad("session", "number-not-a-number", number="two"),
    bad("session", "number-zero", number="0"),
    bad("session", "number-huge", number="9" * 30),
    bad("session", "start-not-a-date", starts_at="yesterday"),
    bad("session", "start-impossible-date", starts_at="2026-02-30T10:00"),
    bad("session", "interpreting-unknown", interpreting="telepathy"),
    bad("session", "interpreter-kind-unknown", interpreter_kind="oracle"),
    bad("session", "language-nul", client_language="ar\x00"),
    bad("session", "fields-missing", number=MISSING, starts_at=MISSING, interpreting=MISSING),
    # Any interpreter id that is not one of this site's is answered 404, by design.
    bad("session", "interpreter-id-sql", status=404, interpreter_id="1 OR 1=1"),
    bad("session", "interpreter-of-another-site", status=404,
        interpreter_id=Ref("interpreter_b")),
    bad("session-edit", "number-huge", number="9" * 30),
    bad("session-edit", "briefing-unknown", briefing="maybe"),
    bad("episode", "start-not-a-date", started_on="2026-13-45"),
    bad("episode", "start-sql", started_on=SQL),
    bad("episode", "start-year-99999", started_on="99999-01-01"),
    bad("episode-end", "reason-unknown", end_reason="vanished"),
    bad("episode-end", "end-before-start", ended_on="2025-01-01"),
    bad("user", "email-sql", email=SQL),
    bad("user", "email-script", email=f"{SCRIPT}@example.org"),
    bad("user", "email-too-long", email="a" * 250 + "@example.org"),
    bad("user", "role-unknown", role="superuser"),
    bad("user", "site-of-another-clinic", site_ids=Ref("site_b")),
    bad("user", "site-not-a-number", site_ids="A"),
    bad("user", "password-too-long", password="p" * 200),
    bad("user", "display-name-nul", display_name=NUL),
    bad("user", "display-name-bidi", display_name=BIDI),
    bad("user", "display-name-escape", display_name=ESCAPE),
    bad("user", "display-name-latin1", encoding="latin-1", display_name="José"),
    bad("user", "display-name-too-long", display_name="n" * 121),
    bad("user-edit", "display-name-nul", display_name=NUL),
    bad("user-edit", "email-duplicated", email=["clinician-a@security.example",
                                                "admin@security.example"]),
    bad("interpreter", "code-sql", code=SQL),
    bad("interpreter", "code-bidi", code=BIDI),
    bad("interpreter", "language-unknown", languages=["ar", "xx"]),
    bad("interpreter", "one-language", languages=["ar"]),
    bad("interpreter", "kind-unknown", kind="oracle"),
    bad("interpreter", "site-of-another-clinic", site_id=Ref("site_b")),
    bad("interpreter", "agency-nul", agency=NUL),
    bad("interpreter", "agency-bidi", agency=BIDI),
    bad("site", "code-sql", code=SQL),
    bad("site", "code-nul", code=NUL),
    bad("site", "name-missing", name=MISSING),
    bad("site", "name-too-long", name="n" * 121),
    bad("site", "name-nul", name=NUL),
    bad("site", "name-isolate", name=ISOLATE),
    bad("preferences", "locale-unknown", locale="xx"),
    bad("preferences", "display-name-bidi", display_name=BIDI),
]

ANSWER_CASES = [
    bad("link", "answer-out-of-range", item__bond__1="9"),
    bad("link", "answer-negative", item__goal__1="-1"),
    bad("link", "answer-decimal", item__goal__1="4.0"),
    bad("link", "answer-plus-sign", item__goal__1="+3"),
    bad("link", "answer-arabic-indic-digit", item__goal__1="\u0664"),
    bad("link", "answer-label-text", item__goal__1="Agree"),
    bad("link", "answer-sql", item__goal__1=SQL),
    bad("link", "answer-script", item__goal__1=SCRIPT),
    bad("link", "answer-nul", item__goal__1="4\x00"),
    bad("link", "answer-duplicated", item__goal__1=["1", "5"]),
    bad("link", "unknown-item", item__admin="1"),
    bad("link", "body-3mb", status=413, item__goal__1=THREE_MB),
    bad("link-text", "comment-50kb", item__comments=FIFTY_KB),
    bad("link-text", "comment-nul", item__comments=NUL),
    bad("link-text", "comment-bidi", item__comments=BIDI),
    bad("link-text", "comment-isolate", item__comments=ISOLATE),
    bad("link-text", "comment-escape", item__comments=ESCAPE),
    bad("link-text", "comment-bell", item__comments=BELL),
    bad("link-text", "comment-latin1", encoding="latin-1", item__comments="Très bien"),
    bad("kiosk", "answer-out-of-range", item__bond__1="6"),
    bad("kiosk", "answer-sql", item__task__2=SQL),
    bad("kiosk", "answer-duplicated", item__task__2=["2", "3"]),
    bad("kiosk", "body-3mb", status=413, item__goal__1=THREE_MB),
    bad("kiosk-text", "comment-50kb", item__comments=FIFTY_KB),
    bad("kiosk-text", "comment-nul", item__comments=NUL),
    bad("kiosk-text", "comment-bidi", item__comments=BIDI),
]

TEXT = "text-{text_fa}"
TRANSLATION_CASES = [
    bad("review", "text-nul", **{TEXT: "ab\x00cd"}),
    bad("review", "text-bidi", **{TEXT: PERSIAN + BIDI}),
    bad("review", "text-escape", **{TEXT: ESCAPE}),
    bad("review", "text-too-long", **{TEXT: "t" * 3000}),
    bad("review", "status-unknown", **{"status-{text_fa}": "blessed"}),
    bad("review", "status-source", **{"status-{text_fa}": "source"}),
    WebCase("review-language-unknown", "admin", "/translations/{version_alliance_client}/xx",
            REVIEW_FORM, 404),
    bad("po", "garbage", po=Upload(b"\x00\xff not a po file", "fa.po")),
    bad("po", "latin1", po=po_file("Très bien", encoding="latin-1")),
    bad("po", "other-instrument", po=po_file(PERSIAN, project="nothing 9.9")),
    bad("po", "msgstr-bidi", po=po_file("(po) " + PERSIAN + BIDI)),
    bad("po", "msgstr-escape", po=po_file(ESCAPE)),
    bad("po", "file-missing", po=MISSING),
    WebCase("machine-kind-unknown", "admin",
            "/translations/{version_alliance_client}/fa/machine/nope", {}, 400),
    WebCase("machine-language-unknown", "admin",
            "/translations/{version_alliance_client}/xx/machine/draft", {}, 404),
]

LINK_URL_CASES = [
    get("token-overlong", "anonymous", "/r/" + "a" * 101, 404),
    get("token-10kb", "anonymous", "/r/" + "a" * 10_000, 404),
    get("token-sql", "anonymous", "/r/" + quote(SQL, safe=""), 404),
    get("token-script", "anonymous", "/r/" + quote(SCRIPT, safe=""), 404),
    get("token-nul", "anonymous", "/r/%00", 404),
    get("token-bidi", "anonymous", "/r/" + quote(BIDI, safe=""), 404),
    get("token-empty", "anonymous", "/r/", 404),
    get("token-dot-segments", "anonymous", "/r/..%2F..%2Fadmin%2F", 404),
    get("token-valid-plus-character", "link:alliance-client", "/r/{token}x", 404),
    get("token-valid-plus-slash", "link:alliance-client", "/r/{token}/", 404),
    get("token-valid-plus-path", "link:alliance-client", "/r/{token}/../../admin/", 404),
    WebCase("token-unknown-post", "anonymous", "/r/" + "b" * 43, ALLIANCE_FORM, 404),
]

EVALUATE = "/evaluate/?"
BASE_QUERY = {"instrument": "alliance", "perspective": "client", "score": "score_total",
              "cohort_by": "interpreting"}


def query(name: str, status: int = 400, page: str = EVALUATE, **changes) -> WebCase:
    return get(f"evaluate-{name}", "evaluator",
               page + urlencode({**BASE_QUERY, **changes}, doseq=True, safe="{}"), status)


EVALUATOR_CASES = [
    query("k-not-a-number", k="many"),
    query("date-impossible", date_from="2026-02-30"),
    query("dates-reversed", date_from="2026-05-01", date_to="2026-01-01"),
    query("instrument-script", instrument=SCRIPT),
    query("instrument-sql", instrument=SQL),
    query("instrument-nul", instrument="alliance\x00"),
    query("cohort-unknown", cohort_by="horoscope"),
    query("perspective-unknown", perspective="god"),
    query("score-sql", score="score_total' OR 1=1 --"),
    query("covariate-unknown", covariates="__class__"),
    query("language-unknown", languages="xx"),
    query("site-of-another-clinic", sites="{site_b}"),
    query("clinician-not-a-number", clinicians="abc"),
    query("threshold-zero", always_threshold="0"),
    query("threshold-nan", always_threshold="NaN"),
    query("threshold-infinite", always_threshold="Infinity"),
    query("export-cohort-unknown", page="/evaluate/export/data.csv?", cohort_by="horoscope"),
    query("report-threshold-nan", page="/evaluate/report?", always_threshold="NaN"),
    query("export-unknown-kind", status=404, page="/evaluate/export/data.exe?"),
    get("evaluate-export-dot-segments", "evaluator", "/evaluate/export/..%2F..%2Fetc%2Fpasswd",
        404),
    query("query-100kb", instrument="x" * 100_000),
]

# Odd input that a page may answer normally (a failed sign-in, an empty search), but that
# must not crash it (PostgreSQL refuses NUL in text) and must change nothing.
SURVIVE_CASES = [
    # A failed sign-in is audited, by design.
    WebCase("login-email-nul", "anonymous", "/login",
            {"email": "a\x00@example.org", "password": "long enough password"}, None,
            may_change=frozenset({"audit_events"})),
    WebCase("login-email-bidi", "anonymous", "/login",
            {"email": f"{BIDI}@example.org", "password": "long enough password"}, None,
            may_change=frozenset({"audit_events"})),
    WebCase("login-body-3mb", "anonymous", "/login", {"email": THREE_MB, "password": "x"}, 413),
    get("search-nul", "clinician_a", "/clinic/clients?q=%00", None),
    get("search-sql", "clinician_a", "/clinic/clients?" + urlencode({"q": SQL}), None),
    get("link-lang-script", "link:alliance-client", "/r/{token}?" + urlencode({"lang": SCRIPT}),
        None),
    get("link-lang-nul", "link:alliance-client", "/r/{token}?lang=%00", None),
    get("evaluate-lang-nul", "evaluator", "/evaluate/?lang=%00", None),
]

WEB_CASES = [*STAFF_FORM_CASES, *ANSWER_CASES, *TRANSLATION_CASES, *LINK_URL_CASES,
             *EVALUATOR_CASES, *SURVIVE_CASES]
