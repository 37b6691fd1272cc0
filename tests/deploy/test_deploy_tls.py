"""Over HTTPS through the TLS proxy, as deployed: staff sign in, hand the tablet over, and a
client answers through a link. Every form POST must be accepted (CSRF with the app's own
referrer policy)."""

from conftest import CLINICIAN, PASSWORD


def _sign_in(page, base_url: str) -> None:
    page.goto(base_url + "/login")
    page.fill("input[name=email]", CLINICIAN)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    assert page.url.startswith(base_url) and "/login" not in page.url, page.content()[:500]


def _answer_every_item(page) -> None:
    names = set(page.eval_on_selector_all("input[type=radio]", "els => els.map(e => e.name)"))
    assert names
    for name in names:
        page.check(f"input[type=radio][name='{name}'][value='3']")
    page.click("button[value=submit]")


def test_security_headers_over_https(tls_site, https_page):
    response = https_page.goto(tls_site.base_url + "/login")
    assert response.status == 200
    assert response.headers["referrer-policy"] == "strict-origin"
    assert "max-age" in response.headers["strict-transport-security"]  # the proxy said https


def test_staff_sign_in_and_hand_the_device_over(tls_site, https_page):
    page = https_page
    _sign_in(page, tls_site.base_url)
    page.goto(f"{tls_site.base_url}/clinic/sessions/{tls_site.session_id}")
    page.select_option("form[action$='/questionnaires'] select[name=instrument]",
                       "alliance-client")
    page.fill("form[action$='/questionnaires'] input[name=language]", "en")
    page.check("input[name=delivery][value=kiosk]")
    page.uncheck("input[name=privacy]")
    page.click("form[action$='/questionnaires'] button[type=submit]")
    assert page.url == tls_site.base_url + "/kiosk", page.content()[:500]
    _answer_every_item(page)
    assert page.url == tls_site.base_url + "/kiosk/done", page.content()[:500]


def test_a_client_answers_through_a_link(tls_site, https_page):
    output = tls_site.cli("issue-link", "--client", tls_site.client_code, "--instrument",
                          "trust-safety", "--base-url", tls_site.base_url + "/")
    link = output.strip().splitlines()[0]
    assert link.startswith(tls_site.base_url + "/r/")
    page = https_page
    assert page.goto(link).status == 200
    _answer_every_item(page)
    assert "Your answers have been received." in page.content(), page.content()[:800]
