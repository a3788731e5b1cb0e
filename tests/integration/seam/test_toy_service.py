"""A connector is declarations: a toy API (offset/limit over bare arrays, Basic auth, ``{code, message}``
errors) gets get, auto-paging lists, create, tracked patches and typed errors from the core alone."""

from __future__ import annotations

import pytest
from toy_api import PASSWORD, USER, build_app, serving

# ---- the whole connector: everything below this line up to the tests is what a new service declares ----
from contacthub_like.errors import BadRequest, NotFound, Unauthorized, keyed_error_decoder
from contacthub_like.http.auth import BasicAuth
from contacthub_like.orm import Creatable, Entity, Integer, Listable, Refreshable, String, Updatable
from contacthub_like.query.paging import OffsetLimit
from contacthub_like.service import Service, Session


class Widget(Creatable, Updatable, Refreshable, Listable, Entity):
    __collection__ = "widgets"
    id = String(read_only=True)
    name = String()
    size = Integer()


TOY = Service(
    name="toy",
    paging=OffsetLimit(offset_param="offset", limit_param="limit", max_limit=10, default_limit=10),
    decode_error=keyed_error_decoder(message="message", code="code"),
)


def connect(base_url: str, user: str = USER, password: str = PASSWORD) -> Session:
    return Session(TOY, TOY.transport(base_url, BasicAuth(user, password), timeout=5))


# ---- end of the connector ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def api():
    app = build_app()
    with serving(app) as base_url:
        yield app, base_url


def test_get_list_create_patch(api) -> None:
    app, base_url = api
    toy = connect(base_url)
    assert toy.get(Widget, "3").name == "w3"
    app.state.seen.clear()
    widgets = Widget.list(toy)
    assert [w.size for w in widgets] == list(range(1, 24))  # three pages of at most 10, bare arrays
    assert [q for m, q in app.state.seen] == ["offset=0&limit=10", "offset=10&limit=10", "offset=20&limit=10"]
    assert len(widgets) == 23
    created = Widget(toy, name="new", size=7).post()
    assert created.id == "24" and created.size == 7
    app.state.seen.clear()
    created.size = 8
    created.patch()
    created.patch()  # nothing changed since: no request
    assert app.state.seen == [("PATCH", '{"size": 8}')]
    assert created.refresh().size == 8
    toy.transport.close()


def test_typed_errors_carry_the_api_message(api) -> None:
    toy = connect(api[1])
    with pytest.raises(NotFound) as missing:
        toy.get(Widget, "999")
    assert missing.value.message == "no widget 999" and missing.value.logref == "404"
    with pytest.raises(BadRequest, match="name is required"):
        Widget(toy, size=1).post()
    with pytest.raises(Unauthorized, match="bad credentials"):
        connect(api[1], password="wrong").get(Widget, "1")
    toy.transport.close()


def test_queries_the_api_cannot_express_are_refused_or_run_client_side(api) -> None:
    from contacthub_like.errors import UnsupportedQuery

    toy = connect(api[1])
    query = toy.query(Widget).filter(Widget.size > 20)
    with pytest.raises(UnsupportedQuery, match="client_side"):
        query.all()
    assert [w.size for w in query.client_side().all()] == [21, 22, 23]
    assert query.client_side().explain()["client_side"] is not None
    toy.transport.close()
