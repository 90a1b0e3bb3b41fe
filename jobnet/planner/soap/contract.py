"""SOAP 1.1 envelopes of ExternalBookingService: build, take apart, validate, (de)serialise.

Every message body is checked against specs/externalbooking.xsd with lxml before xsdata reads it:
xsdata alone does not check facets (patterns, lengths, ranges) nor required elements.
"""
from __future__ import annotations

import threading
from typing import Any, TypeVar

from lxml import etree
from xsdata.formats.dataclass.context import XmlContext
from xsdata.formats.dataclass.parsers import XmlParser
from xsdata.formats.dataclass.parsers.config import ParserConfig
from xsdata.formats.dataclass.serializers import XmlSerializer
from xsdata.formats.dataclass.serializers.config import SerializerConfig

from generated import externalbooking as g
from jobnet.errors import ContractBreach
from jobnet.specfiles import SPECS

XSD = SPECS / "externalbooking.xsd"
WSDL = SPECS / "externalbooking.wsdl"
PUBLISHED = {"externalbooking.xsd": XSD, "jobnet-booking.xsd": SPECS / "jobnet-booking.xsd"}

NS = "urn:dk:star:jobnet:externalbooking:3"
JB = "urn:dk:star:jobnet:selvbooking:10"
SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
CONTENT_TYPE = "text/xml; charset=utf-8"
PATH = "/planner/soap"  # where this service publishes its embedded planner

_ENVELOPE = f"{{{SOAP_ENV}}}Envelope"
_BODY = f"{{{SOAP_ENV}}}Body"
FAULT = f"{{{SOAP_ENV}}}Fault"

T = TypeVar("T")
_CONTEXT = XmlContext()
_SERIALIZER = XmlSerializer(config=SerializerConfig(xml_declaration=False), context=_CONTEXT)
_PARSER_CONFIG = ParserConfig(fail_on_converter_warnings=True)
_local = threading.local()  # lxml schemas keep their error log per instance: one per thread


def schema() -> etree.XMLSchema:
    found: etree.XMLSchema | None = getattr(_local, "schema", None)
    if found is None:
        found = _local.schema = etree.XMLSchema(etree.parse(str(XSD), _safe_parser()))
    return found


def _safe_parser() -> etree.XMLParser:
    # no DTDs, no entities, no network: a planner's answer must not make us fetch or expand anything
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def qname(cls: type) -> str:
    """``{namespace}Name`` of the element a generated class stands for."""
    return str(_CONTEXT.build(cls).qname)


def body_child(content: bytes) -> etree._Element:
    """The one element in the envelope's Body (a result, a request or a soap:Fault)."""
    try:
        root = etree.fromstring(content, _safe_parser())
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise ContractBreach(f"not XML: {exc}") from None
    if root.tag != _ENVELOPE:
        raise ContractBreach(f"not a SOAP 1.1 envelope: {root.tag}")
    body = root.find(_BODY)
    children = [] if body is None else [c for c in body if isinstance(c.tag, str)]
    if len(children) != 1:
        raise ContractBreach(f"the SOAP Body must hold one element, it holds {len(children)}")
    return children[0]


def read(element: etree._Element, cls: type[T]) -> T:
    """The element as ``cls``, if it is that element and valid against the XSD."""
    expected = qname(cls)
    if element.tag != expected:
        raise ContractBreach(f"expected {expected}, got {element.tag}")
    checker = schema()
    if not checker.validate(element):
        error = checker.error_log.last_error
        raise ContractBreach(f"breaks the XSD: line {error.line}: {error.message}")
    try:
        return XmlParser(config=_PARSER_CONFIG, context=_CONTEXT).parse(element, cls)
    except Exception as exc:  # noqa: BLE001 - xsdata's parser and converter errors have no common base
        raise ContractBreach(f"cannot be read: {exc}") from None


def envelope(message: Any) -> bytes:
    """A SOAP 1.1 envelope around one generated message."""
    body = _SERIALIZER.render(message, ns_map={"eb": NS, "jb": JB})
    return _wrap(body)


def fault_envelope(faultcode: str, faultstring: str, detail: g.Error | None) -> bytes:
    """soap:Fault; ``detail`` carries the catalogue code of a business fault (jb:Error)."""
    string = etree.Element("faultstring")
    string.text = faultstring
    parts = [f"<faultcode>soap:{faultcode}</faultcode>", etree.tostring(string, encoding="unicode")]
    if detail is not None:
        parts.append(f"<detail>{_SERIALIZER.render(detail, ns_map={'jb': JB})}</detail>")
    return _wrap(f"<soap:Fault>{''.join(parts)}</soap:Fault>")


def _wrap(body: str) -> bytes:
    return (f'<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="{SOAP_ENV}">'
            f"<soap:Body>{body}</soap:Body></soap:Envelope>").encode()


def wsdl(address: str) -> bytes:
    """The WSDL with soap:address pointing at ``address``."""
    tree = etree.parse(str(WSDL), _safe_parser())
    for node in tree.iter("{http://schemas.xmlsoap.org/wsdl/soap/}address"):
        node.set("location", address)
    return bytes(etree.tostring(tree, xml_declaration=True, encoding="UTF-8"))
