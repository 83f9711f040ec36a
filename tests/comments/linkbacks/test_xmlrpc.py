"""The pingback XML-RPC wire format: requests we accept, faults we answer, bombs we refuse."""

import time
from xmlrpc import client as stdlib

import pytest

from comments.linkbacks import xmlrpc
from comments.linkbacks.xmlrpc import (
    XmlRpcFault,
    parse_pingback_request,
    parse_pingback_response,
    public_fault,
    render_fault,
    render_pingback_request,
    render_response,
)

from .http_server import parse_raw

SOURCE = "https://blog.example/a-post/"
TARGET = "https://bioxclusters.test/blog/2024/05/our-post/"


def call(method, *params) -> bytes:
    """Return the body Python's own xmlrpc.client sends for ``method(*params)``."""
    return stdlib.dumps(params, method).encode()


def fault_of(body, **kwargs) -> int:
    with pytest.raises(XmlRpcFault) as caught:
        parse_pingback_request(body, **kwargs)
    return caught.value.code


def test_a_ping_from_the_stdlib_client_is_understood():
    assert parse_pingback_request(call("pingback.ping", SOURCE, TARGET)) == (
        "pingback.ping",
        (SOURCE, TARGET),
    )


def test_get_pingbacks_takes_one_url():
    assert parse_pingback_request(call("pingback.extensions.getPingbacks", TARGET)) == (
        "pingback.extensions.getPingbacks",
        (TARGET,),
    )


def test_untyped_values_are_strings_as_xml_rpc_says():
    body = (
        b"<?xml version='1.0'?><methodCall><methodName> pingback.ping </methodName><params>"
        b"<param><value>https://a.example/?x=1&amp;y=2</value></param>"
        b"<param><value><string></string></value></param></params></methodCall>"
    )
    assert parse_pingback_request(body) == ("pingback.ping", ("https://a.example/?x=1&y=2", ""))


def test_a_declared_encoding_is_honoured():
    body = call("pingback.ping", "https://a.example/café", TARGET).decode()
    body = body.replace("<?xml version='1.0'?>", "<?xml version='1.0' encoding='iso-8859-1'?>")
    assert parse_pingback_request(body.encode("latin-1"))[1][0] == "https://a.example/café"


@pytest.mark.parametrize(
    "method",
    [
        "system.multicall",
        "system.listMethods",
        "system.methodHelp",
        "system.getCapabilities",
        "wp.getUsersBlogs",
        "demo.sayHello",
        "pingback.PING",
    ],
)
def test_every_other_method_is_not_found(method):
    assert fault_of(call(method, SOURCE, TARGET)) == xmlrpc.METHOD_NOT_FOUND == -32601


def test_a_call_without_a_method_name_is_not_found():
    assert fault_of(b"<methodCall><methodName/></methodCall>") == xmlrpc.METHOD_NOT_FOUND


def test_the_method_not_found_fault_says_so():
    with pytest.raises(XmlRpcFault) as caught:
        parse_pingback_request(call("system.multicall", []))
    assert "requested method not found" in caught.value.message


@pytest.mark.parametrize(
    "body",
    [
        call("pingback.ping", SOURCE),
        call("pingback.ping", SOURCE, TARGET, "extra"),
        call("pingback.ping", SOURCE, 17),
        call("pingback.ping", SOURCE, {"url": TARGET}),
        call("pingback.ping", [SOURCE], TARGET),
        call("pingback.extensions.getPingbacks"),
        call("pingback.extensions.getPingbacks", True),
    ],
)
def test_wrong_parameters_are_a_fault(body):
    assert fault_of(body) == xmlrpc.INVALID_PARAMS == -32602


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"pingback.ping(a, b)",
        b"<methodCall><methodName>pingback.ping</methodName>",
        b"<methodCall><methodName>pingback.ping</methodName></methodCall><extra/>",
        b"\xff\xfe<\x00m\x00",
        b"<?xml version='1.0' encoding='no-such-codec'?><methodCall/>",
    ],
)
def test_malformed_xml_is_a_parse_fault(body):
    assert fault_of(body) == xmlrpc.PARSE_ERROR == -32700


