"""What a person does on the pages, written once for every browser test.

Controls are found by their accessible names on English staff pages, and by form field
names on client pages (their text is in the client's language).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from app_support import PASSWORD
from browser_support import CLINICIAN, LiveSite, alliance_items
from playwright.sync_api import Page, Response

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"
SEND = 'button[name="action"][value="submit"]'
SAVE = 'button[name="action"][value="save"]'


def shoot(page: Page, name: str, full_page: bool = True) -> None:
    """A screenshot, named with the page's text direction."""
    direction = page.locator("html").get_attribute("dir") or "ltr"
    page.screenshot(path=ARTIFACTS / f"{name}-{direction}.png", full_page=full_page)


def html_language(page: Page) -> tuple[str | None, str | None]:
    html = page.locator("html")
    return html.get_attribute("lang"), html.get_attribute("dir")


def sign_in(page: Page, site: LiveSite, email: str = CLINICIAN,
            password: str = PASSWORD, screenshot: str | None = None) -> None:
    page.goto(site.url("/login"))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    if screenshot:
        shoot(page, screenshot)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def start_kiosk(page: Page, site: LiveSite, session_id: int, language: str) -> None:
    """On the session page: the client answers alone on this device, in `language`."""
    page.goto(site.url(f"/clinic/sessions/{session_id}"))
    form = page.get_by_role("region", name="The client answers")
    form.locator('select[name="instrument"]').select_option("alliance-client")
    form.locator('input[name="language"]').fill(language)
    form.get_by_label("Hand the device to the client, who reads and answers alone").check()
    form.get_by_role("button", name="Start").click()


def shown_items(page: Page) -> list[str]:
    """The link ids of the questions on a questionnaire page, in order."""
    return [name.removeprefix("item-") for name in page.locator("fieldset.item").evaluate_all(
        "sets => sets.map(s => s.querySelector('input').name)")]


def answer(page: Page, values: Mapping[str, str]) -> None:
    for link_id, value in values.items():
        page.locator(f'input[name="item-{link_id}"][value="{value}"]').check()


def forge(page: Page, link_id: str, value: str) -> None:
    """Make the first option of a question send a value the scale does not have."""
    page.locator(f'input[name="item-{link_id}"]').first.evaluate(
        "(input, value) => { input.value = value; input.checked = true; }", value)


def send(page: Page, button: str = SEND) -> Response:
    """Press a form button; the response to the form's POST."""
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.locator(button).click()
    page.wait_for_load_state()
    return posted.value


def checked_values(page: Page) -> dict[str, str]:
    return dict(page.locator("input[type=radio]:checked").evaluate_all(
        "inputs => inputs.map(i => [i.name.slice(5), i.value])"))


def expected_total(values: Mapping[str, str]) -> float:
    """The alliance total by hand: the mean of the goal, task and bond items, reverse-keyed
    items turned round on the 1-5 scale."""
    scored = [6 - int(values[i["link_id"]]) if i["reverse"] else int(values[i["link_id"]])
              for i in alliance_items() if i["subscale"] in ("goal", "task", "bond")]
    return sum(scored) / len(scored)
