"""Client-facing pages in all 14 locales: right lang and dir, no English UI string left,
and plural forms chosen by the locale's own rule (Arabic has six)."""

import gettext
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from app_support import run_cli
from i18n_support import visible_text

from interpreter_support.extensions import db
from interpreter_support.i18n.locales import LOCALES, translations_dir
from interpreter_support.models import ResponseLink


@pytest.fixture
def world(app, build):
    site = build.site()
    clinician = build.user("clinician", site, email="clin@example.org")
    client_id = build.client(site, language="en", code="LANG-1")
    session_id = build.session(build.episode(client_id), clinician, 1, "telephone",
                               build.interpreter(site, languages=("ar", "en")))
    return {"site": site, "clinician": clinician, "session": session_id, "client": client_id}


def new_link(app) -> str:
    result = run_cli(app,
        "issue-link", "--client", "LANG-1", "--instrument", "alliance-client")
    url = result.output.strip().splitlines()[0]
    return url[url.index("/r/"):]


def link_pages(app, client, code):
    """(name, html) of every page a client with a link can meet, in locale `code`."""
    path = new_link(app)
    pages = [("questionnaire", client.get(f"{path}?lang={code}"))]
    tag = code.replace("_", "-")
    pages.append(("errors", client.post(path, data={"language": tag, "item-goal-1": "9",
                                                    "action": "submit"})))
    pages.append(("saved", client.post(path, data={"language": tag, "item-goal-1": "2",
                                                   "action": "save"})))
    client.post(path, data={"language": tag, "item-goal-1": "3", "action": "submit"})
    pages.append(("used", client.get(path)))
    expired = new_link(app)
    with app.app_context():
        for link in db.session.scalars(sa.select(ResponseLink)):
            link.expires_at = link.created_at - timedelta(seconds=1)
        db.session.commit()
    pages.append(("expired", client.get(expired)))
    pages.append(("not found", client.get("/r/" + "z" * 43)))
    return pages


def kiosk_pages(app, login, world, code):
    web = login(world["clinician"])
    response = web.post(f"/clinic/sessions/{world['session']}/questionnaires", data={
        "instrument": "alliance-client", "language": code, "delivery": "kiosk",
        "privacy": "y"})
    assert response.headers["Location"] == "/kiosk"
    pages = [("privacy", web.get("/kiosk/privacy"))]
    web.post("/kiosk/privacy")
    pages.append(("kiosk questionnaire", web.get("/kiosk")))
    tag = code.replace("_", "-")
    pages.append(("kiosk errors", web.post("/kiosk", data={"language": tag,
                                                           "item-task-1": "0",
                                                           "action": "submit"})))
    web.post("/kiosk", data={"language": tag, "item-task-1": "4", "action": "submit"})
    pages.append(("done", web.get("/kiosk/done")))
    pages.append(("return", web.get("/kiosk/return")))
    pages.append(("return refused", web.post("/kiosk/return", data={"password": "no"})))
    return pages


@pytest.mark.parametrize("locale", LOCALES[1:], ids=lambda loc: loc.code)
def test_client_pages_are_fully_translated(app, client, login, world, catalogs, locale):
    pages = link_pages(app, client, locale.code) + kiosk_pages(
        app, login, world, locale.code)
    english = catalogs[locale.code]
    assert english, "the catalog translates nothing"
    for name, response in pages:
        html = response.get_data(as_text=True)
        assert f'<html lang="{locale.tag}" dir="{locale.direction}">' in html, name
        text = visible_text(html)
        left = [msgid for msgid in english if re.search(
            r"(?<![\w-])" + re.escape(msgid) + r"(?![\w-])", text)]
        assert left == [], f"{name}: English left on the page: {left}"


def _arabic() -> gettext.GNUTranslations:
    path = translations_dir() / "ar" / "LC_MESSAGES" / "messages.mo"
    with path.open("rb") as mo:
        return gettext.GNUTranslations(mo)


@pytest.mark.parametrize("count", [1, 2, 3, 11, 100])
def test_arabic_plural_forms_follow_the_arabic_rule(app, client, world, count):
    arabic = _arabic()
    assert arabic.plural(0) != arabic.plural(1)  # six forms, not English's two
    assert len({arabic.plural(n) for n in (0, 1, 2, 3, 11, 100)}) == 6
    path = new_link(app)
    # Ten items refuse a 9; beyond ten, stray fields are refused as unknown too.
    data = {"language": "ar", "action": "submit", **{f"item-{i}": "9" for i in (
        "goal-1", "task-1", "bond-1", "goal-2", "task-2", "bond-2", "goal-3", "task-3",
        "bond-3", "interp-1")[:count]}}
    data.update({f"item-stray-{n}": "1" for n in range(max(0, count - 10))})
    html = client.post(path + "?lang=ar", data=data).get_data(as_text=True)
    expected = arabic.ngettext("%(num)d answer needs your attention.",
                               "%(num)d answers need your attention.", count) % {"num": count}
    assert expected in html
