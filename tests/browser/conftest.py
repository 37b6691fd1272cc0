"""Real-browser tests: the app on a live local server, Debian's Chromium driven by Playwright.

Pages get fresh browser contexts (their own cookies and a cold cache). Every request a page
makes is checked: one that leaves the app's origin is refused and fails the test. Page
weights and accessibility results are collected and printed at the end of the run.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from app_support import make_config
from browser_pages import ARTIFACTS
from browser_support import LiveServer, LiveSite, seed
from playwright.sync_api import Browser, Page, Route

from interpreter_support import create_app
from interpreter_support.extensions import db

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
AXE_SCRIPT = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
REPORT = pytest.StashKey[dict]()


def pytest_configure(config: pytest.Config) -> None:
    config.stash[REPORT] = {"weights": [], "axe": []}


@pytest.fixture(scope="session")
def live_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveSite]:
    """A fresh SQLite database for the run, migrated, seeded and served on 127.0.0.1."""
    from flask_migrate import upgrade

    workdir = tmp_path_factory.mktemp("browser")
    # CSRF protection is on (the test default turns it off): the browser posts real forms.
    app = create_app(make_config("sqlite:///" + str(workdir / "browser.sqlite3"),
                                 str(workdir / "instance"), extra={}))
    with app.app_context():
        upgrade()
    with LiveServer(app) as server:
        yield seed(app, server.base_url, workdir)
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def browser(playwright) -> Iterator[Browser]:
    for needed, install in ((CHROMIUM, "apt-get install chromium"),
                            (AXE_SCRIPT, "npm ci --prefix tests/browser")):
        if not Path(needed).is_file():
            pytest.fail(f"{needed} is missing; install it with `{install}`")
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Screenshots of this run (gitignored); the previous run's are removed first."""
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True)
    return ARTIFACTS


@pytest.fixture
def new_page(browser: Browser, live_site: LiveSite) -> Iterator[Callable[..., Page]]:
    """Make a page in a new context; keyword arguments go to `browser.new_context`."""
    contexts, foreign = [], []

    def only_our_origin(route: Route) -> None:
        if route.request.url.startswith(live_site.base_url + "/"):
            route.continue_()
        else:
            foreign.append(route.request.url)
            route.abort()

    def make(**options) -> Page:
        context = browser.new_context(**{"locale": "en-GB", **options})
        context.set_default_timeout(10_000)
        context.route("**/*", only_our_origin)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()
    assert foreign == [], f"requests outside the app's origin: {foreign}"


# What axe-core does not check: a label[for] that points at a duplicated id still "exists"
# for axe, while browsers give the second control no name at all.
FORM_PROBLEMS = """() => {
  const problems = [], ids = [...document.querySelectorAll("[id]")].map(e => e.id);
  for (const id of new Set(ids.filter((id, i) => ids.indexOf(id) !== i)))
    problems.push(["form-duplicate-id", "#" + id]);
  for (const control of document.querySelectorAll(
      "input:not([type=hidden]), select, textarea")) {
    if (control.labels.length !== 1) problems.push(["form-one-label", control.name]);
    const grouped = control.type === "radio" || (control.type === "checkbox"
                    && document.getElementsByName(control.name).length > 1);
    if (grouped && !control.closest("fieldset")?.querySelector(":scope > legend"))
      problems.push(["form-group-legend", control.name]);
  }
  return [...new Set(problems.map(JSON.stringify))].map(JSON.parse);
}"""


@pytest.fixture
def check_axe(pytestconfig: pytest.Config,
              live_site: LiveSite) -> Callable[..., list[dict]]:
    """Run axe-core's WCAG 2.2 A and AA rules on a page, and the form checks above;
    returns (and records for the summary) the violations.

    The CSP refuses inline scripts (what `add_script_tag(path=...)` would insert), so the
    script is served to the page from the app's own origin by the browser itself; the
    policy stays on while axe looks at the page.
    """
    axe_url = live_site.url("/__browser-tests__/axe.min.js")

    def run(page: Page, name: str, record: bool = True) -> list[dict]:
        page.route(axe_url, lambda route: route.fulfill(
            path=AXE_SCRIPT, content_type="application/javascript"))
        page.add_script_tag(url=axe_url)
        page.unroute(axe_url)
        result = page.evaluate(  # details of violations only: twice as fast
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
            " resultTypes: ['violations']})", WCAG_TAGS)
        violations = [{"id": v["id"], "impact": v["impact"],
                       "targets": [node["target"] for node in v["nodes"]]}
                      for v in result["violations"]]
        violations += [{"id": rule, "impact": "serious", "targets": [target]}
                       for rule, target in page.evaluate(FORM_PROBLEMS)]
        if record:
            language = page.locator("html").get_attribute("lang")
            pytestconfig.stash[REPORT]["axe"].append(
                (name, language, len(result["passes"]), violations))
        return violations
    return run


@pytest.fixture
def record_weight(pytestconfig: pytest.Config) -> Callable[..., None]:
    def record(name: str, requests: int, raw: int, gzipped: int) -> None:
        pytestconfig.stash[REPORT]["weights"].append((name, requests, raw, gzipped))
    return record


def pytest_terminal_summary(terminalreporter, config: pytest.Config) -> None:
    report = config.stash.get(REPORT, None)
    if not report or not (report["weights"] or report["axe"]):
        return
    write = terminalreporter.write_line
    if report["weights"]:
        terminalreporter.section("browser: page weight (cold cache, everything transferred)")
        write(f"{'page':<44} {'requests':>8} {'raw bytes':>10} {'if gzipped':>10}")
        for name, requests, raw, gzipped in report["weights"]:
            write(f"{name:<44} {requests:>8} {raw:>10,} {gzipped:>10,}")
    if report["axe"]:
        terminalreporter.section("browser: axe-core, WCAG 2.2 A/AA")
        write(f"{'page':<44} {'lang':<6} {'rules passed':>12} {'violations':>10}")
        for name, language, passes, violations in report["axe"]:
            write(f"{name:<44} {language:<6} {passes:>12} {len(violations):>10}")
            for v in violations:
                write(f"    {v['impact']}: {v['id']} at {v['targets'][:3]}")
