import pytest


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/accounts/login/", "/healthz", "/api/v1/schema/"])
def test_every_response_carries_a_strict_content_security_policy(client, url):
    policy = client.get(url)["Content-Security-Policy"]

    assert "default-src 'self'" in policy
    assert "script-src 'self';" in policy
    assert "style-src 'self';" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


@pytest.mark.django_db
def test_only_the_api_docs_may_use_inline_styles(client):
    policy = client.get("/api/v1/docs/")["Content-Security-Policy"]

    assert "style-src 'self' 'unsafe-inline'" in policy
    assert "script-src 'self';" in policy
