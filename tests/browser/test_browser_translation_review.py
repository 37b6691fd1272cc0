"""The translation review in a real browser, with two people: a translator assigned Persian
drafts and edits a text and proposes it as reviewed; they cannot approve it; an
administrator approves it; the history says who did what. Screenshots: t…"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from app_support import PASSWORD, run_cli
from browser_pages import send, shoot, sign_in

from interpreter_support.extensions import db
from interpreter_support.instruments.store import version_by_instrument
from interpreter_support.models import InstrumentText

TRANSLATOR, ADMIN = "tara@browser.example", "reza@browser.example"
INSTRUMENT, LANGUAGE = "alliance-clinician", "fa"  # a form no other browser test shows
PATH, OTHER = "items.goal-1.text", "items.goal-2.text"
DRAFT = "می‌دانم این مراجع چه چیزی را می‌خواهد تغییر بدهد."
EDITED = "می‌دانم این مراجع دوست دارد چه چیزی را تغییر بدهد."
TABLET = {"viewport": {"width": 800, "height": 1100}}


def _accounts(site) -> int:
    """The translator (Persian only) and an administrator, through the app's command;
    returns the id of the form's version."""
    for email, role, name, extra in ((TRANSLATOR, "translator", "Tara", ("--translates", "fa")),
                                     (ADMIN, "admin", "Reza", ())):
        result = run_cli(site.app, "create-user", email, "--role", role, "--site", "BRW",
                         "--name", name, *extra, "--password-stdin", input=PASSWORD + "\n")
        assert result.exit_code == 0, result.output
    with site.app.app_context():
        return version_by_instrument(INSTRUMENT).id


def _row(page, path: str):
    return page.locator("table.review tbody tr").filter(
        has=page.get_by_text(path, exact=True))


def _status_choices(row) -> list[str]:
    return row.locator("select").evaluate("s => [...s.options].map(o => o.value)")


def _history(row) -> list[tuple[str, str, str]]:
    """(who, status, reason) of each history entry shown, newest first."""
    entries = []
    for entry in row.locator("ol.history > li").all_inner_texts():
        lines = entry.split("\n")
        _when, who, status = lines[0].split(" · ")
        entries.append((who, status, lines[1] if len(lines) > 2 else ""))
    return entries


def _save(page, reason: str | None = None):
    if reason:
        page.get_by_label("Reason for these changes").fill(reason)
    return send(page, "form:has(table.review) button[type=submit]")


def _stored(site, path: str) -> tuple[str, str, list[tuple[str | None, str, str | None]]]:
    with site.app.app_context():
        row = db.session.scalars(sa.select(InstrumentText).where(
            InstrumentText.instrument_version_id == version_by_instrument(INSTRUMENT).id,
            InstrumentText.path == path, InstrumentText.language == LANGUAGE)).one()
        return row.text, row.status, [
            (h.changed_by.email if h.changed_by else None, h.status, h.reason)
            for h in row.history]


def _translator_drafts_edits_and_proposes(page, site, version_id: int) -> None:
    sign_in(page, site, TRANSLATOR)
    page.goto(site.url("/translations/"))
    form_section = page.get_by_role("region", name=f"{INSTRUMENT} 1.0")
    links = form_section.locator("tbody a")
    assert links.evaluate_all("links => links.map(a => a.lang)") == [LANGUAGE]  # theirs only
    shoot(page, "t01-translator-overview")
    links.click()
    assert page.url.endswith(f"/translations/{version_id}/{LANGUAGE}")
    row = _row(page, PATH)
    assert row.get_by_text("Machine draft: no person has checked it").is_visible()
    assert "approved" not in _status_choices(row)  # a translator proposes, never approves
    assert row.locator("textarea[lang=fa]").evaluate("t => t.matches(':dir(rtl)')")
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")  # a tablet
    shoot(page, "t02-translator-review-tablet")

    row.locator("textarea[name^=text-]").fill(DRAFT)
    row.locator("select").select_option("forward_translation")
    assert _save(page, "Word order a counsellor would use").status == 302
    assert page.get_by_role("status").inner_text() == "1 texts changed."
    row = _row(page, PATH)
    assert row.get_by_text("Machine draft: no person has checked it").count() == 0
    assert row.get_by_text("Tara,").is_visible()  # who changed it last

    row.locator("textarea[name^=text-]").fill(EDITED)
    row.locator("select").select_option("reviewed")
    assert _save(page, "Checked against the English").status == 302
    assert page.get_by_role("status").inner_text() == "1 texts changed."
    _row(page, PATH).scroll_into_view_if_needed()
    shoot(page, "t03-translator-proposed-reviewed-tablet", full_page=False)


