import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_api_docs_render_from_our_own_static_files(page, live_server):
    outside_requests = []
    page.on("request", lambda r: r.url.startswith(live_server.url) or outside_requests.append(r.url))

    page.goto("/api/v1/docs/")

    expect(page.get_by_role("heading", name="Mentorship Platform API")).to_be_visible()
    expect(page.get_by_text("/api/v1/auth/register/").first).to_be_visible()
    assert outside_requests == []
    assert page.console_errors == []
