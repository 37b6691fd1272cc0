"""The interpreter's telephone session in a real browser: the clinician at a desk, the
interpreter on a phone, a client questionnaire in Arabic read aloud by the interpreter and
answered into the clinician's form. Screenshots in test-artifacts/browser/ (i…)."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from app_support import PASSWORD, run_cli
from browser_pages import html_language, send, shoot, sign_in
from browser_support import alliance_items

from interpreter_support.admin.operations import save_interpreter
from interpreter_support.clinic.operations import open_episode, save_client
from interpreter_support.extensions import db
from interpreter_support.models import Administration, Client, Interpreter, Site, User

INTERPRETER = "amal@browser.example"
CODE, CLIENT = "TEL-AR", "K-ARAB"
PHONE = {"viewport": {"width": 360, "height": 640}, "is_mobile": True, "has_touch": True}


def _interpreter_with_an_account_and_a_client(site) -> int:
    """An Arabic telephone interpreter who can sign in, and a client who prefers Arabic:
    made here, through the app's command and operations, so the shared data keeps its
    meaning. Returns the client's id."""
    result = run_cli(site.app, "create-user", INTERPRETER, "--role", "interpreter",
                     "--site", "BRW", "--name", "Amal", "--password-stdin",
                     input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    with site.app.app_context():
        clinic = db.session.scalars(sa.select(Site).filter_by(code="BRW")).one()
        interpreter = save_interpreter(Interpreter(), site_id=clinic.id, code=CODE,
                                       kind="professional", agency=None,
                                       languages=["ar", "en"])
        interpreter.user = db.session.scalars(sa.select(User).filter_by(
            email=INTERPRETER)).one()
        client = save_client(Client(), site_id=clinic.id, code=CLIENT, preferred_language="ar",
                             year_of_birth=None, gender=None)
        open_episode(client, date(2026, 1, 2))
        db.session.commit()
        return client.id


def _clinician_records_the_telephone_session(page, site, client_id: int) -> None:
    page.goto(site.url(f"/clinic/clients/{client_id}"))
    page.get_by_role("link", name="Record a session").click()
    page.get_by_label("Date and time (UTC)").fill("2026-01-19T09:30")
    assert page.get_by_label("Client's language").input_value() == "ar"
    page.get_by_label("Clinician's language").select_option("en")
    page.get_by_label("Interpreter by telephone").check()
    page.get_by_label("Interpreter", exact=True).select_option(
        page.locator("option", has_text=CODE).get_attribute("value"))
    page.get_by_label("Interpreter kind").select_option("professional")
    page.get_by_role("group", name="Pre-session briefing").get_by_label("Yes", exact=True).check()
    page.get_by_role("group", name="Post-session debrief").get_by_label("Yes", exact=True).check()
    page.get_by_role("button", name="Save session").click()
    assert page.get_by_role("status").inner_text() == "Session saved."
    assert page.get_by_role("heading", level=1).inner_text() == "Session 1"  # saved: its page


def _clinician_starts_it_read_aloud(page) -> None:
    form = page.get_by_role("region", name="The client answers")
    form.get_by_label("Questionnaire", exact=True).select_option("alliance-client")
    form.get_by_label("Language of the questionnaire").fill("ar")
    form.get_by_label("The interpreter reads the items aloud").check()
    shoot(page, "i01-clinician-starts-read-aloud")
    form.get_by_role("button", name="Start").click()
    assert "/enter" in page.url
    assert _all_right_to_left(page.locator("main [lang=ar]"))  # in the clinician's LTR page
    shoot(page, "i02-clinician-entry-form")


def _all_right_to_left(texts) -> bool:
    return texts.count() > 0 and texts.evaluate_all(
        "els => els.every(e => e.matches(':dir(rtl)'))")


def _no_sideways_scrolling(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= innerWidth")


def _interpreter_finds_it_on_their_phone(phone, site) -> None:
    sign_in(phone, site, INTERPRETER)
    assert phone.get_by_role("heading", level=1).inner_text() == "Sessions you interpreted"
    sessions = phone.locator("table.interpreter-sessions tbody tr")
    assert sessions.count() == 1  # their own session only
    assert CLIENT in sessions.inner_text() and "Dr Browser" in sessions.inner_text()
    body = phone.locator("body").inner_text()
    assert "K-LINK" not in body and "K-DARI" not in body  # no other client of the clinic
    assert _no_sideways_scrolling(phone)
    shoot(phone, "i03-interpreter-home-phone")
    phone.get_by_role("region", name="Questionnaires to read aloud now").get_by_role(
        "link", name="Read aloud").click()
    assert "/read" in phone.url


def _arabic_texts_read_right_to_left(phone) -> None:
    assert html_language(phone) == ("en", "ltr")  # the interpreter's interface
    assert _all_right_to_left(phone.locator("main [lang=ar]"))
    english = phone.locator("main .reference[lang=en]")
    assert english.count() > 0  # the clinician's language beside it, to follow
    assert english.evaluate_all("els => els.every(e => e.matches(':dir(ltr)'))")


def _nothing_about_the_client(phone, site) -> None:
    text = phone.locator("body").inner_text()
    assert CLIENT not in text and "K-LINK" not in text
    assert phone.locator("a[href^='/clinic'], a[href^='/admin/'], a[href^='/q/']").count() == 0
    for path in ("/clinic/", "/clinic/clients"):
        assert phone.request.get(site.url(path)).status == 403


def _reads_one_question_at_a_time(phone, clinician) -> dict[str, str]:
    """The interpreter reads each item; the clinician enters what the client answers."""
    phone.get_by_role("link", name="One question at a time").click()
    shoot(phone, "i05-read-aloud-first-question-phone")
    items = alliance_items()
    entered = {}
    for number, item in enumerate(items, start=1):
        assert phone.locator("ol.items > li").count() == 1
        assert phone.get_by_text(f"Question {number} of {len(items)}").is_visible()
        assert _no_sideways_scrolling(phone)
        # all five answers to read out, in Arabic with English beside them
        assert phone.locator("ol.items .options > li").count() == 5
        if number == 2:
            shoot(phone, "i06-read-aloud-second-question-phone")
        entered[item["link_id"]] = str(1 + number % 5)
        clinician.locator(f'input[name="item-{item["link_id"]}"]'
                          f'[value="{entered[item["link_id"]]}"]').check()
        if number < len(items):
            phone.get_by_role("link", name="Next question").click()
    assert phone.get_by_role("link", name="Next question").count() == 0
    shoot(phone, "i07-read-aloud-last-question-phone")
    return entered


@pytest.mark.usefixtures("artifacts")
def test_interpreter_reads_an_arabic_questionnaire_by_telephone_from_a_phone(
        live_site, new_page, check_axe):
    client_id = _interpreter_with_an_account_and_a_client(live_site)
    clinician = new_page()
    sign_in(clinician, live_site)
    _clinician_records_the_telephone_session(clinician, live_site, client_id)
    _clinician_starts_it_read_aloud(clinician)
    entry_url = clinician.url

    phone = new_page(**PHONE)
    _interpreter_finds_it_on_their_phone(phone, live_site)
    read_url = phone.url
    assert phone.get_by_role("heading", name="How to read this questionnaire").is_visible()
    _arabic_texts_read_right_to_left(phone)
    _nothing_about_the_client(phone, live_site)
    assert _no_sideways_scrolling(phone)
    shoot(phone, "i04-read-aloud-list-phone")
    assert check_axe(phone, "interpreter read-aloud (phone)") == []
    entered = _reads_one_question_at_a_time(phone, clinician)
    assert check_axe(phone, "interpreter read-aloud, one question") == []
    assert phone.request.get(entry_url).status == 404  # the clinician enters the answers

    shoot(clinician, "i08-clinician-answers-entered")
    assert send(clinician).status == 302  # to the administration's page
    assert clinician.get_by_role("status").inner_text() == "Answers saved."
    facts = dict(zip(clinician.locator("dl.facts dt").all_inner_texts(),
                     clinician.locator("dl.facts dd").all_inner_texts(), strict=True))
    assert facts["Read aloud by"] == f"Interpreter {CODE}"
    assert facts["Answers entered by"] == "Dr Browser"
    assert _all_right_to_left(clinician.locator("main h1 [lang=ar], ol.answers [lang=ar]"))
    shoot(clinician, "i09-administration-who-read-who-recorded")

    assert phone.goto(read_url).status == 404  # closed once answered
    phone.goto(live_site.url("/interpreter/"))
    assert phone.get_by_role("region", name="Questionnaires to read aloud now").count() == 0
    with live_site.app.app_context():
        administration = db.session.scalars(sa.select(Administration).join(Client).where(
            Client.code == CLIENT)).one()
        assert (administration.language, administration.mode, administration.channel) == (
            "ar", "interpreter_aloud", "staff")
        assert administration.read_by_interpreter.code == CODE
        assert administration.recorded_by.email == "clin@browser.example"
        assert {a.link_id: str(a.value) for a in administration.answers} == entered
