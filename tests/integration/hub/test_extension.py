"""Plugging an extra resource module into the hub (how Audiences and Invoices are meant to be added)."""

from __future__ import annotations

import types

import requests
from starlette.requests import Request
from starlette.routing import Route

from contacthub_like.sandbox import admin
from contacthub_like.sandbox.context import Hub, json_response, page_block, page_params, page_response
from contacthub_like.sandbox.resources import DEFAULT_RESOURCES
from contacthub_like.sandbox.server import LocalHub
from contacthub_like.sandbox.store import Store


def _make_notes_module() -> types.ModuleType:
    notes = types.ModuleType("notes")
    notes.SCHEMA = (
        "CREATE TABLE IF NOT EXISTS notes (pk INTEGER PRIMARY KEY, ws TEXT NOT NULL, doc TEXT NOT NULL)",
    )

    def routes(hub: Hub) -> list[Route]:
        async def create(request: Request):
            ws = hub.workspace(request)
            body = await hub.read_object(request)
            hub.store.execute(
                "INSERT INTO notes(ws, doc) VALUES (?, json(?))", (ws, json_response(body).body)
            )
            return json_response(body, 201)

        async def listing(request: Request):
            ws = hub.workspace(request)
            page, size = page_params(request)
            rows = hub.store.all(
                "SELECT doc FROM notes WHERE ws = ? ORDER BY pk LIMIT ? OFFSET ?", (ws, size, page * size)
            )
            total = hub.count("SELECT COUNT(*) FROM notes WHERE ws = ?", (ws,))
            return page_response([r[0] for r in rows], page_block(page, size, total, total))

        return [
            Route("/workspaces/{ws}/notes", create, methods=["POST"]),
            Route("/workspaces/{ws}/notes", listing, methods=["GET"]),
        ]

    def openapi(document: dict) -> None:
        document["paths"]["/workspaces/{ws}/notes"] = {
            "get": {"responses": {"200": {"description": "notes"}}}
        }

    notes.routes = routes
    notes.openapi = openapi
    return notes


def test_extra_resource_module(tmp_path):
    db = tmp_path / "ext.sqlite3"
    with Store(db) as store:
        creds = admin.default_credentials(store)
    with (
        LocalHub(db, resources=(*DEFAULT_RESOURCES, _make_notes_module())).start() as hub,
        requests.Session() as s,
    ):
        s.headers["Authorization"] = f"Bearer {creds.token}"
        base = f"{hub.base_url}/workspaces/{creds.workspace_id}"
        assert s.post(f"{base}/notes", json={"text": "hi"}, timeout=10).status_code == 201
        body = s.get(f"{base}/notes", timeout=10).json()
        assert body["elements"] == [{"text": "hi"}] and body["page"]["totalElements"] == 1
        assert s.delete(f"{base}/notes", timeout=10).status_code == 405
        assert s.get(f"{base}/customers", params={"nodeId": creds.node_id}, timeout=10).status_code == 200
        assert "/workspaces/{ws}/notes" in s.get(f"{hub.base_url}/openapi.json", timeout=10).json()["paths"]
        assert s.get(f"{hub.base_url}/workspaces/other/notes", timeout=10).status_code == 403
