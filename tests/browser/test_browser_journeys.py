"""Whole journeys in a real browser, screenshotted step by step (test-artifacts/browser/)."""

from __future__ import annotations

import csv
import io

import pytest
import sqlalchemy as sa
from app_support import PASSWORD
from browser_pages import (
    answer,
    checked_values,
    expected_total,
    forge,
    html_language,
    send,
    shoot,
    shown_items,
    sign_in,
)
from browser_support import CLINICIAN
from flask_babel import force_locale, gettext

from interpreter_support.demo.clinic import DEMO_PASSWORD
from interpreter_support.extensions import db
from interpreter_support.models import Administration, Client, ClinicalSession, Episode
from interpreter_support.questionnaires.links import find_link

KIOSK_ANSWERS = {"goal-1": "5", "task-1": "4", "bond-1": "5", "goal-2": "4", "task-2": "5",
                 "bond-2": "4", "goal-3": "2", "task-3": "5", "bond-3": "1", "interp-1": "3"}


def translated(app, message: str, locale: str) -> str:
    with app.test_request_context(), force_locale(locale):
        return gettext(message)


def _record_telephone_session(page, site) -> None:
    page.get_by_role("link", name="Record a session").click()
    shoot(page, "a04-session-form")
    page.get_by_label("Date and time (UTC)").fill("2026-01-12T10:00")
    # the client's preferred language, shown as its BCP 47 tag in the free language box
    assert page.get_by_label("Client's language").input_value() == "fa-AF"
    page.get_by_label("Clinician's language").select_option("en")
    page.get_by_label("Interpreter by telephone").check()
    page.get_by_label("Interpreter", exact=True).select_option(
        page.locator("option", has_text=site.interpreter_code).get_attribute("value"))
    page.get_by_label("Interpreter kind").select_option("professional")
    page.get_by_role("group", name="Pre-session briefing").get_by_label("Yes", exact=True).check()
    page.get_by_role("group", name="Post-session debrief").get_by_label("No", exact=True).check()
    shoot(page, "a05-session-form-filled")
    page.get_by_role("button", name="Save session").click()
    assert page.get_by_role("status").inner_text() == "Session saved."
    shoot(page, "a06-session-saved")


def _client_answers_on_the_kiosk(page) -> None:
    assert html_language(page) == ("fa-AF", "rtl")
    assert page.url.endswith("/kiosk/privacy")
    shoot(page, "a08-kiosk-privacy")
    page.locator("main button[type=submit]").click()
    assert html_language(page) == ("fa-AF", "rtl")
    assert page.locator("a[href*='/clinic'], a[href*='/admin']").count() == 0
    shoot(page, "a09-kiosk-questionnaire")
    assert shown_items(page) == list(KIOSK_ANSWERS)  # the interpreter item is asked
    answer(page, KIOSK_ANSWERS)
    shoot(page, "a10-kiosk-answered")
    send(page)
    assert page.url.endswith("/kiosk/done")
    shoot(page, "a11-kiosk-done")


def _start_kiosk_in_dari(page) -> None:
    # saving the session lands on its page, where the questionnaires are started
    assert page.get_by_role("heading", level=1).inner_text() == "Session 1"
    shoot(page, "a07-session")
    client_form = page.get_by_role("region", name="The client answers")
    client_form.get_by_label("Questionnaire", exact=True).select_option("alliance-client")
    client_form.get_by_label("Language of the questionnaire").fill("fa-AF")
    client_form.get_by_label("Hand the device to the client").check()
    client_form.get_by_role("button", name="Start").click()


def _clinician_takes_the_device_back(page, site) -> None:
    assert page.goto(site.url("/clinic/")).status == 403  # closed while handed over
    page.go_back()
    page.locator("a.staff-return").click()
    shoot(page, "a12-kiosk-return")
    page.locator("#password").fill("not the password")
    assert send(page, "main button[type=submit]").status == 400
    page.locator("#password").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    assert html_language(page) == ("en", "ltr")  # back in the clinician's language


def _score_and_interpreting_are_shown(page, site, total: str) -> None:
    row = page.get_by_role("row").filter(has_text="alliance-client")
    assert row.get_by_role("cell").all_inner_texts()[1:] == [
        "Client", "fa-AF · Machine draft", "Read on screen by the respondent", total,
        ""]  # no "declined" button: the questionnaire is answered
    shoot(page, "a13-session-with-score")
    page.get_by_role("link", name="Client K-DARI").click()
    chart = page.locator("figure.chart-figure")
    assert chart.locator("figcaption").inner_text() == "Alliance"
    assert "T" in chart.locator("svg text").all_text_contents()  # marked: by telephone
    chart.locator("summary").click()
    assert chart.get_by_role("row").nth(1).get_by_role("cell").all_inner_texts() == ["1", total]
    session_row = page.get_by_role("row").filter(has_text="Dr Browser")
    assert "Interpreter by telephone" in session_row.inner_text()
    assert site.interpreter_code in session_row.inner_text()
    shoot(page, "a14-client-chart")


