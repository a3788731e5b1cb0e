"""ContactHub as a :class:`~contacthub_like.service.Service`: numbered pages, the JSON query, node scope."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ...orm.entity import Entity
from ...query.combination import Where
from ...query.criteria import SortKey
from ...query.paging import NumberedPages
from ...service import CompiledQuery, Service
from .compiler import build_params, compile_query


def compile_contacthub_query(
    entity_cls: type[Entity],
    where: Where,
    sort: Sequence[SortKey],
    *,
    client_side: bool = False,
    options: Mapping[str, Any] | None = None,
) -> CompiledQuery:
    """The hub's JSON query language expresses every criterion: nothing is left to run client-side."""
    return CompiledQuery(build_params(where, sort))


#: the ContactHub hub API (and the embedded hub, which speaks it)
CONTACTHUB = Service(
    name="contacthub",
    paging=NumberedPages(page_param="page", size_param="size", items_key="elements", page_key="page"),
    compile_query=compile_contacthub_query,
    scope_field="nodeId",
)


def query_document(where: Where) -> dict[str, Any] | None:
    """The ``query`` parameter as a dict (``Query.to_dict()``)."""
    return compile_query(where)