def _translator_cannot_approve(page, site, version_id: int) -> None:
    row = _row(page, PATH)
    row.locator("select").evaluate(  # what a forged form would send
        "s => s.add(new Option('Approved', 'approved', true, true))")
    response = _save(page)
    assert response.status == 400
    assert "only an administrator approves" in page.locator("main").inner_text()
    shoot(page, "t04-translator-may-not-approve")
    assert _stored(site, PATH)[:2] == (EDITED, "reviewed")
    assert page.request.get(site.url(f"/translations/{version_id}/es")).status == 403


def _admin_approves(page, site, version_id: int) -> None:
    sign_in(page, site, ADMIN)
    page.goto(site.url(f"/translations/{version_id}/{LANGUAGE}"))
    row = _row(page, PATH)
    assert "approved" in _status_choices(row)
    row.get_by_text("History").click()
    assert _history(row)[:2] == [
        ("Tara", "Reviewed", "Reason: Checked against the English"),
        ("Tara", "Forward translation", "Reason: Word order a counsellor would use")]
    latest = row.locator("ol.history > li").first
    words = {kind: [w.strip() for w in latest.locator(kind).all_inner_texts()]
             for kind in ("del", "ins")}
    assert words == {"del": ["می‌خواهد"], "ins": ["دوست دارد"]}  # the words that changed
    shoot(page, "t05-admin-sees-history")
    row.locator("select").select_option("approved")
    assert _save(page, "Second reader agrees").status == 302
    assert page.get_by_role("status").inner_text() == "1 texts changed."
    row = _row(page, PATH)
    assert row.locator("select").input_value() == "approved"
    row.get_by_text("History").click()
    assert _history(row)[:3] == [
        ("Reza", "Approved", "Reason: Second reader agrees"),
        ("Tara", "Reviewed", "Reason: Checked against the English"),
        ("Tara", "Forward translation", "Reason: Word order a counsellor would use")]
    shoot(page, "t06-admin-approved-history")


def _admin_cannot_approve_their_own_edit(page, site) -> None:
    """Four eyes holds for administrators too: the last editor never approves."""
    row = _row(page, OTHER)
    row.locator("textarea[name^=text-]").fill("می‌دانم هدف این مراجع چیست.")
    row.locator("select").select_option("reviewed")
    assert _save(page).status == 302
    _row(page, OTHER).locator("select").select_option("approved")
    assert _save(page).status == 400
    assert "another person approves it" in page.locator("main").inner_text()
    assert _stored(site, OTHER)[1] == "reviewed"


@pytest.mark.usefixtures("artifacts")
def test_translator_proposes_and_a_second_person_approves(live_site, new_page):
    version_id = _accounts(live_site)
    translator = new_page(**TABLET)
    _translator_drafts_edits_and_proposes(translator, live_site, version_id)
    _translator_cannot_approve(translator, live_site, version_id)
    admin = new_page()
    _admin_approves(admin, live_site, version_id)
    _admin_cannot_approve_their_own_edit(admin, live_site)

    text, status, history = _stored(live_site, PATH)
    assert (text, status) == (EDITED, "approved")
    assert history[1:] == [
        (TRANSLATOR, "forward_translation", "Word order a counsellor would use"),
        (TRANSLATOR, "reviewed", "Checked against the English"),
        (ADMIN, "approved", "Second reader agrees")]
