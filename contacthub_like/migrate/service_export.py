"""Exports of other services' entities: ``contacthub-like export --service streamone --entity Invoice``.

The query runs through the service's own compiler (``--where`` parses against the entity's fields),
so what the API cannot filter is refused with the same message as in Python; the writers are the
customer export's (CSV or JSON Lines, one page in memory at a time; Parquet, one row group).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from contextlib import ExitStack
from typing import IO, Any

from ..errors import ConfigurationError, InvalidValue
from ..query.criteria import EMPTY
from .export import export_format, export_query, write_csv, write_jsonl, write_parquet
from .where import parse_where, resolve_path

__all__ = ["SERVICES", "export_service"]

#: service name -> (public module, the class that connects to it)
SERVICES: dict[str, tuple[str, str]] = {"streamone": ("contacthub_like.streamone", "StreamOne")}


def _connect(service: str, config: str | None) -> Any:
    """The service's client: from its configuration file, ``local:PATH``, or the embedded sandbox."""
    module_name, class_name = SERVICES[service]
    client = getattr(importlib.import_module(module_name), class_name)
    if not config:
        return client.local()
    if config.startswith("local:"):
        return client.local(config[len("local:") :] or None)
    return client.from_json_file(config)


def _entity(service: str, name: str | None) -> Any:
    module = importlib.import_module(SERVICES[service][0])
    found = getattr(module, name or "", None)
    known = sorted(n for n in getattr(module, "__all__", ()) if hasattr(getattr(module, n), "_meta"))
    if not name or found is None or not hasattr(found, "_meta") or not found._meta.collection:
        raise InvalidValue(f"--entity must name a {service} entity: one of {', '.join(known)}; got {name!r}")
    return found


def export_service(
    service: str,
    entity_name: str | None,
    *,
    config: str | None,
    where: str | None,
    fields: list[str] | None,
    output: str | None,
    fmt: str | None,
) -> int:
    """Write the entities matching ``where`` to ``output`` (stdout when None); the number written."""
    if service not in SERVICES:
        raise ConfigurationError(f"unknown service {service!r}; known: contacthub, {', '.join(SERVICES)}")
    entity = _entity(service, entity_name)
    criterion = parse_where(where, entity)
    for dotted in fields or ():
        resolve_path(entity, dotted)
    columns = fields or [name for name in entity._meta.fields]
    fmt = export_format(output, fmt)
    with ExitStack() as stack:
        client = _connect(service, config)
        stack.callback(client.close)
        query = client.query(entity)
        if criterion is not EMPTY:
            query = query.filter(criterion)
        docs: Iterator[dict[str, Any]] = export_query(query, fields=fields)
        if fmt == "parquet":
            assert output is not None  # export_format refuses parquet without a file
            return write_parquet(docs, output, columns, entity=entity)
        out: IO[str] = (
            stack.enter_context(open(output, "w", encoding="utf-8", newline="")) if output else sys.stdout
        )
        return write_csv(docs, out, columns) if fmt == "csv" else write_jsonl(docs, out)
