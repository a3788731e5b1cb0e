"""External events for the marketing gateway: one at a time, or many as a CSV file.

An event names an external event defined in the tenant (``eventName``) and carries exactly
one identity key; anything else is an attribute.  Both rules are checked before a request is
made, so a script learns which event is wrong and why instead of reading a 400 per row.
"""

from __future__ import annotations

import csv
import json
import os
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...errors import InvalidType, InvalidValue
from ...orm import Creatable, Entity, String

__all__ = ["ExternalEvent", "IDENTITY_KEYS", "check_event", "events_csv"]

#: the identity keys an event may carry, exactly one of them
IDENTITY_KEYS = ("customer_id", "datahub_id", "login_id", "subject_id")


def check_event(fields: Mapping[str, Any], where: str = "the event") -> dict[str, Any]:
    """``fields`` as a valid event body: ``eventName`` and exactly one identity key, all values set."""
    if not isinstance(fields, Mapping):
        raise InvalidType(f"{where} must be a mapping of field names to values, got {type(fields).__name__}")
    name = fields.get("eventName")
    if not isinstance(name, str) or not name.strip():
        raise InvalidValue(f"{where} needs eventName: the name of an external event defined in CI360")
    present = [key for key in IDENTITY_KEYS if fields.get(key) not in (None, "")]
    if len(present) != 1:
        found = ", ".join(present) if present else "none"
        raise InvalidValue(
            f"{where} needs exactly one identity key of {', '.join(IDENTITY_KEYS)}; found {found}: "
            "keep the one that identifies the customer"
        )
    return {key: value for key, value in fields.items() if value is not None}


class ExternalEvent(Creatable, Entity):
    """``ExternalEvent(ci, eventName=..., customer_id=..., attributes={...}).post()``.

    ``attributes`` are sent as top-level fields next to ``eventName`` (that is how the
    gateway reads them); they may also be passed as keyword arguments.
    """

    __collection__ = "marketingGateway/events"
    __open__ = True
    if TYPE_CHECKING:  # an open document: keys beyond the fields read as attributes

        def __getattr__(self, key: str) -> Any: ...

    __slots__ = ()

    eventName: String = String()

    def __init__(self, node: Any = None, attributes: Mapping[str, Any] | None = None, **fields: Any) -> None:
        if attributes is not None:
            if not isinstance(attributes, Mapping):
                raise InvalidType(f"attributes must be a mapping, got {type(attributes).__name__}")
            clash = sorted(set(attributes) & set(fields))
            if clash:
                raise InvalidValue(
                    f"{', '.join(clash)} given both as a keyword and in attributes: give it once"
                )
            fields = {**fields, **attributes}
        super().__init__(node, **fields)

    @property
    def _body_for_create(self) -> dict[str, Any]:
        return check_event(
            super()._body_for_create, f"{type(self).__name__} {self._values.get('eventName')!r}"
        )


@contextmanager
def events_csv(events: Iterable[Mapping[str, Any] | ExternalEvent]) -> Iterator[Path]:
    """The events as a temporary CSV file (header row, ``csv`` quoting), removed afterwards.

    Every event is checked first.  The events pass through a temporary JSON-lines file while
    their columns are gathered, so an iterable of any length is never held in memory.
    """
    columns: dict[str, None] = {"eventName": None}
    with tempfile.TemporaryDirectory(prefix="ci360-events-") as tmp:
        staged = Path(tmp) / "events.jsonl"
        count = 0
        with open(staged, "w", encoding="utf-8") as out:
            for number, event in enumerate(events, start=1):
                fields = event._body_for_create if isinstance(event, ExternalEvent) else event
                body = check_event(fields, f"event {number}")
                columns.update(dict.fromkeys(body))
                out.write(json.dumps(body, default=str) + "\n")
                count += 1
        if count == 0:
            raise InvalidValue("no events to send: pass at least one")
        target = Path(tmp) / "events.csv"
        with open(staged, encoding="utf-8") as source, open(target, "w", encoding="utf-8", newline="") as out:
            writer = csv.DictWriter(out, fieldnames=list(columns), restval="")
            writer.writeheader()
            for line in source:
                writer.writerow({k: _cell(v) for k, v in json.loads(line).items()})
        os.unlink(staged)
        yield target


def _cell(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    return str(value)
