"""Playwright driving Debian's Chromium (it cannot download its own here) against pytest-django's live_server."""

import os

import pytest

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

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


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
