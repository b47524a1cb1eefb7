"""Playwright driving Debian's Chromium (it cannot download its own here) against pytest-django's live_server."""

import os
from pathlib import Path

import pytest
from django.db import connections

# The ORM is called from tests while Playwright's sync API runs an event loop in the same thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser(request):
    from tests.conftest import CHROMIUM, require_service

    require_service(os.path.exists(CHROMIUM), f"Chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs the rest of the session in a context of its own (greenlets), and Django keeps its
    # database connections per context: each side's are closed here, or the one opened before (or during) would be
    # left open when the test database is dropped ("being accessed by other users").
    connections.close_all()
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
        connections.close_all()


class ConsoleErrors(list):
    """Console errors and uncaught page errors seen by a page; a page a user sees must log none.

    Chromium also logs every 4xx answer to a fetch as a console error. An API's 400 or 409 is a message the page
    shows the user, not a fault, so those (and only those, on /api/v1/) are not counted.
    """

    def record(self, message) -> None:
        answered = message.text.startswith("Failed to load resource") and "/api/v1/" in message.location.get("url", "")
        if message.type == "error" and not answered:
            self.append(message.text)


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.console_errors = ConsoleErrors()
    page.on("console", page.console_errors.record)
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    yield page
    context.close()


@pytest.fixture
def phone_page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    yield page
    context.close()


# axe-core, from npm (package.json; `npm ci`, which `make test` and .ci/run do): the WCAG 2.0–2.2 A and AA rules.
AXE_CORE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# The pages' Content-Security-Policy allows scripts from our own origin only, so axe is added as a script of this
# origin that Playwright answers from node_modules (the request never reaches Django). The walk thus audits each
# page under its real policy, as a visitor gets it, rather than with the policy switched off (bypass_csp).
AXE_CORE_PATH = "/__axe-core__/axe.min.js"


@pytest.fixture(scope="session")
def axe_core():
    from tests.conftest import require_service

    require_service(AXE_CORE.exists(), f"axe-core at {AXE_CORE} (npm ci)")
    return AXE_CORE


def serve_axe_core(context) -> None:
    """Let the pages of this browser context load axe-core (see AXE_CORE_PATH)."""
    context.route(f"**{AXE_CORE_PATH}", lambda route: route.fulfill(path=AXE_CORE, content_type="text/javascript"))


def axe_violations(page) -> list[str]:
    """What axe-core finds on the page as it is now, against WCAG_TAGS: one readable line per rule and element."""
    if page.evaluate("typeof window.axe") != "object":
        page.add_script_tag(url=AXE_CORE_PATH)
    found = page.evaluate(
        """tags => axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]})
            .then(results => results.violations.flatMap(rule => rule.nodes.map(node => ({
                rule: rule.id, impact: rule.impact, help: rule.help, target: node.target.join(" "),
                summary: node.failureSummary.replace(/\\s+/g, " ")}))))""",
        WCAG_TAGS,
    )
    return [f"{v['rule']} ({v['impact']}: {v['help']}) at {v['target']}: {v['summary']}" for v in found]


@pytest.fixture
def person_at(browser, live_server, axe_core):
    """A signed-in browser context per person, at a width; each page must log no error."""
    from playwright.sync_api import expect

    from tests.browser.test_sign_in import sign_in
    from tests.factories import PASSWORD

    contexts, errors = [], []

    def open_as(username: str, width: int):
        context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": 900})
        serve_axe_core(context)
        contexts.append(context)
        page = context.new_page()
        page.on(
            "console",
            lambda m: m.type == "error" and "/api/v1/" not in m.location.get("url", "") and errors.append(m.text),
        )
        page.on("pageerror", lambda error: errors.append(str(error)))
        sign_in(page, username, PASSWORD)
        expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
        return page

    yield open_as
    for context in contexts:
        context.close()
    assert errors == []
