"""axe-core finds no WCAG 2.2 A/AA violation on any client page (English, Arabic, Tigrinya)
or on the main staff pages."""

from __future__ import annotations

import pytest
from browser_pages import SAVE, answer, forge, html_language, send, sign_in, start_kiosk
from browser_support import SPANISH_ONLY

from interpreter_support.demo.clinic import DEMO_PASSWORD

CLIENT_LANGUAGES = [("en", "en", "ltr"), ("ar", "ar", "rtl"), ("ti", "ti", "ltr")]


def _link_pages(page, site, language: str, check) -> None:
    path = site.link(language=language)
    page.goto(site.url(path))
    check("link: questionnaire")
    answer(page, {"goal-1": "2", "task-1": "3"})
    forge(page, "bond-1", "0")
    assert send(page).status == 400
    check("link: an answer refused")
    answer(page, {"bond-1": "4"})
    send(page, SAVE)
    check("link: answers saved for later")
    page.goto(site.url(path))
    send(page)
    check("link: thank you")
    assert page.goto(site.url(path)).status == 410
    check("link: already used")
    assert page.goto(site.url(site.link(language=language, expiry_days=0))).status == 410
    check("link: expired")
    page.goto(site.url(site.link(instrument=SPANISH_ONLY, language=language)))
    check("link: not available in this language")


def _kiosk_pages(page, site, code: str, check) -> None:
    sign_in(page, site)
    start_kiosk(page, site, site.link_session, code)
    check("kiosk: privacy screen")
    page.locator("main button[type=submit]").click()
    check("kiosk: questionnaire")
    answer(page, {"goal-1": "3"})  # an empty form is refused: one answer is enough
    send(page)
    check("kiosk: done")
    page.locator("a.staff-return").click()
    check("kiosk: return to the staff pages")
    page.locator("#password").fill("not the password")
    assert send(page, "main button[type=submit]").status == 400
    check("kiosk: return, wrong password")


@pytest.mark.parametrize(("code", "tag", "direction"), CLIENT_LANGUAGES)
def test_client_pages_have_no_violations(code, tag, direction, live_site, new_page,
                                         check_axe):
    found = {}

    def check(name: str) -> None:
        assert html_language(page) == (tag, direction), name
        found[name] = check_axe(page, name)

    page = new_page()
    _link_pages(page, live_site, code, check)
    page = new_page()
    _kiosk_pages(page, live_site, code, check)
    assert len(found) == 12
    assert {name: v for name, v in found.items() if v} == {}


def _clinician_page(path: str):
    def visit(page, site) -> None:
        sign_in(page, site)
        page.goto(site.url(path.format(client=site.link_client, session=site.link_session)))
    return visit


def _sign_in_page(page, site) -> None:
    page.goto(site.url("/login"))


def _comparison(page, site) -> None:
    sign_in(page, site, "evaluator@demo.example", DEMO_PASSWORD)
    page.get_by_role("button", name="Compare").click()
    assert page.get_by_role("heading", name="Growth model").is_visible()
    page.get_by_text("Filters and adjustment").click()  # axe skips what is folded away


STAFF_PAGES = [
    pytest.param("sign-in", _sign_in_page, id="sign-in"),
    pytest.param("dashboard", _clinician_page("/clinic/"), id="dashboard"),
    pytest.param("client", _clinician_page("/clinic/clients/{client}"), id="client"),
    pytest.param("session", _clinician_page("/clinic/sessions/{session}"), id="session"),
    pytest.param("session form", _clinician_page("/clinic/sessions/{session}/edit"),
                 id="session-form"),
    pytest.param("cohort comparison", _comparison, id="cohort-comparison"),
]


@pytest.mark.parametrize(("name", "visit"), STAFF_PAGES)
def test_staff_page_has_no_violations(name, visit, live_site, new_page, check_axe):
    page = new_page()
    visit(page, live_site)
    assert check_axe(page, f"staff: {name}") == []


def test_the_checks_can_fail(live_site, new_page, check_axe):
    """The sign-in page with its labels taken away is caught by axe and by the form checks."""
    page = new_page()
    page.goto(live_site.url("/login"))
    page.locator("label").evaluate_all("labels => labels.forEach(label => label.remove())")
    found = {v["id"] for v in check_axe(page, "sign-in without labels", record=False)}
    assert {"label", "form-one-label"} <= found
