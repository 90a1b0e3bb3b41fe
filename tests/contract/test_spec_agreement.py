"""The XML contract (specs/jobnet-booking.xsd) agrees with the REST contract (specs/openapi.yaml).

The OpenAPI document is the master. Every property carries its English XSD element name in `xml.name`;
component schemas carry `x-xsd-type` (the XSD complexType) and `xml.name` (the element name); array
properties carry `x-xsd-type` of their collection (wrapper) type and `items.xml.name` for the repeated
child; simple-typed properties may carry `x-xsd-type` with the XSD simple type name.

Checked here, per component schema (parametrized, so a failure names the schema), collecting ALL
mismatches before asserting:
* the complexType exists (and is documented with the Danish schema name);
* every property has an element with the same name, position, cardinality, kind of type
  (string/integer/boolean/date/date-time <-> xs types or restrictions of them, object <-> the
  referenced complexType), pattern (OpenAPI pattern without ^( )$ == XSD pattern, named simple types
  and their base restrictions resolved), minLength/maxLength and minimum/maximum <->
  minInclusive/maxInclusive;
* arrays: wrapper element of the collection type, child named by items.xml.name with
  minOccurs/maxOccurs = minItems/maxItems; an array with `xml.wrapped: false` is the element itself,
  repeated (minOccurs/maxOccurs = minItems/maxItems), as STAR's Supervisor 0-* in CaseWorkerToBook;
* the reverse: no element (or attribute) in the complexType that the OpenAPI does not have.
Also: global elements of all request/response roots, the XML request types of the GET searches,
the header/path parameters vs. the simple types, every OpenAPI example is valid XML per the XSD,
the XSD compiles with xsdata, and the checker itself catches deliberately planted mismatches.
"""
from __future__ import annotations

import copy
import dataclasses
import datetime
import json
import os
import pathlib
import shutil
import subprocess
import sys
from decimal import Decimal
from typing import Any

import pytest
import yaml
from lxml import etree

ROOT = pathlib.Path(__file__).parents[2]
OPENAPI_PATH = ROOT / "specs" / "openapi.yaml"
XSD_PATH = ROOT / "specs" / "jobnet-booking.xsd"

XS = "http://www.w3.org/2001/XMLSchema"
TNS = "urn:dk:star:jobnet:selvbooking:10"

INT_BOUNDS = {
    "byte": (-(2**7), 2**7 - 1),
    "short": (-(2**15), 2**15 - 1),
    "int": (-(2**31), 2**31 - 1),
    "long": (-(2**63), 2**63 - 1),
    "unsignedByte": (0, 2**8 - 1),
    "unsignedShort": (0, 2**16 - 1),
    "unsignedInt": (0, 2**32 - 1),
    "unsignedLong": (0, 2**64 - 1),
    "integer": (None, None),
    "nonNegativeInteger": (0, None),
    "positiveInteger": (1, None),
    "nonPositiveInteger": (None, 0),
    "negativeInteger": (None, -1),
}
# OpenAPI (type, format) -> the XSD built-in type the XSD must use (directly or as restriction base).
OPENAPI_TO_XS = {
    ("string", None): "string",
    ("string", "date"): "date",
    ("string", "date-time"): "dateTime",
    ("integer", "int32"): "int",
    ("integer", "int64"): "long",
    ("integer", None): "integer",
    ("boolean", None): "boolean",
    ("number", None): "decimal",
    ("number", "double"): "double",
    ("number", "float"): "float",
}
XS_BUILTIN_NAMES = {"string", "date", "dateTime", "boolean", "decimal", "double", "float", *INT_BOUNDS}

# --- Deliberate, documented deviations and mappings -------------------------------------------
# A collection type shared by several properties must have one content model (one XSD type cannot
# hold two); the immediate-booking times therefore have their own ImmediateBookingTimeslotCollectionType.
COLLECTION_TYPE_OVERRIDES: dict[tuple[str, str], str] = {}
KNOWN_SHARED_COLLECTION_CONFLICTS: set[str] = set()

# XML request types for the GET searches (docs/reference.md §8 Q4): operationId -> global element.
GET_REQUEST_ELEMENTS = {
    "GetSelvbookingMoedetider": "GetSelfbookTimeslotsRequest",
    "GetOmbookingMoedetider": "GetRescheduleTimeslotsRequest",
    "GetStraksbookingMoedetider": "GetImmediateBookingTimeslotsRequest",
}
# The OpenAPI parameters carry no xml.name (yet); these are the English names from docs/reference.md §3.3/§3.9.
# An xml.name on the parameter (or its schema) takes precedence.
PARAMETER_XML_NAMES = {
    "moedetilbudId": "InterviewOptionID",
    "indkaldelseId": "BookingIdentifier",
    "startMoedetidsinterval": "BookingOptionIntervalStartTime",
    "slutMoedetidsinterval": "BookingOptionIntervalEndTime",
    "samtaleformType": "InterviewContactTypeIdentifier",
    "sagsbehandlerEksterntId": "CaseWorkerIdentifier",
}
# Header and path parameters -> the XSD simple type they must match.
PARAMETER_SIMPLE_TYPES = {
    "x-civilRegistrationIdentifier": "PersonCivilRegistrationIdentifierType",
    "moedetilbudId": "guid",
    "indkaldelseId": "guid",
}
# Transport-only header with no XML counterpart (idempotency key).
TRANSPORT_ONLY_PARAMETERS = {"x-requestId"}
# Query parameters that are a second name of another one (one XML element): STAR's EksterntId for
# sagsbehandlerEksterntId (docs/reference.md §8 Q6).
ALIAS_PARAMETERS = {"eksterntId": "sagsbehandlerEksterntId"}
# Simple types of docs/reference.md §2.1 that the REST contract does not use but the XSD keeps for completeness.
DOMAIN_ONLY_SIMPLE_TYPES = {"JobCenterCodeType", "CvCustomerIdentifierType", "EmailAddressIdentifierType"}
ERROR_TYPE = "ErrorType"  # the OpenAPI's Fejl schema has no x-xsd-type


