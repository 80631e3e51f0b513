"""Writing Open311 GeoReport v2 bodies in XML and JSON from plain values (pure).

XML: built with ``xml.etree`` (so text is escaped), starting with the mandatory
``<?xml version="1.0" encoding="utf-8"?>`` declaration; no namespace. An empty value is
an empty element. JSON follows the "Spark convention": the container root is dropped
(a top-level array for lists), empty values are ``null``, booleans are ``true``/``false``,
codes and IDs are strings and coordinates are numbers.
"""
import json
import re
import xml.etree.ElementTree as ET
from datetime import datetime
from decimal import Decimal

XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>'
XML_TYPE = "text/xml; charset=utf-8"
JSON_TYPE = "application/json; charset=utf-8"

# The element name of one item inside a list-valued field.
ITEM_TAGS = {
    "services": "service", "service_requests": "request", "errors": "error", "attributes": "attribute",
    "values": "value", "endpoints": "endpoint", "formats": "format", "notes": "note", "photos": "photo",
    "service_request_updates": "request_update",
}


# Characters XML 1.0 cannot carry at all, even escaped (control characters, lone surrogates).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _text(value) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime):
        return value.isoformat()
    return _NOT_XML.sub("", str(value))


def _fill(element, key, value):
    if isinstance(value, dict):
        child = ET.SubElement(element, key)
        for k, v in value.items():
            _fill(child, k, v)
    elif isinstance(value, (list, tuple)):
        child = ET.SubElement(element, key)
        tag = ITEM_TAGS.get(key, "item")
        for item in value:
            _fill(child, tag, item)
    else:
        child = ET.SubElement(element, key)
        child.text = _text(value)


def to_xml(root: str, value) -> str:
    """``value`` is a list (items under ``root``) or a dict (the fields of ``root``)."""
    element = ET.Element(root)
    if isinstance(value, dict):
        for key, item in value.items():
            _fill(element, key, item)
    else:
        tag = ITEM_TAGS.get(root, "item")
        for item in value:
            _fill(element, tag, item)
    return XML_DECLARATION + ET.tostring(element, encoding="unicode")


def _json_value(value):
    if isinstance(value, dict):
        return {k: _json_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_value(v) for v in value]
    if isinstance(value, Decimal):
        return float(value)  # only coordinates are sent as numbers; exact codes go as strings
    if isinstance(value, datetime):
        return value.isoformat()
    if value == "":
        return None
    return value


def to_json(value) -> str:
    return json.dumps(_json_value(value), ensure_ascii=False)


def render(fmt: str, root: str, value) -> tuple[str, str]:
    """(body, content type) for ``fmt`` (xml or json)."""
    if fmt == "json":
        return to_json(value), JSON_TYPE
    return to_xml(root, value), XML_TYPE