def test_a_response_is_not_a_request():
    body = render_response("hello")
    assert fault_of(body) == xmlrpc.INVALID_REQUEST


def test_an_oversized_request_is_refused_before_parsing():
    # Malformed too: the size fault proves the parser never saw it.
    body = b"<methodCall>" + b"x" * 70_000
    assert fault_of(body) == xmlrpc.INVALID_REQUEST
    assert fault_of(call("pingback.ping", SOURCE, TARGET), max_bytes=100) == xmlrpc.INVALID_REQUEST


def test_the_size_cap_comes_from_settings(settings):
    settings.PINGBACK_MAX_REQUEST_BYTES = 50
    assert fault_of(call("pingback.ping", SOURCE, TARGET)) == xmlrpc.INVALID_REQUEST


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<methodCall><methodName>pingback.ping</methodName><params>
<param><value><string>&lol9;</string></value></param>
<param><value><string>https://bioxclusters.test/</string></value></param>
</params></methodCall>"""

QUADRATIC_BLOWUP = (
    b'<?xml version="1.0"?><!DOCTYPE m [<!ENTITY a "' + b"a" * 20_000 + b'">]>'
    b"<methodCall><methodName>pingback.ping</methodName><params>"
    b"<param><value>" + b"&a;" * 1_000 + b"</value></param>"
    b"<param><value>x</value></param></params></methodCall>"
)

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE m [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<methodCall><methodName>pingback.ping</methodName><params>
<param><value>&xxe;</value></param><param><value>x</value></param></params></methodCall>"""

EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE methodCall SYSTEM "http://10.0.0.1/evil.dtd">
<methodCall><methodName>pingback.ping</methodName></methodCall>"""

PARAMETER_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE m [<!ENTITY % remote SYSTEM "http://10.0.0.1/x"> %remote;]>
<methodCall><methodName>pingback.ping</methodName></methodCall>"""

HARMLESS_DOCTYPE = b"""<?xml version="1.0"?><!DOCTYPE methodCall>
<methodCall><methodName>pingback.ping</methodName><params>
<param><value>a</value></param><param><value>b</value></param></params></methodCall>"""


@pytest.mark.parametrize(
    "body",
    [
        BILLION_LAUGHS,
        QUADRATIC_BLOWUP,
        EXTERNAL_ENTITY,
        EXTERNAL_DTD,
        PARAMETER_ENTITY,
        HARMLESS_DOCTYPE,
    ],
    ids=[
        "billion-laughs",
        "quadratic-blowup",
        "external-entity",
        "external-dtd",
        "parameter-entity",
        "doctype",
    ],
)
def test_xml_bombs_and_any_doctype_are_a_fault_at_once(body):
    started = time.monotonic()
    assert fault_of(body, max_bytes=1_000_000) == xmlrpc.PARSE_ERROR
    assert time.monotonic() - started < 0.5


# Answers


def test_a_success_answer_is_a_single_string_the_stdlib_reads():
    message = f"Pingback from {SOURCE} to {TARGET} registered. Keep the web talking! :-)"
    assert stdlib.loads(render_response(message)) == ((message,), None)


def test_get_pingbacks_answers_a_list_of_urls():
    assert stdlib.loads(render_response([SOURCE, TARGET]))[0] == ([SOURCE, TARGET],)
    assert stdlib.loads(render_response([]))[0] == ([],)


def test_characters_xml_cannot_carry_are_dropped_from_answers():
    assert stdlib.loads(render_response("a\x00b\x1fc <&>"))[0] == ("abc <&>",)


