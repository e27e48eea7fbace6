"""The OpenAPI document builds and lists the registry's endpoints."""

from __future__ import annotations

from django.test import Client


def test_it_serves_the_openapi_document(db):
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/v1/people" in paths
    assert {"get", "post"} <= set(paths["/api/v1/people"])
    assert {"get", "patch"} <= set(paths["/api/v1/people/{person_id}"])
    assert "/api/v1/households/{household_id}/members" in paths
