import pytest
import yaml


@pytest.mark.django_db
def test_schema_documents_every_accounts_endpoint(anon):
    response = anon.get("/api/v1/schema/")

    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    for path in ("/api/v1/auth/register/", "/api/v1/auth/token/", "/api/v1/me/", "/api/v1/skills/"):
        assert path in schema["paths"], path
    assert set(schema["paths"]["/api/v1/me/"]) >= {"get", "patch"}
