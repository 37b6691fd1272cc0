"""The client's pages work with JavaScript switched off: a cheap phone, a locked-down tablet."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from app_support import PASSWORD
from browser_pages import (
    SAVE,
    answer,
    html_language,
    send,
    shoot,
    shown_items,
    sign_in,
    start_kiosk,
)
from browser_support import LiveSite

from interpreter_support.extensions import db
from interpreter_support.models import Administration
from interpreter_support.questionnaires.links import find_link


def _answers(site: LiveSite, query) -> dict[str, str]:
    """The answers of the one complete administration the query finds."""
    with site.app.app_context():
        administration = db.session.scalars(query).one()
        assert administration.is_complete
        return {a.link_id: str(a.value) for a in administration.answers}


@pytest.mark.usefixtures("artifacts")
def test_link_switch_save_resume_and_send_without_javascript(live_site, new_page):
    page = new_page(java_script_enabled=False, viewport={"width": 360, "height": 740})
    path = live_site.link(language="ti")
    page.goto(live_site.url(path))
    assert html_language(page) == ("ti", "ltr")
    page.get_by_role("link", name="English").click()  # a plain link, no script needed
    assert html_language(page) == ("en", "ltr")
    items = shown_items(page)
    first = {link_id: "2" for link_id in items[:4]}
    answer(page, first)
    assert send(page, SAVE).status == 200
    shoot(page, "n01-link-saved")

    page.goto(live_site.url(path))  # later, the same link again
    for link_id, value in first.items():
        assert page.locator(f'input[name="item-{link_id}"][value="{value}"]').is_checked()
    rest = {link_id: "5" for link_id in items[4:]}
    answer(page, rest)
    assert send(page).status == 200
    shoot(page, "n02-link-sent")
    assert page.goto(live_site.url(path)).status == 410
    with live_site.app.app_context():
        administration_id = find_link(path.removeprefix("/r/")).administration.id
    assert _answers(live_site, sa.select(Administration).where(
        Administration.id == administration_id)) == {**first, **rest}


@pytest.mark.usefixtures("artifacts")
def test_kiosk_hand_over_and_return_without_javascript(live_site, new_page):
    with live_site.app.app_context():
        before = db.session.scalar(sa.select(sa.func.max(Administration.id)))
    page = new_page(java_script_enabled=False)
    sign_in(page, live_site)
    start_kiosk(page, live_site, live_site.link_session, "ar")
    assert page.url.endswith("/kiosk/privacy") and html_language(page) == ("ar", "rtl")
    page.locator("main button[type=submit]").click()
    values = {link_id: "3" for link_id in shown_items(page)}
    answer(page, values)
    send(page)
    assert page.url.endswith("/kiosk/done")
    shoot(page, "n03-kiosk-done")
    page.locator("a.staff-return").click()
    page.locator("#password").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    assert page.url.endswith(f"/clinic/sessions/{live_site.link_session}")
    assert _answers(live_site, sa.select(Administration).where(
        Administration.id > before, Administration.channel == "kiosk")) == values