# ================================================================================ OpenAPI side
class Api:
    def __init__(self, doc: dict):
        self.doc = doc
        self.schemas: dict = doc["components"]["schemas"]

    def deref(self, node: dict) -> dict:
        while isinstance(node, dict) and "$ref" in node:
            target = self.doc
            for part in node["$ref"].lstrip("#/").split("/"):
                target = target[part]
            node = target
        return node

    @staticmethod
    def ref_name(prop: dict) -> str | None:
        """Name of the component schema a property refers to ($ref or allOf with one $ref), else None."""
        if "$ref" in prop:
            return prop["$ref"].rsplit("/", 1)[-1]
        all_of = prop.get("allOf")
        if all_of and len(all_of) == 1 and "$ref" in all_of[0]:
            return all_of[0]["$ref"].rsplit("/", 1)[-1]
        return None

    def operations(self):
        for path, item in self.doc["paths"].items():
            for method, op in item.items():
                if method in {"get", "put", "post", "delete", "patch", "head", "options", "trace"}:
                    yield path, method, op

    def operation(self, operation_id: str) -> tuple[str, str, dict]:
        for path, method, op in self.operations():
            if op.get("operationId") == operation_id:
                return path, method, op
        raise KeyError(operation_id)

    def parameters(self, path: str, op: dict) -> list[dict]:
        params = [self.deref(p) for p in self.doc["paths"][path].get("parameters", [])]
        params += [self.deref(p) for p in op.get("parameters", [])]
        return params

    def xsd_schemas(self) -> list[str]:
        """Component schemas that must have an XSD complexType."""
        return [n for n, s in self.schemas.items() if "x-xsd-type" in s or n == "Fejl"]

    def root_schemas(self) -> dict[str, list[str]]:
        """Schemas used as request/response bodies -> where they are used."""
        roots: dict[str, list[str]] = {}
        for _path, _method, op in self.operations():
            body = self.deref(op.get("requestBody", {}))
            for content in body.get("content", {}).values():
                name = self.ref_name(content.get("schema", {}))
                if name:
                    roots.setdefault(name, []).append(f"{op['operationId']} request")
            for code, response in op.get("responses", {}).items():
                for content in self.deref(response).get("content", {}).values():
                    name = self.ref_name(content.get("schema", {}))
                    if name:
                        roots.setdefault(name, []).append(f"{op['operationId']} {code}")
        return roots

    def examples(self):
        """(id, schema name, example) for every JSON example of a request or response body."""

        def from_content(ident, content):
            for media, media_obj in content.items():
                if "json" not in media:
                    continue
                name = self.ref_name(media_obj.get("schema", {}))
                values = []
                if "example" in media_obj:
                    values.append(("", media_obj["example"]))
                for key, ex in (media_obj.get("examples") or {}).items():
                    values.append((f"-{key}", self.deref(ex).get("value")))
                for suffix, value in values:
                    if name and value is not None:
                        yield f"{ident}{suffix}", name, value

        for _path, _method, op in self.operations():
            body = op.get("requestBody", {})
            if "$ref" not in body:
                yield from from_content(f"{op['operationId']}-request", body.get("content", {}))
            for code, response in op.get("responses", {}).items():
                if "$ref" in response:
                    continue
                yield from from_content(f"{op['operationId']}-{code}", response.get("content", {}))
        for name, response in self.doc["components"].get("responses", {}).items():
            yield from from_content(f"responses.{name}", response.get("content", {}))


def openapi_pattern_to_xsd(pattern: str) -> str | None:
    """Strip the ^ and $ anchors and one group spanning the whole pattern; None if not anchored."""
    if not (pattern.startswith("^") and pattern.endswith("$") and not pattern.endswith("\\$")):
        return None
    body = pattern[1:-1]
    if body.startswith("("):
        depth, i, in_class = 0, 0, False
        while i < len(body):
            c = body[i]
            if c == "\\":
                i += 2
                continue
            if in_class:
                in_class = c != "]"
            elif c == "[":
                in_class = True
            elif c == "(":
                depth += 1
            elif c == ")":
                depth -= 1
                if depth == 0:
                    if i == len(body) - 1:
                        body = body[1:-1]
                    break
            i += 1
    return body


@dataclasses.dataclass
class Facets:
    builtin: str | None = None
    patterns: list = dataclasses.field(default_factory=list)  # one tuple per derivation step (ORed inside)
    min_length: int | None = None
    max_length: int | None = None
    lower: Any = None
    upper: Any = None
    enumeration: list | None = None
    problems: list = dataclasses.field(default_factory=list)

    def normalized(self) -> dict:
        return {
            "type": self.builtin,
            "pattern": self.patterns,
            "minLength": self.min_length or None,  # minLength 0 == no minLength
            "maxLength": self.max_length,
            "minimum": self.lower,
            "maximum": self.upper,
            "enum": sorted(self.enumeration) if self.enumeration is not None else None,
        }


def openapi_facets(schema: dict) -> Facets:
    f = Facets()
    key = (schema.get("type"), schema.get("format"))
    if schema.get("type") == "string" and key not in OPENAPI_TO_XS:
        key = ("string", None)  # other string formats (uuid, email, ...) are plain strings plus facets
    f.builtin = OPENAPI_TO_XS.get(key)
    if f.builtin is None:
        f.problems.append(f"OpenAPI type {key} has no XSD mapping")
        return f
    if "pattern" in schema:
        xsd_pattern = openapi_pattern_to_xsd(schema["pattern"])
        if xsd_pattern is None:
            f.problems.append(f"OpenAPI pattern {schema['pattern']!r} is not anchored with ^...$")
        else:
            f.patterns = [(xsd_pattern,)]
    f.min_length = schema.get("minLength")
    f.max_length = schema.get("maxLength")
    lo, hi = INT_BOUNDS.get(f.builtin, (None, None))
    if "minimum" in schema:
        lo = schema["minimum"] + (1 if schema.get("exclusiveMinimum") is True else 0)
    if "maximum" in schema:
        hi = schema["maximum"] - (1 if schema.get("exclusiveMaximum") is True else 0)
    f.lower, f.upper = lo, hi
    if "enum" in schema:
        f.enumeration = [_lexical(v) for v in schema["enum"]]
    return f