def _stored_kiosk_administration(site) -> tuple:
    with site.app.app_context():
        session = db.session.scalars(sa.select(ClinicalSession).join(Episode).where(
            Episode.client_id == site.kiosk_client)).one()
        administration = db.session.scalars(sa.select(Administration).where(
            Administration.clinical_session_id == session.id)).one()
        return ((session.interpreting, session.interpreter.code, session.briefing,
                 session.debrief),
                (administration.language, administration.channel, administration.mode,
                 administration.privacy_screen_shown),
                {a.link_id: str(a.value) for a in administration.answers})


@pytest.mark.usefixtures("artifacts")
def test_clinician_hands_the_device_to_a_dari_speaking_client_and_sees_the_score(
        live_site, new_page):
    page = new_page()
    sign_in(page, live_site, screenshot="a01-sign-in")
    assert page.get_by_role("heading", level=1).inner_text() == "Dashboard"
    shoot(page, "a02-dashboard")
    page.goto(live_site.url(f"/clinic/clients/{live_site.kiosk_client}"))
    shoot(page, "a03-client")
    _record_telephone_session(page, live_site)
    _start_kiosk_in_dari(page)
    _client_answers_on_the_kiosk(page)
    _clinician_takes_the_device_back(page, live_site)
    _score_and_interpreting_are_shown(page, live_site, f"{expected_total(KIOSK_ANSWERS):.1f}")
    assert _stored_kiosk_administration(live_site) == (
        ("telephone", live_site.interpreter_code, True, False),
        ("fa-AF", "kiosk", "self", True), KIOSK_ANSWERS)


@pytest.mark.usefixtures("artifacts")
def test_client_answers_a_link_on_a_phone_in_arabic_after_one_correction(
        live_site, new_page):
    page = new_page(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    path = live_site.link(language="en")
    page.goto(live_site.url(path))
    assert html_language(page) == ("en", "ltr")
    shoot(page, "b01-link-opened")
    page.get_by_role("link", name="العربية").click()
    assert html_language(page) == ("ar", "rtl")
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")  # no sideways
    shoot(page, "b02-arabic")

    values = {link_id: "4" for link_id in shown_items(page)}
    answer(page, values)
    forge(page, "bond-1", "9")  # a value the scale does not have
    shoot(page, "b03-answered")
    assert send(page).status == 400
    assert page.get_by_role("alert").is_visible()
    bond = page.locator("#item-bond-1")
    assert bond.get_attribute("aria-describedby") == "item-bond-1-error"
    assert bond.locator("#item-bond-1-error").is_visible()
    assert checked_values(page) == {k: v for k, v in values.items() if k != "bond-1"}
    shoot(page, "b04-error")

    answer(page, {"bond-1": "5"})
    shoot(page, "b05-corrected")
    assert send(page).status == 200
    assert page.get_by_role("heading", level=1).inner_text() == translated(
        live_site.app, "Thank you", "ar")
    shoot(page, "b06-thanks")
    assert page.goto(live_site.url(path)).status == 410
    assert page.get_by_role("heading", level=1).inner_text() == translated(
        live_site.app, "This link has already been used", "ar")
    shoot(page, "b07-used")

    with live_site.app.app_context():
        administration = find_link(path.removeprefix("/r/")).administration
        assert (administration.language, administration.channel) == ("ar", "link")
        stored = {a.link_id: str(a.value) for a in administration.answers}
    assert stored == {**values, "bond-1": "5"}


@pytest.mark.usefixtures("artifacts")
def test_evaluator_compares_cohorts_and_downloads_the_data(live_site, new_page):
    page = new_page()
    sign_in(page, live_site, "evaluator@demo.example", DEMO_PASSWORD)
    assert page.get_by_role("heading", level=1).inner_text() == "Cohort comparison"
    shoot(page, "c01-comparison")
    page.get_by_role("button", name="Compare").click()
    assert page.get_by_role("heading", name="Growth model").is_visible()
    shoot(page, "c02-results")
    with page.expect_download() as started:
        page.get_by_role("link", name="Data (CSV, one row per questionnaire)").click()
    download = started.value
    assert download.suggested_filename.endswith("-data.csv")
    text = download.path().read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows and {"client_key", "session_number", "interpreting",
                     "score_total"} <= set(rows[0])
    with live_site.app.app_context():
        codes = {code for (code,) in db.session.query(Client.code)}
    assert not codes & {row["client_key"] for row in rows}
    assert CLINICIAN not in text
