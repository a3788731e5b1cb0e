"""v1 answers JSON by default and XML on ``Accept: text/xml`` (or ``application/xml``), as Ion's v1
documentation says; v3 is JSON only.

The XML mirrors the JSON: the document is ``<response>``, an object's keys become child elements, a
list repeats ``<item>`` elements, ``null`` is an empty element with ``nil="true"``, booleans are
``true``/``false``.  Built with ``xml.etree`` so text is always escaped.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from ..context import json_response

XML_TYPES = ("text/xml", "application/xml")


def wants_xml(request: Request) -> bool:
    """True when the Accept header names an XML type before (or without) JSON."""
    accepted = [part.split(";")[0].strip().lower() for part in request.headers.get("accept", "").split(",")]
    for media_type in accepted:
        if media_type in XML_TYPES:
            return True
        if media_type in ("application/json", "*/*"):
            return False
    return False


def _fill(element: ET.Element, value: Any) -> None:
    if isinstance(value, dict):
        for key, child in value.items():
            _fill(ET.SubElement(element, str(key)), child)
    elif isinstance(value, list):
        for child in value:
            _fill(ET.SubElement(element, "item"), child)
    elif value is None:
        element.set("nil", "true")
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    else:
        element.text = str(value)


def to_xml(value: Any) -> bytes:
    root = ET.Element("response")
    _fill(root, value)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def v1_response(request: Request, body: Any) -> Response:
    """``body`` as JSON, or as XML when the client asked for it."""
    if wants_xml(request):
        return Response(to_xml(body), media_type="text/xml; charset=utf-8")
    return json_response(body)
