"""API errors are JSON, with a JSON content type, wherever they come from: DRF's views, or an address under
/api/ that no route takes."""

import pytest


@pytest.mark.parametrize("path", ["/api/v1/goals/abc/", "/api/v1/requests/-1/accept/", "/api/v1/nothing/"])
def test_an_api_address_that_names_nothing_is_a_json_404(mentee_client, path):
    response = mentee_client.get(path)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}


def test_a_page_address_that_names_nothing_is_still_the_page(mentee_client):
    response = mentee_client.get("/goals/abc/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_an_api_address_without_its_slash_is_still_redirected(mentee_client):
    response = mentee_client.get("/api/v1/goals")

    assert (response.status_code, response["Location"]) == (301, "/api/v1/goals/")
