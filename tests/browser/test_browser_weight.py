"""The client questionnaire is light enough for a cheap phone on a slow connection, and
everything it loads comes from the app itself (no CDN, no web fonts, no beacons).

Bytes are counted as Chromium received them (Network.loadingFinished: headers and body).
werkzeug's development server does not compress; what gzip would make of each body is
reported beside it, for a deployment whose reverse proxy compresses.
"""

from __future__ import annotations

import base64
import gzip

import pytest
from browser_pages import answer, forge, send
from playwright.sync_api import Error as PlaywrightError

BUDGET = 30 * 1024  # bytes over the wire for the whole page, cold cache


def _load_counted(page, url: str, action=None) -> list[dict]:
    """Every request made while loading `url` (or doing `action`), with bytes received."""
    cdp = page.context.new_cdp_session(page)
    seen: dict[str, dict] = {}
    cdp.on("Network.requestWillBeSent", lambda event: seen.setdefault(
        event["requestId"], {"url": event["request"]["url"], "bytes": None}))
    cdp.on("Network.responseReceived", lambda event: seen[event["requestId"]].update(
        type=event["type"], status=event["response"]["status"]))
    cdp.on("Network.loadingFinished", lambda event: seen[event["requestId"]].update(
        bytes=int(event["encodedDataLength"])))
    cdp.send("Network.enable")
    if action is None:
        page.goto(url)
    else:
        action()
    page.wait_for_load_state("networkidle")
    for request_id, request in seen.items():
        request["body"] = _body(page, cdp, request_id, request["url"])
    cdp.detach()
    return list(seen.values())


def _body(page, cdp, request_id: str, url: str) -> bytes:
    try:
        body = cdp.send("Network.getResponseBody", {"requestId": request_id})
    except PlaywrightError:  # Chromium keeps no body for its own requests (the favicon)
        return page.context.request.get(url).body()
    return base64.b64decode(body["body"]) if body["base64Encoded"] else body["body"].encode()


def _weigh(requests: list[dict]) -> tuple[int, int]:
    """(bytes received, bytes if every body had been gzipped)."""
    raw = sum(r["bytes"] for r in requests)
    gzipped = sum(r["bytes"] - len(r["body"]) + len(gzip.compress(r["body"], 6))
                  for r in requests)
    return raw, gzipped


def _check(requests: list[dict], origin: str, name: str, record_weight) -> None:
    assert requests, name
    assert all(r["url"].startswith(origin + "/") for r in requests), requests
    assert all(r["bytes"] is not None for r in requests), requests  # all finished
    assert {r["type"] for r in requests} <= {"Document", "Stylesheet", "Image", "Font"}
    raw, gzipped = _weigh(requests)
    record_weight(name, len(requests), raw, gzipped)
    assert raw <= BUDGET, (name, raw, [(r["url"], r["bytes"]) for r in requests])


@pytest.mark.parametrize("language", ["en", "ar", "ti"])
def test_link_questionnaire_weighs_under_30_kb(language, live_site, new_page, record_weight):
    page = new_page(viewport={"width": 360, "height": 740}, is_mobile=True)
    requests = _load_counted(page, live_site.url(live_site.link(language=language)))
    assert [r["status"] for r in requests] == [200] * len(requests)
    _check(requests, live_site.base_url, f"link questionnaire ({language})", record_weight)


def test_questionnaire_with_an_error_weighs_under_30_kb(live_site, new_page, record_weight):
    page = new_page(viewport={"width": 360, "height": 740}, is_mobile=True)
    page.goto(live_site.url(live_site.link(language="ti")))
    answer(page, {"goal-1": "3"})
    forge(page, "task-1", "7")
    requests = _load_counted(page, "", action=lambda: send(page))
    assert requests[0]["status"] == 400  # the page again, with the problem named
    _check(requests, live_site.base_url, "link questionnaire, an answer refused (ti)",
           record_weight)