def _lexical(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return str(value)


# ================================================================================ XSD side
class Xsd:
    def __init__(self, tree):
        self.tree = tree
        self.root = tree.getroot()
        self.tns = self.root.get("targetNamespace")
        self.simple_types, self.complex_types, self.elements = {}, {}, {}
        for child in self.root:
            if not isinstance(child.tag, str):
                continue
            name = child.get("name")
            if child.tag == f"{{{XS}}}simpleType":
                self.simple_types[name] = child
            elif child.tag == f"{{{XS}}}complexType":
                self.complex_types[name] = child
            elif child.tag == f"{{{XS}}}element":
                self.elements[name] = child

    @staticmethod
    def qname(node, attr: str = "type") -> tuple[str | None, str] | None:
        value = node.get(attr)
        if value is None:
            return None
        prefix, _, local = value.rpartition(":")
        return node.nsmap.get(prefix or None), local

    @staticmethod
    def documentation(node) -> str:
        return " ".join(
            "".join(d.itertext()) for d in node.findall(f"{{{XS}}}annotation/{{{XS}}}documentation")
        )

    def content(self, type_name: str, _seen=()) -> tuple[list, list[str]]:
        """Effective element particles of a complexType (extension resolved) and structural problems."""
        problems: list[str] = []
        node = self.complex_types.get(type_name)
        if node is None:
            return [], [f"complexType {type_name} does not exist in the XSD"]
        if type_name in _seen:
            return [], [f"complexType {type_name} derives from itself"]
        elements: list = []
        body = node
        complex_content = node.find(f"{{{XS}}}complexContent")
        if complex_content is not None:
            ext = complex_content.find(f"{{{XS}}}extension")
            if ext is None:
                return [], [f"complexType {type_name}: only complexContent/extension is supported"]
            base = self.qname(ext, "base")
            if base[0] != self.tns:
                return [], [f"complexType {type_name}: extension of a foreign type {base}"]
            elements, problems = self.content(base[1], (*_seen, type_name))
            body = ext
        if node.find(f"{{{XS}}}simpleContent") is not None:
            problems.append(f"complexType {type_name} has simpleContent (OpenAPI has an object)")
        for child in body:
            if not isinstance(child.tag, str):
                continue
            local = etree.QName(child).localname
            if local == "sequence":
                for particle in child:
                    if not isinstance(particle.tag, str) or etree.QName(particle).localname == "annotation":
                        continue
                    if etree.QName(particle).localname == "element" and particle.get("ref") is None:
                        elements.append(particle)
                    else:
                        problems.append(
                            f"complexType {type_name}: unsupported particle "
                            f"<xs:{etree.QName(particle).localname}> (only local xs:element in xs:sequence)"
                        )
            elif local in {"attribute", "attributeGroup", "anyAttribute"}:
                problems.append(
                    f"complexType {type_name} has xs:{local} {child.get('name') or child.get('ref')!r}, "
                    "which the OpenAPI does not have"
                )
            elif local in {"choice", "all", "group", "any"}:
                problems.append(f"complexType {type_name}: unsupported <xs:{local}>")
            elif local not in {"annotation", "complexContent", "simpleContent"}:
                problems.append(f"complexType {type_name}: unexpected <xs:{local}>")
        return elements, problems

    def simple_facets(self, source) -> Facets:
        """Facets of an element's simple type (named or inline) with the whole base chain resolved.

        `source` is an xs:element node, an xs:simpleType node, or a (namespace, name) QName."""
        f = Facets()
        self._collect(source, f, depth=0)
        return f

    def _collect(self, source, f: Facets, depth: int):
        if depth > 20:
            f.problems.append("simple type derivation too deep (cycle?)")
            return
        if isinstance(source, tuple):
            ns, local = source
            if ns == XS:
                if local not in XS_BUILTIN_NAMES:
                    f.problems.append(f"unsupported built-in type xs:{local}")
                f.builtin = local
                f.lower, f.upper = INT_BOUNDS.get(local, (None, None))
                return
            if ns != self.tns or local not in self.simple_types:
                f.problems.append(f"simple type {{{ns}}}{local} does not exist in the XSD")
                return
            node = self.simple_types[local]
        elif etree.QName(source).localname == "element":
            declared = self.qname(source)
            if declared is not None:
                self._collect(declared, f, depth + 1)
                return
            node = source.find(f"{{{XS}}}simpleType")
            if node is None:
                f.problems.append("element has neither a type attribute nor an inline simple type")
                return
        else:
            node = source
        restriction = node.find(f"{{{XS}}}restriction")
        if restriction is None:
            f.problems.append("only xs:restriction simple types are supported (no list/union)")
            return
        base = self.qname(restriction, "base")
        if base is not None:
            self._collect(base, f, depth + 1)
        else:
            inline = restriction.find(f"{{{XS}}}simpleType")
            if inline is None:
                f.problems.append("xs:restriction without a base")
                return
            self._collect(inline, f, depth + 1)
        step_patterns, step_enum = [], []
        is_int = f.builtin in INT_BOUNDS
        for facet in restriction:
            if not isinstance(facet.tag, str):
                continue
            kind, value = etree.QName(facet).localname, facet.get("value")
            if kind == "pattern":
                step_patterns.append(value)
            elif kind == "enumeration":
                step_enum.append(value)
            elif kind in {"minLength", "length"}:
                f.min_length = max(int(value), f.min_length or 0)
                if kind == "length":
                    f.max_length = int(value) if f.max_length is None else min(int(value), f.max_length)
            elif kind == "maxLength":
                f.max_length = int(value) if f.max_length is None else min(int(value), f.max_length)
            elif kind in {"minInclusive", "minExclusive", "maxInclusive", "maxExclusive"}:
                number = int(value) if is_int else Decimal(value)
                if kind == "minExclusive":
                    number = number + 1 if is_int else number
                if kind == "maxExclusive":
                    number = number - 1 if is_int else number
                if kind.startswith("min"):
                    f.lower = number if f.lower is None else max(f.lower, number)
                else:
                    f.upper = number if f.upper is None else min(f.upper, number)
            elif kind == "annotation":
                continue
            else:
                f.problems.append(f"XSD facet xs:{kind} has no OpenAPI counterpart")
        if step_patterns:
            f.patterns.append(tuple(step_patterns))
        if step_enum:
            f.enumeration = step_enum if f.enumeration is None else [v for v in f.enumeration if v in step_enum]


# ================================================================================ comparison
def _declared(node) -> str:
    q = Xsd.qname(node)
    if q is None:
        return "(anonymous type)"
    return f"xs:{q[1]}" if q[0] == XS else (f"tns:{q[1]}" if q[0] == TNS else f"{{{q[0]}}}{q[1]}")


def compare_value(api: Api, xsd: Xsd, where: str, schema: dict, el) -> list[str]:
    """Compare one OpenAPI (non-array) value schema with the type of an XSD element."""
    errors: list[str] = []
    ref = api.ref_name(schema)
    if ref is not None:
        target = api.schemas.get(ref)
        if target is None:
            return [f"{where}: OpenAPI $ref to unknown schema {ref}"]
        expected = target.get("x-xsd-type") or (ERROR_TYPE if ref == "Fejl" else None)
        if expected is None:
            return [f"{where}: referenced schema {ref} has no x-xsd-type"]
        if Xsd.qname(el) != (TNS, expected):
            errors.append(f"{where}: object -> expected type tns:{expected} (schema {ref}), XSD has {_declared(el)}")
        elif expected not in xsd.complex_types:
            errors.append(f"{where}: complexType {expected} does not exist in the XSD")
        return errors
    if schema.get("type") in {"object", "array"} or "properties" in schema:
        return [f"{where}: inline OpenAPI {schema.get('type')} is not supported by the XML mapping"]
    q = Xsd.qname(el)
    if q is not None and q[0] == TNS and q[1] in xsd.complex_types:
        return [f"{where}: OpenAPI has a {schema.get('type')} but the XSD element has complexType {q[1]}"]
    expected_name = schema.get("x-xsd-type")
    if expected_name is not None:
        want = (XS, expected_name) if expected_name in XS_BUILTIN_NAMES else (TNS, expected_name)
        if q != want:
            errors.append(f"{where}: x-xsd-type {expected_name} but the XSD element's type is {_declared(el)}")
    want_f = openapi_facets(schema)
    have_f = xsd.simple_facets(el)
    errors += [f"{where}: {p}" for p in want_f.problems + have_f.problems]
    wanted, found = want_f.normalized(), have_f.normalized()
    for key in wanted:
        if wanted[key] != found[key]:
            errors.append(f"{where}: {key} differs: OpenAPI {wanted[key]!r} vs XSD {found[key]!r}")
    return errors


def _occurs(el) -> tuple[int, str]:
    return int(el.get("minOccurs", "1")), el.get("maxOccurs", "1")


def compare_property(
    api: Api, xsd: Xsd, sname: str, pname: str, prop: dict, required: bool, el, xml_name: str | None = None
) -> list[str]:
    xml_name = xml_name or (prop.get("xml") or {}).get("name")
    where = f"{sname}.{pname} ({xml_name})"
    if _repeated(prop):
        return compare_repeated(api, xsd, where, prop, required, el)
    errors: list[str] = []
    min_occurs, max_occurs = _occurs(el)
    if required and min_occurs < 1:
        errors.append(f"{where}: required in OpenAPI but minOccurs={min_occurs} in the XSD")
    if not required and min_occurs != 0:
        errors.append(f"{where}: optional in OpenAPI but minOccurs={min_occurs} in the XSD")
    if max_occurs != "1":
        errors.append(f"{where}: maxOccurs={max_occurs} in the XSD (repetition belongs in the collection type)")
    if prop.get("type") != "array":
        return errors + compare_value(api, xsd, where, prop, el)

    items = prop.get("items") or {}
    collection = COLLECTION_TYPE_OVERRIDES.get((sname, pname)) or prop.get("x-xsd-type")
    if collection is None:
        collection = (xml_name or pname[:1].upper() + pname[1:]) + "CollectionType"
    if not (prop.get("xml") or {}).get("wrapped"):
        errors.append(f"{where}: array is not xml.wrapped, but the XSD convention is a wrapper element")
    if Xsd.qname(el) != (TNS, collection):
        errors.append(f"{where}: array -> expected collection type tns:{collection}, XSD has {_declared(el)}")
        return errors
    children, problems = xsd.content(collection)
    errors += [f"{where}: {p}" for p in problems]
    item_name = (items.get("xml") or {}).get("name")
    if item_name is None:
        errors.append(f"{where}: items have no xml.name")
        return errors
    names = [c.get("name") for c in children]
    if names != [item_name]:
        errors.append(f"{where}: collection {collection} should contain exactly <{item_name}>, XSD has {names}")
        return errors
    child = children[0]
    item_where = f"{where}/{item_name}"
    child_min, child_max = _occurs(child)
    want_min = prop.get("minItems", 0)
    want_max = str(prop["maxItems"]) if "maxItems" in prop else "unbounded"
    if child_min != want_min:
        errors.append(f"{item_where}: minItems {want_min} vs minOccurs {child_min} in {collection}")
    if child_max != want_max:
        errors.append(f"{item_where}: maxItems {want_max} vs maxOccurs {child_max} in {collection}")
    return errors + compare_value(api, xsd, item_where, items, child)


def _repeated(prop: dict) -> bool:
    """An array without a wrapper element: the element itself repeats (`xml.wrapped: false`)."""
    return prop.get("type") == "array" and (prop.get("xml") or {}).get("wrapped") is False


def compare_repeated(api: Api, xsd: Xsd, where: str, prop: dict, required: bool, el) -> list[str]:
    errors: list[str] = []
    items = prop.get("items") or {}
    if (items.get("xml") or {}).get("name") != el.get("name"):
        errors.append(f"{where}: items must carry xml.name {el.get('name')} (the repeated element)")
    min_occurs, max_occurs = _occurs(el)
    want_min = prop.get("minItems", 0)
    want_max = str(prop["maxItems"]) if "maxItems" in prop else "unbounded"
    if min_occurs != want_min:
        errors.append(f"{where}: minItems {want_min} vs minOccurs {min_occurs}")
    if max_occurs != want_max:
        errors.append(f"{where}: maxItems {want_max} vs maxOccurs {max_occurs}")
    if required != (want_min > 0):
        errors.append(f"{where}: a repeated element is required exactly when minItems > 0")
    return errors + compare_value(api, xsd, where, items, el)


def complex_type_for(api: Api, xsd: Xsd, sname: str) -> str | None:
    schema = api.schemas[sname]
    if "x-xsd-type" in schema:
        return schema["x-xsd-type"]
    element = xsd.elements.get((schema.get("xml") or {}).get("name"))
    if element is not None and Xsd.qname(element) and Xsd.qname(element)[0] == TNS:
        return Xsd.qname(element)[1]
    return None


def compare_sequence(api, xsd, where, type_name, expected: list[tuple[str, str, dict, bool]]) -> list[str]:
    """expected: (openapi name, xml name, schema, required) in OpenAPI order."""
    elements, problems = xsd.content(type_name)
    errors = [f"{where}: {p}" for p in problems]
    if type_name not in xsd.complex_types:
        return errors
    xsd_names = [e.get("name") for e in elements]
    for dup in sorted({n for n in xsd_names if xsd_names.count(n) > 1}):
        errors.append(f"{where}: element {dup} occurs more than once in {type_name}")
    want_names = [x for _, x, _, _ in expected]
    for dup in sorted({n for n in want_names if want_names.count(n) > 1}):
        errors.append(f"{where}: xml.name {dup} is used by more than one OpenAPI property")
    by_name = {e.get("name"): e for e in elements}
    for pname, xml_name, schema, required in expected:
        if xml_name is None:
            errors.append(f"{where}.{pname}: property has no xml.name")
        elif xml_name not in by_name:
            errors.append(f"{where}.{pname}: element {xml_name} is missing from {type_name}")
        else:
            errors += compare_property(api, xsd, where, pname, schema, required, by_name[xml_name], xml_name)
    for extra in [n for n in xsd_names if n not in want_names]:
        errors.append(f"{where}: XSD element {extra} in {type_name} has no OpenAPI property")
    common_want = [n for n in want_names if n in by_name]
    common_have = [n for n in xsd_names if n in want_names]
    if common_want != common_have:
        errors.append(f"{where}: element order differs: OpenAPI {common_want} vs XSD {common_have}")
    return errors


def compare_schema(api: Api, xsd: Xsd, sname: str) -> list[str]:
    schema = api.schemas[sname]
    type_name = complex_type_for(api, xsd, sname)
    if type_name is None:
        return [f"{sname}: no complexType (no x-xsd-type and no global element for xml.name)"]
    node = xsd.complex_types.get(type_name)
    if node is None:
        return [f"{sname}: complexType {type_name} does not exist in the XSD"]
    errors = []
    if schema.get("type") != "object":
        errors.append(f"{sname}: OpenAPI schema is not an object")
    if sname not in Xsd.documentation(node):
        errors.append(f"{sname}: complexType {type_name} lacks xs:documentation with the Danish name {sname}")
    required = set(schema.get("required", []))
    expected = [
        (pname, (prop.get("xml") or {}).get("name"), prop, pname in required)
        for pname, prop in (schema.get("properties") or {}).items()
    ]
    return errors + compare_sequence(api, xsd, sname, type_name, expected)


def parameter_xml_name(param: dict) -> str | None:
    return (
        (param.get("xml") or {}).get("name")
        or ((param.get("schema") or {}).get("xml") or {}).get("name")
        or PARAMETER_XML_NAMES.get(param["name"])
    )


def compare_request_type(api: Api, xsd: Xsd, operation_id: str) -> list[str]:
    path, _method, op = api.operation(operation_id)
    element_name = GET_REQUEST_ELEMENTS[operation_id]
    element = xsd.elements.get(element_name)
    if element is None:
        return [f"{operation_id}: global element {element_name} is missing"]
    q = Xsd.qname(element)
    if q is None or q[0] != TNS:
        return [f"{operation_id}: {element_name} has no named complexType"]
    errors = []
    if q[1] in xsd.complex_types and not Xsd.documentation(xsd.complex_types[q[1]]):
        errors.append(f"{operation_id}: complexType {q[1]} has no xs:documentation")
    expected = [
        (p["name"], parameter_xml_name(p), p.get("schema") or {}, bool(p.get("required")))
        for p in api.parameters(path, op)
        if p["in"] in ("path", "query") and p["name"] not in ALIAS_PARAMETERS
    ]
    return errors + compare_sequence(api, xsd, f"{operation_id}[{element_name}]", q[1], expected)


# ================================================================================ fixtures
def _load_api() -> Api:
    with OPENAPI_PATH.open(encoding="utf-8") as fh:
        return Api(yaml.safe_load(fh))


API = _load_api()  # needed at collection time for the parametrization


@pytest.fixture(scope="module")
def api() -> Api:
    return API


@pytest.fixture(scope="module")
def xsd_tree():
    return etree.parse(str(XSD_PATH))


@pytest.fixture(scope="module")
def xsd(xsd_tree) -> Xsd:
    return Xsd(xsd_tree)


@pytest.fixture(scope="module")
def xml_schema(xsd_tree) -> etree.XMLSchema:
    return etree.XMLSchema(xsd_tree)


def _report(errors: list[str]) -> str:
    return f"{len(errors)} mismatch(es):\n  " + "\n  ".join(errors)


# ================================================================================ tests
def test_xsd_loads_as_a_schema_with_the_expected_namespace(xsd_tree, xml_schema):
    root = xsd_tree.getroot()
    assert root.get("targetNamespace") == TNS
    assert root.get("elementFormDefault") == "qualified"
    assert xml_schema is not None


@pytest.mark.parametrize("schema_name", API.xsd_schemas())
def test_component_schema_agrees_with_complex_type(api, xsd, schema_name):
    errors = compare_schema(api, xsd, schema_name)
    assert not errors, _report(errors)


@pytest.mark.parametrize("schema_name", sorted(API.root_schemas()))
def test_request_and_response_roots_have_global_elements(api, xsd, schema_name):
    schema = api.schemas[schema_name]
    name = (schema.get("xml") or {}).get("name")
    assert name, f"{schema_name} (used by {api.root_schemas()[schema_name]}) has no xml.name"
    element = xsd.elements.get(name)
    assert element is not None, f"global element {name} for {schema_name} is missing"
    expected_type = complex_type_for(api, xsd, schema_name)
    assert expected_type in xsd.complex_types, f"{name}: complexType {expected_type} missing"
    assert Xsd.qname(element) == (TNS, expected_type), f"{name} has type {_declared(element)}, expected {expected_type}"


def test_every_global_element_is_a_request_or_response_root(api, xsd):
    allowed = {api.schemas[s]["xml"]["name"] for s in api.root_schemas()} | set(GET_REQUEST_ELEMENTS.values())
    extra = sorted(set(xsd.elements) - allowed)
    assert not extra, f"global elements without an OpenAPI root or GET request: {extra}"


@pytest.mark.parametrize("operation_id", sorted(GET_REQUEST_ELEMENTS))
def test_get_search_request_type_agrees_with_parameters(api, xsd, operation_id):
    errors = compare_request_type(api, xsd, operation_id)
    assert not errors, _report(errors)


def test_every_get_search_has_a_request_type(api):
    with_query = {
        op["operationId"]
        for path, method, op in api.operations()
        if method == "get" and any(p["in"] == "query" for p in api.parameters(path, op))
    }
    assert with_query == set(GET_REQUEST_ELEMENTS)


def _header_and_path_parameters(api: Api) -> dict[str, list[tuple[str, dict]]]:
    found: dict[str, list[tuple[str, dict]]] = {}
    for path, _method, op in api.operations():
        for p in api.parameters(path, op):
            if p["in"] in ("header", "path"):
                found.setdefault(p["name"], []).append((op["operationId"], p))
    return found


def test_header_and_path_parameters_are_all_mapped(api):
    names = set(_header_and_path_parameters(api))
    unmapped = names - set(PARAMETER_SIMPLE_TYPES) - TRANSPORT_ONLY_PARAMETERS
    assert not unmapped, f"header/path parameters without an XSD simple type mapping: {sorted(unmapped)}"


@pytest.mark.parametrize("parameter", sorted(PARAMETER_SIMPLE_TYPES))
def test_header_and_path_parameter_matches_simple_type(api, xsd, parameter):
    type_name = PARAMETER_SIMPLE_TYPES[parameter]
    uses = _header_and_path_parameters(api).get(parameter, [])
    assert uses, f"parameter {parameter} is not used by any operation"
    errors = []
    if type_name not in xsd.simple_types:
        errors.append(f"simpleType {type_name} does not exist")
    have = xsd.simple_facets((TNS, type_name))
    for operation_id, p in uses:
        where = f"{operation_id} {p['in']} {parameter}"
        schema = p.get("schema") or {}
        if schema.get("x-xsd-type") not in (None, type_name):
            errors.append(f"{where}: x-xsd-type {schema['x-xsd-type']} != {type_name}")
        want = openapi_facets(schema)
        errors += [f"{where}: {x}" for x in want.problems + have.problems]
        w, h = want.normalized(), have.normalized()
        errors += [f"{where}: {k}: OpenAPI {w[k]!r} vs {type_name} {h[k]!r}" for k in w if w[k] != h[k]]
    assert not errors, _report(errors)


def test_shared_collection_types_are_consistent_except_the_known_conflict(api):
    """Arrays sharing an x-xsd-type must share items, item name and bounds (one XSD type)."""
    signatures: dict[str, dict] = {}
    for sname, schema in api.schemas.items():
        for pname, prop in (schema.get("properties") or {}).items():
            if prop.get("type") != "array" or _repeated(prop):
                continue
            items = prop.get("items") or {}
            signature = json.dumps(
                [
                    api.ref_name(items) or {k: v for k, v in items.items() if k != "description"},
                    prop.get("minItems", 0),
                    prop.get("maxItems"),
                ],
                sort_keys=True,
            )
            signatures.setdefault(prop.get("x-xsd-type"), {}).setdefault(signature, []).append(f"{sname}.{pname}")
    conflicts = {name: uses for name, uses in signatures.items() if len(uses) > 1}
    assert set(conflicts) == KNOWN_SHARED_COLLECTION_CONFLICTS, (
        "collection types used with different content models: "
        f"{json.dumps(conflicts, indent=1)}; update COLLECTION_TYPE_OVERRIDES / KNOWN_SHARED_COLLECTION_CONFLICTS"
    )
    for sname, pname in COLLECTION_TYPE_OVERRIDES:
        assert api.schemas[sname]["properties"][pname].get("x-xsd-type") in KNOWN_SHARED_COLLECTION_CONFLICTS


def test_every_xsd_type_is_accounted_for(api, xsd):
    complex_expected = {ERROR_TYPE}
    simple_expected = set(DOMAIN_ONLY_SIMPLE_TYPES)
    for sname in api.xsd_schemas():
        schema = api.schemas[sname]
        complex_expected.add(schema.get("x-xsd-type", ERROR_TYPE))
        for pname, prop in (schema.get("properties") or {}).items():
            for node in (prop, prop.get("items") or {}):
                if node.get("type") != "array" and node.get("x-xsd-type"):
                    simple_expected.add(node["x-xsd-type"])
            if prop.get("type") == "array" and not _repeated(prop):
                complex_expected.add(COLLECTION_TYPE_OVERRIDES.get((sname, pname)) or prop.get("x-xsd-type"))
    complex_expected |= {Xsd.qname(xsd.elements[e])[1] for e in GET_REQUEST_ELEMENTS.values() if e in xsd.elements}
    for p in api.doc["components"].get("parameters", {}).values():
        if (p.get("schema") or {}).get("x-xsd-type"):
            simple_expected.add(p["schema"]["x-xsd-type"])
    simple_expected |= set(PARAMETER_SIMPLE_TYPES.values())
    # base types of the named simple types are accounted for as well
    for name in list(simple_expected):
        node = xsd.simple_types.get(name)
        while node is not None and node.find(f"{{{XS}}}restriction") is not None:
            base = Xsd.qname(node.find(f"{{{XS}}}restriction"), "base")
            if not base or base[0] != TNS:
                break
            simple_expected.add(base[1])
            node = xsd.simple_types.get(base[1])
    simple_expected -= XS_BUILTIN_NAMES
    errors = [f"complexType {n} has no OpenAPI counterpart" for n in sorted(set(xsd.complex_types) - complex_expected)]
    errors += [f"simpleType {n} has no OpenAPI counterpart" for n in sorted(set(xsd.simple_types) - simple_expected)]
    errors += [f"complexType {n} is missing" for n in sorted(complex_expected - set(xsd.complex_types))]
    errors += [f"simpleType {n} is missing" for n in sorted(simple_expected - set(xsd.simple_types))]
    errors += [f"complexType {n} has no xs:documentation" for n, node in xsd.complex_types.items() if not Xsd.documentation(node)]
    assert not errors, _report(errors)


def test_code_lists_are_flat_ints_not_wrappers(xsd):
    errors = []
    for name in sorted(n for n in xsd.simple_types if n.endswith("TypeIdentifierType")):
        f = xsd.simple_facets((TNS, name))
        if f.builtin != "int" or f.lower != 0:
            errors.append(f"{name}: expected xs:int with minInclusive 0, got xs:{f.builtin} >= {f.lower}")
    wrappers = xsd.root.findall(f".//{{{XS}}}element[@name='CodeListItemIdentifier']")
    if wrappers:
        errors.append("the XSD uses the CodeListItemIdentifier wrapper")
    assert not errors, _report(errors)


# ---------------------------------------------------------------- examples as XML
def json_to_xml(api: Api, schema_name: str, value, element_name: str, errors: list[str], where: str):
    schema = api.schemas[schema_name]
    element = etree.Element(f"{{{TNS}}}{element_name}")
    props = schema.get("properties") or {}
    if not isinstance(value, dict):
        errors.append(f"{where}: expected an object")
        return element
    for unknown in sorted(set(value) - set(props)):
        errors.append(f"{where}: example property {unknown} is not in schema {schema_name}")
    for pname, prop in props.items():
        if pname not in value:
            continue
        xml_name = prop["xml"]["name"]
        ref = api.ref_name(prop)
        if prop.get("type") == "array":
            wrapper = element if _repeated(prop) else etree.SubElement(element, f"{{{TNS}}}{xml_name}")
            items = prop["items"]
            item_ref = api.ref_name(items)
            for i, item in enumerate(value[pname]):
                if item_ref:
                    wrapper.append(
                        json_to_xml(api, item_ref, item, items["xml"]["name"], errors, f"{where}.{pname}[{i}]")
                    )
                else:
                    etree.SubElement(wrapper, f"{{{TNS}}}{items['xml']['name']}").text = _lexical(item)
        elif ref:
            element.append(json_to_xml(api, ref, value[pname], xml_name, errors, f"{where}.{pname}"))
        else:
            etree.SubElement(element, f"{{{TNS}}}{xml_name}").text = _lexical(value[pname])
    return element


def _query_examples(api: Api):
    for operation_id, element_name in sorted(GET_REQUEST_ELEMENTS.items()):
        path, _method, op = api.operation(operation_id)
        element = etree.Element(f"{{{TNS}}}{element_name}")
        for p in api.parameters(path, op):
            if p["in"] in ("path", "query") and "example" in p and p["name"] not in ALIAS_PARAMETERS:
                etree.SubElement(element, f"{{{TNS}}}{parameter_xml_name(p)}").text = _lexical(p["example"])
        yield f"{operation_id}-parameters", element


def _all_example_documents(api: Api):
    for ident, schema_name, value in api.examples():
        errors: list[str] = []
        root_name = api.schemas[schema_name]["xml"]["name"]
        yield ident, json_to_xml(api, schema_name, value, root_name, errors, ident), errors
    for ident, element in _query_examples(api):
        yield ident, element, []


EXAMPLES = list(_all_example_documents(API))


@pytest.mark.parametrize("example", EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_openapi_example_is_valid_xml_per_xsd(xml_schema, example):
    ident, element, errors = example
    if not xml_schema.validate(etree.ElementTree(element)):
        errors = errors + [f"{e.line}: {e.message}" for e in xml_schema.error_log]
    assert not errors, f"{ident}:\n" + _report(errors) + "\n" + etree.tostring(element, pretty_print=True).decode()


def test_xsd_compiles_with_xsdata_and_parses_the_examples(tmp_path):
    bindir = pathlib.Path(sys.executable).parent
    xsdata = bindir / "xsdata"
    if not xsdata.exists():
        found = shutil.which("xsdata")
        if found is None:
            pytest.skip("xsdata is not installed")
        xsdata = pathlib.Path(found)
    env = dict(os.environ, PATH=f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}")  # xsdata runs ruff
    result = subprocess.run(
        [str(xsdata), "generate", str(XSD_PATH), "--package", "generated.xml", "--structure-style", "single-package"],
        cwd=tmp_path, env=env, check=False, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    cases = tmp_path / "cases"
    cases.mkdir()
    for i, (_ident, element, _errors) in enumerate(EXAMPLES):
        (cases / f"{i:03d}.xml").write_bytes(etree.tostring(element, xml_declaration=True, encoding="UTF-8"))
    script = """
import pathlib, sys
from lxml import etree
from xsdata.formats.dataclass.parsers import XmlParser
from xsdata.formats.dataclass.parsers.config import ParserConfig
from xsdata.formats.dataclass.serializers import XmlSerializer
import generated.xml as g

def shape(e):
    return (etree.QName(e).localname, (e.text or "").strip(), [shape(c) for c in e])

parser = XmlParser(config=ParserConfig(fail_on_converter_warnings=True))
bad = []
for path in sorted(pathlib.Path("cases").glob("*.xml")):
    original = etree.parse(str(path)).getroot()
    clazz = getattr(g, etree.QName(original).localname)
    obj = parser.from_path(path, clazz)
    again = etree.fromstring(XmlSerializer().render(obj).encode())
    if shape(original) != shape(again):
        bad.append(path.name)
print("checked", len(list(pathlib.Path("cases").glob("*.xml"))))
sys.exit("round trip differs: " + ", ".join(bad) if bad else 0)
"""
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, env=env, check=False, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr


# ---------------------------------------------------------------- the checker catches mismatches
def _set(path: list, value):
    def mutate(doc):
        node = doc["components"]["schemas"]
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
    return mutate


def _drop_required(schema: str, prop: str):
    def mutate(doc):
        doc["components"]["schemas"][schema]["required"].remove(prop)
    return mutate


def _add_property(schema: str):
    def mutate(doc):
        doc["components"]["schemas"][schema]["properties"]["nytFelt"] = {"type": "string", "xml": {"name": "NewField"}}
    return mutate


def _remove_property(schema: str, prop: str):
    def mutate(doc):
        del doc["components"]["schemas"][schema]["properties"][prop]
        required = doc["components"]["schemas"][schema].get("required", [])
        if prop in required:
            required.remove(prop)
    return mutate


def _swap_first_properties(schema: str):
    def mutate(doc):
        props = doc["components"]["schemas"][schema]["properties"]
        items = list(props.items())
        items[0], items[1] = items[1], items[0]
        props.clear()
        props.update(items)
    return mutate


OPENAPI_MUTATIONS = [
    ("maxLength", "Sagsbehandler", _set(["Sagsbehandler", "properties", "fornavn", "maxLength"], 51), "maxLength"),
    ("minLength", "Adresse", _set(["Adresse", "properties", "vejnavn", "minLength"], 2), "minLength"),
    ("pattern", "Adresse", _set(["Adresse", "properties", "postnummer", "pattern"], "^([0-9]{5})$"), "pattern"),
    ("maximum", "Indkalder", _set(["Indkalder", "properties", "organisationskode", "maximum"], 100000000), "maximum"),
    ("minimum", "Moedetilbud", _set(["Moedetilbud", "properties", "varighedMinutter", "minimum"], 0), "minimum"),
    ("kind", "Frist", _set(["Frist", "properties", "fristdato", "format"], "date-time"), "type differs"),
    ("required", "Sagsbehandler", _drop_required("Sagsbehandler", "efternavn"), "optional in OpenAPI"),
    ("minItems", "Moedetilbud", _set(["Moedetilbud", "properties", "samtaleformSamling", "minItems"], 2), "minItems"),
    ("maxItems", "TilmeldingOgBooking", _set(["TilmeldingOgBooking", "properties", "stillingsbetegnelser", "maxItems"], 100), "maxItems"),
    ("ref", "BookbarSagsbehandler", _set(["BookbarSagsbehandler", "properties", "sagsbehandler", "allOf"], [{"$ref": "#/components/schemas/Moededeltager"}]), "expected type tns:BookingParticipantTypeType"),
    ("xml-name", "Kontaktdetaljer", _set(["Kontaktdetaljer", "properties", "borgerRingerOp", "xml"], {"name": "CitizenCalls"}), "CitizenCalls is missing"),
    ("x-xsd-type", "Sagsbehandler", _set(["Sagsbehandler", "properties", "efternavn", "x-xsd-type"], "PersonMiddleNameType"), "x-xsd-type PersonMiddleNameType"),
    ("new-property", "Servicekvittering", _add_property("Servicekvittering"), "NewField is missing"),
    ("removed-property", "Servicekvittering", _remove_property("Servicekvittering", "registreringsId"), "MessageIdentifier in ServiceReceiptType has no OpenAPI property"),
    ("order", "Servicekvittering", _swap_first_properties("Servicekvittering"), "order differs"),
    ("repeated-maxItems", "BookbarSagsbehandlerFlere", _set(["BookbarSagsbehandlerFlere", "properties", "sagsbehandlere", "maxItems"], 1), "maxItems 1 vs maxOccurs unbounded"),
    ("repeated-minItems", "BookbarSagsbehandlerFlere", _set(["BookbarSagsbehandlerFlere", "properties", "sagsbehandlere", "minItems"], 1), "minItems 1 vs minOccurs 0"),
    ("repeated-wrapped", "BookbarSagsbehandlerFlere", _set(["BookbarSagsbehandlerFlere", "properties", "sagsbehandlere", "xml"], {"name": "Supervisor", "wrapped": True}), "expected collection type"),
    ("one-not-many", "BookbarSagsbehandler", _set(["BookbarSagsbehandler", "properties", "sagsbehandler"], {"type": "array", "xml": {"name": "Supervisor", "wrapped": False}, "items": {"allOf": [{"$ref": "#/components/schemas/Sagsbehandler"}], "xml": {"name": "Supervisor"}}}), "minItems 0 vs minOccurs 1"),
]


@pytest.mark.parametrize(
    "mutation", OPENAPI_MUTATIONS, ids=[f"{m[0]}-{m[1]}" for m in OPENAPI_MUTATIONS]
)
def test_checker_reports_a_planted_openapi_mismatch(api, xsd, mutation):
    _label, schema_name, mutate, expected = mutation
    assert compare_schema(api, xsd, schema_name) == [], "baseline must be clean"
    altered = copy.deepcopy(api.doc)
    mutate(altered)
    errors = compare_schema(Api(altered), xsd, schema_name)
    assert any(expected in e for e in errors), f"expected a report containing {expected!r}, got {errors}"


def _xsd_mutation(xpath: str, action):
    def mutate(tree):
        nodes = tree.getroot().xpath(xpath, namespaces={"xs": XS})
        assert nodes, xpath
        action(nodes[0])
    return mutate


XSD_MUTATIONS = [
    ("drop-maxLength", "Sagsbehandler",
     _xsd_mutation("xs:simpleType[@name='PersonGivenNameType']/xs:restriction/xs:maxLength", lambda n: n.getparent().remove(n)),
     "maxLength"),
    ("pattern", "Adresse",
     _xsd_mutation("xs:simpleType[@name='PostCodeIdentifierType']/xs:restriction/xs:pattern", lambda n: n.set("value", "[0-9]{3,4}")),
     "pattern"),
    ("base-restriction", "AdresseFuld",
     _xsd_mutation("xs:simpleType[@name='_CountryIdentificationCodeType']/xs:restriction/xs:pattern", lambda n: n.set("value", "[A-Z]{2}")),
     "pattern"),
    ("extra-element", "Sagsbehandler",
     _xsd_mutation("xs:complexType[@name='CaseWorkerStructureType']/xs:sequence",
                   lambda n: n.append(etree.fromstring(f'<xs:element xmlns:xs="{XS}" name="Extra" type="xs:string" minOccurs="0"/>'))),
     "Extra in CaseWorkerStructureType has no OpenAPI property"),
    ("extra-attribute", "Sagsbehandler",
     _xsd_mutation("xs:complexType[@name='CaseWorkerStructureType']",
                   lambda n: n.append(etree.fromstring(f'<xs:attribute xmlns:xs="{XS}" name="scheme" type="xs:string"/>'))),
     "xs:attribute 'scheme'"),
    ("minOccurs", "Sagsbehandler",
     _xsd_mutation("xs:complexType[@name='CaseWorkerStructureType']/xs:sequence/xs:element[@name='CaseWorkerSurname']", lambda n: n.set("minOccurs", "0")),
     "required in OpenAPI"),
    ("extension-base", "StraksbookingMoedetid",
     _xsd_mutation("xs:complexType[@name='BookingTimeslotType']/xs:sequence/xs:element[@name='TotalNoOfSeats']", lambda n: n.getparent().remove(n)),
     "TotalNoOfSeats is missing"),
    ("repeated-maxOccurs", "BookbarSagsbehandlerFlere",
     _xsd_mutation("xs:complexType[@name='CaseWorkerToBookManyType']/xs:sequence/xs:element[@name='Supervisor']", lambda n: n.set("maxOccurs", "1")),
     "maxItems unbounded vs maxOccurs 1"),
    ("collection-maxOccurs", "Moedetid",
     _xsd_mutation("xs:complexType[@name='CaseWorkerIDType']/xs:sequence/xs:element", lambda n: n.set("maxOccurs", "5")),
     "maxOccurs 5"),
]


@pytest.mark.parametrize("mutation", XSD_MUTATIONS, ids=[f"{m[0]}-{m[1]}" for m in XSD_MUTATIONS])
def test_checker_reports_a_planted_xsd_mismatch(api, xsd_tree, mutation):
    _label, schema_name, mutate, expected = mutation
    assert compare_schema(api, Xsd(xsd_tree), schema_name) == [], "baseline must be clean"
    altered = copy.deepcopy(xsd_tree)
    mutate(altered)
    errors = compare_schema(api, Xsd(altered), schema_name)
    assert any(expected in e for e in errors), f"expected a report containing {expected!r}, got {errors}"
