"""The XML-RPC wire format of Pingback 1.0, both ways, without trusting the XML.

Requests are size-capped before parsing and parsed with defusedxml with DTDs forbidden, so
entity bombs, external entities and any DOCTYPE end in fault -32700 at once (Python warns that
``xmlrpc.server`` "is not secure against maliciously constructed data"). Only two methods
exist; anything else, ``system.multicall`` and introspection included, is -32601.
"""

from __future__ import annotations

import re
import xmlrpc.client
from dataclasses import dataclass
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from django.conf import settings

PING = "pingback.ping"
GET_PINGBACKS = "pingback.extensions.getPingbacks"
# Method name -> number of string parameters.
METHODS = {PING: 2, GET_PINGBACKS: 1}


# Pingback 1.0 fault codes.
GENERIC_ERROR = 0
SOURCE_NOT_FOUND = 0x10
SOURCE_HAS_NO_LINK = 0x11
TARGET_NOT_FOUND = 0x20
TARGET_NOT_PINGABLE = 0x21
ALREADY_REGISTERED = 0x30
ACCESS_DENIED = 0x31
UPSTREAM_ERROR = 0x32

# WordPress's wording where it has one (wp_xmlrpc_server::pingback_ping), the spec's otherwise.
FAULT_MESSAGES = {
    GENERIC_ERROR: "A valid URL was not provided.",
    SOURCE_NOT_FOUND: "The source URL does not exist.",
    SOURCE_HAS_NO_LINK: (
        "The source URL does not contain a link to the target URL, "
        "and so cannot be used as a source."
    ),
    TARGET_NOT_FOUND: "The specified target URL does not exist.",
    TARGET_NOT_PINGABLE: (
        "The specified target URL cannot be used as a target. "
        "It either does not exist, or it is not a pingback-enabled resource."
    ),
    ALREADY_REGISTERED: "The pingback has already been registered.",
    ACCESS_DENIED: "Access denied.",
    UPSTREAM_ERROR: "The upstream server could not be reached.",
}

# XML-RPC protocol faults (specs.xmlrpc.com "fault code interoperability", as WordPress's IXR).
PARSE_ERROR = -32700
INVALID_REQUEST = -32600
METHOD_NOT_FOUND = -32601
INVALID_PARAMS = -32602

_XML_INVALID_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class XmlRpcFault(Exception):
    """A fault to answer: ``code`` and ``message`` go on the wire (see ``public_fault``)."""

    def __init__(self, code: int, message: str | None = None):
        self.code = code
        self.message = FAULT_MESSAGES.get(code, "") if message is None else message
        super().__init__(f"{code}: {self.message}")


def parse_pingback_request(
    body: bytes, max_bytes: int | None = None
) -> tuple[str, tuple[str, ...]]:
    """Return (method, string params) of a pingback XML-RPC call, or raise XmlRpcFault."""
    if max_bytes is None:
        max_bytes = settings.PINGBACK_MAX_REQUEST_BYTES
    if len(body) > max_bytes:
        raise XmlRpcFault(INVALID_REQUEST, "server error. request too large")
    root = _parse(body)
    if root.tag != "methodCall":
        raise XmlRpcFault(
            INVALID_REQUEST,
            "server error. invalid xml-rpc. not conforming to spec. Request must be a methodCall",
        )
    method = (root.findtext("methodName") or "").strip()
    if method not in METHODS:
        raise XmlRpcFault(METHOD_NOT_FOUND, "server error. requested method not found")
    params = tuple(_string(value) for value in root.findall("params/param/value"))
    if len(params) != METHODS[method] or None in params:
        raise XmlRpcFault(INVALID_PARAMS, "server error. invalid method parameters")
    return method, params


def render_response(value: str | list[str] | int | bool) -> bytes:
    """Return the body of a successful XML-RPC answer carrying ``value``."""
    return xmlrpc.client.dumps((_xml_safe(value),), methodresponse=True, encoding="utf-8").encode()


def render_fault(code: int, message: str) -> bytes:
    """Return the body of an XML-RPC fault answer."""
    fault = xmlrpc.client.Fault(code, _xml_safe(message))
    return xmlrpc.client.dumps(fault, methodresponse=True, encoding="utf-8").encode()


def public_fault(code: int, message: str, hide: bool) -> tuple[int, str]:
    """Return the fault to show: with ``hide``, every pingback fault but 48 is a bare 0.

    This is WordPress's hardening since 3.5.1 (PINGBACK_HIDE_FAULTS) so that the endpoint tells
    a prober nothing about other hosts. Protocol faults (negative codes) reveal nothing about
    the network and stay as they are, so clients still learn that a method does not exist.
    """
    if hide and code >= 0 and code != ALREADY_REGISTERED:
        return GENERIC_ERROR, ""
    return code, message


def render_pingback_request(source: str, target: str) -> bytes:
    """Return the body of a ``pingback.ping(source, target)`` call, for sending."""
    return xmlrpc.client.dumps((source, target), PING, encoding="utf-8").encode()


@dataclass(frozen=True)
class PingbackAnswer:
    """What a pingback server answered: a string (``ok``), a fault, or something invalid."""

    ok: bool
    message: str = ""
    fault_code: int | None = None

    @property
    def done(self) -> bool:
        """Return True when nothing is left to send: success, or fault 48 (already registered)."""
        return self.ok or self.fault_code == ALREADY_REGISTERED


def parse_pingback_response(body: bytes) -> PingbackAnswer:
    """Read a server's answer to ``pingback.ping``; never raise."""
    try:
        root = _parse(body)
    except XmlRpcFault:
        return PingbackAnswer(ok=False, message="the answer is not XML")
    if root.tag != "methodResponse":
        return PingbackAnswer(ok=False, message="the answer is not an XML-RPC response")
    fault = root.find("fault/value/struct")
    if fault is not None:
        members = {m.findtext("name", "").strip(): m.find("value") for m in fault.iter("member")}
        code_value = members.get("faultCode")
        code_text = ""
        if code_value is not None:
            code_text = code_value.findtext("int") or code_value.findtext("i4") or ""
        try:
            code = int(code_text.strip())
        except ValueError:
            return PingbackAnswer(ok=False, message="the fault has no integer code")
        message = _string(members["faultString"]) if "faultString" in members else ""
        return PingbackAnswer(ok=False, message=message or "", fault_code=code)
    values = root.findall("params/param/value")
    result = _string(values[0]) if len(values) == 1 else None
    if result is None:
        return PingbackAnswer(ok=False, message="the answer is not a single string")
    return PingbackAnswer(ok=True, message=result)


def _parse(body: bytes) -> Element:
    try:
        return fromstring(body, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (DefusedXmlException, ParseError, ValueError, LookupError) as exc:
        raise XmlRpcFault(PARSE_ERROR, "parse error. not well formed") from exc


def _string(value: Element) -> str | None:
    """Return the text of a <value> holding a string (typed or untyped), else None."""
    children = list(value)
    if not children:
        return value.text or ""
    if len(children) == 1 and children[0].tag == "string" and not list(children[0]):
        return children[0].text or ""
    return None


def _xml_safe(value):
    """Drop the characters XML 1.0 cannot carry, which would make our answer unparsable."""
    if isinstance(value, str):
        return _XML_INVALID_CHARS.sub("", value)
    if isinstance(value, list):
        return [_xml_safe(item) for item in value]
    return value