@pytest.mark.parametrize("code", [0, 16, 17, 32, 33, 48, 49, 50, -32700, -32601])
def test_a_fault_answer_is_a_real_xml_rpc_fault(code):
    with pytest.raises(stdlib.Fault) as caught:
        stdlib.loads(render_fault(code, "Why <it> failed & how"))
    assert (caught.value.faultCode, caught.value.faultString) == (code, "Why <it> failed & how")


def test_the_spec_fault_codes_are_named():
    assert (
        xmlrpc.GENERIC_ERROR,
        xmlrpc.SOURCE_NOT_FOUND,
        xmlrpc.SOURCE_HAS_NO_LINK,
        xmlrpc.TARGET_NOT_FOUND,
        xmlrpc.TARGET_NOT_PINGABLE,
        xmlrpc.ALREADY_REGISTERED,
        xmlrpc.ACCESS_DENIED,
        xmlrpc.UPSTREAM_ERROR,
    ) == (0, 16, 17, 32, 33, 48, 49, 50)
    assert set(xmlrpc.FAULT_MESSAGES) == {0, 16, 17, 32, 33, 48, 49, 50}


def test_a_fault_takes_wordpress_s_message_by_default():
    fault = XmlRpcFault(xmlrpc.ALREADY_REGISTERED)
    assert fault.message == "The pingback has already been registered."
    assert XmlRpcFault(xmlrpc.SOURCE_HAS_NO_LINK).message.startswith(
        "The source URL does not contain a link to the target URL"
    )


@pytest.mark.parametrize("code", [0, 16, 17, 32, 33, 49, 50])
def test_hidden_faults_become_a_bare_zero(code):
    assert public_fault(code, "details about a network", hide=True) == (0, "")


def test_already_registered_stays_visible_when_faults_are_hidden():
    message = xmlrpc.FAULT_MESSAGES[48]
    assert public_fault(48, message, hide=True) == (48, message)


@pytest.mark.parametrize("code", [-32700, -32601, -32602])
def test_protocol_faults_are_not_hidden(code):
    assert public_fault(code, "server error", hide=True) == (code, "server error")


@pytest.mark.parametrize("code", [0, 16, 17, 32, 33, 48, 49, 50])
def test_detailed_faults_are_shown_when_not_hidden(code):
    assert public_fault(code, "why", hide=False) == (code, "why")


# Sending: the request we make and how we read answers.


def test_our_ping_request_is_what_the_spec_shows():
    body = render_pingback_request(SOURCE, TARGET)
    assert stdlib.loads(body) == ((SOURCE, TARGET), "pingback.ping")
    assert parse_pingback_request(body) == ("pingback.ping", (SOURCE, TARGET))


@pytest.mark.parametrize(
    ("name", "ok", "message", "fault_code"),
    [
        ("valid-response", True, "pingback was successful", None),
        ("empty-body", True, "", None),
        ("invalid-body", False, "the answer is not a single string", None),
        ("invalid-request", False, "parse error. not well formed", -32700),
        ("invalid-xmlrpc", False, "the answer is not XML", None),
    ],
)
def test_pingback_answers_of_mention_client_fixtures(
    mention_fixtures, name, ok, message, fault_code
):
    _status, _headers, body = parse_raw(
        (mention_fixtures / "pingback-endpoint.example" / name).read_bytes()
    )
    answer = parse_pingback_response(body)
    assert (answer.ok, answer.message, answer.fault_code) == (ok, message, fault_code)
    assert answer.done is ok


def test_already_registered_counts_as_done():
    answer = parse_pingback_response(render_fault(48, "The pingback has already been registered."))
    assert (answer.ok, answer.fault_code, answer.done) == (False, 48, True)


@pytest.mark.parametrize("body", [BILLION_LAUGHS, EXTERNAL_ENTITY, b"<methodCall/>"])
def test_a_hostile_or_odd_answer_is_a_failure_not_a_crash(body):
    assert parse_pingback_response(body).ok is False
