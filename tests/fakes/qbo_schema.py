"""Validate QuickBooks Online JSON bodies against Intuit's own XSDs.

QBO has no OpenAPI description; the XSDs in ``shared/specs/qbo-xsd`` are the
authoritative shape of its JSON (the JSON is a mechanical rendering of the
XML).  This module maps a JSON body onto the XML data model xmlschema
expects (attributes as ``@name``, the text of simple-content types such as
``ReferenceType`` as ``$``) by walking the schema next to the data, then lets
xmlschema validate it in lax mode with the unordered converter (JSON objects
have no element order).

The envelope attributes ``domain``/``sparse``/``status`` are dropped and so
are the empty strings and empty lists python-quickbooks sends for every unset
field (its objects default to ``""`` and ``[]``; an empty JSON array is zero
XML elements); both are transport noise, not data.
"""

from __future__ import annotations

import decimal
import functools
import os
import threading
from pathlib import Path

import xmlschema
from xmlschema.validators import XsdElement, XsdGroup

NS = "http://schema.intuit.com/finance/v3"
ENVELOPE_FIELDS = frozenset({"domain", "sparse", "status"})
_LOCK = threading.Lock()


def spec_dir() -> Path:
    """The XSD folder: ``$SHARED_DIR/specs/qbo-xsd`` or the repository's sibling ``shared``."""
    shared = os.environ.get("SHARED_DIR")
    base = Path(shared) if shared else Path(__file__).resolve().parents[3] / "shared"
    return base / "specs" / "qbo-xsd"


@functools.lru_cache(maxsize=1)
def schema() -> xmlschema.XMLSchema:
    """Load once per process: building the schema takes about a second."""
    return xmlschema.XMLSchema(str(spec_dir() / "IntuitRestServiceDef.xsd"))


@functools.lru_cache(maxsize=1)
def entity_names() -> tuple[str, ...]:
    """Every entity QBO's schema declares (members of the ``IntuitObject`` substitution group)."""
    return tuple(sorted(member.local_name for member in schema().substitution_groups.get("IntuitObject", ())))


def _scalar(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, decimal.Decimal)):
        return str(value)
    return value


def _repeats(particle) -> bool:
    return particle.max_occurs is None or particle.max_occurs > 1


def _walk(group, repeated: bool, found: dict) -> None:
    for particle in group:
        if isinstance(particle, XsdGroup):
            _walk(particle, repeated or _repeats(particle), found)
            continue
        if not isinstance(particle, XsdElement):
            continue  # xs:any: nothing to rename
        many = repeated or _repeats(particle)
        if particle.abstract:
            for member in schema().substitution_groups.get(particle.local_name, ()):
                found[member.local_name] = (member, many)
        else:
            found[particle.local_name] = (particle, many)


def _child_elements(xsd_type) -> dict:
    """Local name -> (element declaration, repeats?), substitution groups (``IntuitObject``) expanded."""
    if xsd_type.has_simple_content() or not hasattr(xsd_type.content, "iter_elements"):
        return {}
    found: dict = {}
    _walk(xsd_type.content, _repeats(xsd_type.content), found)
    return found


_children = functools.lru_cache(maxsize=None)(_child_elements)


def to_xml_model(data, xsd_type, shape_errors: list[str], name: str = ""):
    """Rename JSON keys to the converter's model for ``xsd_type``; unknown keys stay, so validation reports them.

    What XML cannot express is checked here and added to ``shape_errors``: QBO's JSON writes every complex
    type, even one with simple content like ``ReferenceType``, as an object (``{"value": "1"}``), and a
    repeated element as an array.
    """
    if isinstance(data, list):
        return [to_xml_model(item, xsd_type, shape_errors, name) for item in data]
    if not isinstance(data, dict):
        if not xsd_type.is_simple():
            shape_errors.append(f"{name}: a JSON object is expected for {xsd_type.local_name or 'a complex type'}")
        return _scalar(data)
    if xsd_type.is_simple():
        return data  # an object where a scalar is declared: validation says so
    attributes = xsd_type.attributes
    children = _children(xsd_type)
    model = {}
    for key, value in data.items():
        if value is None or value == "" or value == [] or key in ENVELOPE_FIELDS and key not in children:
            continue
        if key in attributes:
            model["@" + key] = _scalar(value)
        elif key == "value" and xsd_type.has_simple_content():
            model["$"] = _scalar(value)
        elif key in children:
            element, repeated = children[key]
            _check_repetition(key, repeated, value, shape_errors)
            model[key] = to_xml_model(value, element.type, shape_errors, key)
        elif xsd_type.has_simple_content():
            model["@" + key] = _scalar(value)  # simple content has no children: report it as a stray attribute
        else:
            model[key] = value
    return model


def _check_repetition(name: str, repeated: bool, value, shape_errors: list[str]) -> None:
    if repeated and not isinstance(value, list):
        shape_errors.append(f"{name}: a JSON array is expected (the element repeats)")
    elif not repeated and isinstance(value, list):
        shape_errors.append(f"{name}: a single value is expected, not an array")


def validate(element_name: str, data: dict) -> list[str]:
    """Errors of ``data`` as the JSON form of the global element ``element_name`` (empty list: valid)."""
    element = schema().elements[element_name]
    shape_errors: list[str] = []
    model = to_xml_model(data, element.type, shape_errors, element_name)
    with _LOCK:
        _, errors = element.encode(model, converter=xmlschema.UnorderedConverter, validation="lax", namespaces={"": NS})
    return shape_errors + [_describe(error) for error in errors]


def _describe(error) -> str:
    reason = (getattr(error, "reason", None) or str(error)).replace("{" + NS + "}", "")
    elem = getattr(error, "elem", None)
    if "element '" in reason or elem is None or not isinstance(elem.tag, str):
        return reason  # the reason names the element itself
    return f"{elem.tag.rpartition('}')[2]}: {reason}"


def validate_xml(text: str) -> list[str]:
    """Errors of an XML body (QBO answers throttling in XML even to JSON clients)."""
    with _LOCK:
        return [_describe(error) for error in schema().iter_errors(text)]
