"""The mail intake's judgements without a server: keys, real senders, forwarding confirmations, login failures."""

import imaplib
import poplib
import socket
import ssl
from pathlib import Path

import pytest

from invoice_import.engine import mail_fetch, mailbox

DELIVERED = b"Return-Path: <p@example.test>\r\nDelivered-To: invoices@example.test\r\nReceived: from a\r\n\tby b\r\n"
MAIL = b"From: billing@acme.example\r\nSubject: Invoice 42\r\n\r\nInvoice attached.\r\n"


def test_same_mail_without_message_id_has_one_key_across_deliveries_and_protocols():
    imap_copy = DELIVERED + MAIL
    pop_copy = (DELIVERED.replace(b"by b", b"by c") + MAIL).rstrip(b"\r\n")  # POP: no last line end
    assert mailbox.message_key(imap_copy) == mailbox.message_key(pop_copy)
    assert mailbox.message_key(MAIL) != mailbox.message_key(MAIL.replace(b"42", b"43"))


def test_message_id_is_the_key_whatever_the_content():
    one = b"Message-ID:\r\n <x1@acme.example>\r\nSubject: a\r\n\r\none"
    two = b"Message-Id: <x1@acme.example>\r\nSubject: b\r\n\r\ntwo"
    assert mailbox.message_key(one) == mailbox.message_key(two) == "mid:<x1@acme.example>"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ('"billing@acme.example" <evil@bad.example>', "evil@bad.example"),
        ("billing@acme.example <evil@bad.example>", "evil@bad.example"),
        ("ACME <billing@acme.example>", "billing@acme.example"),
        ("<billing@acme.example>", "billing@acme.example"),
        ("billing@acme.example", "billing@acme.example"),
        ("<a@x.example>, <b@y.example>", None),
        ("not an address", None),
    ],
)
def test_only_the_real_address_is_the_sender(header, expected):
    assert mailbox.real_sender(header) == expected


def test_outlook_forwarding_verification_is_recognised():
    found = mailbox.forwarding_confirmation(
        "account-security-noreply@accountprotection.microsoft.com",
        "Verify your email address",
        "To finish setting up forwarding, use this security code: 7391204",
    )
    assert found == mailbox.ForwardingConfirmation("Outlook", "7391204", None)


def test_a_supplier_mail_is_no_forwarding_confirmation():
    assert mailbox.forwarding_confirmation("billing@acme.example", "Please confirm: invoice 42", "code: 1234") is None


def test_a_phishing_link_is_not_repeated():
    found = mailbox.forwarding_confirmation(
        "forwarding-noreply@google.com",
        "(#123456789) Gmail Forwarding Confirmation",
        "Confirmation code: 123456789 https://evil.example/steal",
    )
    assert found.code == "123456789" and found.link is None


@pytest.mark.parametrize(
    ("exc", "kind"),
    [
        (socket.gaierror(-2, "Name or service not known"), mailbox.SERVER_NOT_FOUND),
        (ConnectionRefusedError(111, "Connection refused"), mailbox.WRONG_SERVER_OR_PORT),
        (TimeoutError("timed out"), mailbox.WRONG_SERVER_OR_PORT),
        (imaplib.IMAP4.abort("socket error: EOF"), mailbox.WRONG_SERVER_OR_PORT),
        (OSError(113, "No route to host"), mailbox.WRONG_SERVER_OR_PORT),
        (imaplib.IMAP4.error(b"[AUTHENTICATIONFAILED] Authentication failed."), mailbox.WRONG_CREDENTIALS),
        (poplib.error_proto(b"-ERR [AUTH] Authentication failed."), mailbox.WRONG_CREDENTIALS),
        (
            imaplib.IMAP4.error(b"[ALERT] Application-specific password required: https://support.google.com/"),
            mailbox.PROVIDER_REFUSES,
        ),
        (imaplib.IMAP4.error(b"[ALERT] Please log in via your web browser"), mailbox.PROVIDER_REFUSES),
        (imaplib.IMAP4.error(b"[ALERT] Your account is not enabled for IMAP use."), mailbox.PROVIDER_REFUSES),
        (imaplib.IMAP4.error(b"AUTHENTICATE failed."), mailbox.PROVIDER_REFUSES),
        (imaplib.IMAP4.error(b"User is authenticated but not connected."), mailbox.PROVIDER_REFUSES),
        (poplib.error_proto(b"-ERR Logon failure: BasicAuthBlocked"), mailbox.PROVIDER_REFUSES),
        (ssl.SSLError(1, "[SSL: WRONG_VERSION_NUMBER] wrong version number"), mailbox.TLS_PROBLEM),
        (ssl.SSLCertVerificationError(1, "certificate verify failed"), mailbox.TLS_PROBLEM),
        (ValueError("something else"), mailbox.OTHER),
    ],
)
def test_connection_failures_are_told_apart(exc, kind):
    assert mailbox.classify_connection_error(exc) == kind


def test_the_cause_of_a_wrapped_failure_is_classified():
    try:
        try:
            raise socket.gaierror(-2, "Name or service not known")
        except socket.gaierror as exc:
            raise RuntimeError("Couldn't get your emails") from exc
    except RuntimeError as wrapped:
        assert mailbox.classify_connection_error(wrapped) == mailbox.SERVER_NOT_FOUND


# --- who really sent it: the receiving server's Authentication-Results -------------------------------------

GENUINE = b"""Authentication-Results: mx.ours.example;
 spf=pass smtp.mailfrom=bounces@mail.acme.example;
 dkim=pass (2048-bit key) header.d=acme.example header.s=s1;
 dmarc=pass (p=reject) header.from=acme.example
Received: from mail.acme.example by mx.ours.example
From: ACME Buchhaltung <rechnungen@acme.example>
Subject: Rechnung

body
"""


def _verdict(raw, authserv_ids=()):
    sender = mailbox.real_sender(mailbox.raw_header(raw, "from"))
    return mailbox.sender_authentication(mailbox.header_values(raw, "authentication-results"), sender, authserv_ids)


def test_the_receiving_servers_pass_for_the_senders_domain_authenticates():
    verdict = _verdict(GENUINE)
    assert verdict.status == "pass"
    assert "DMARC pass for acme.example" in verdict.reason and "mx.ours.example" in verdict.reason


@pytest.mark.parametrize(
    ("results", "status"),
    [
        (b"", "none"),  # a From header and nothing else
        (b"Authentication-Results: mx.ours.example; spf=softfail smtp.mailfrom=x@acme.example\n", "fail"),
        (b"Authentication-Results: mx.ours.example; dmarc=fail header.from=acme.example\n", "fail"),
        (b"Authentication-Results: mx.ours.example; dkim=pass header.d=evil.example\n", "none"),
        (b"Authentication-Results: mx.ours.example; spf=pass smtp.mailfrom=x@acme.example.evil.example\n", "none"),
        (b"Authentication-Results: mx.ours.example; none\n", "none"),
        # DMARC failing outranks a DKIM pass of the same server (the domain's own policy)
        (b"Authentication-Results: mx.ours.example; dkim=pass header.d=acme.example; dmarc=fail\n", "fail"),
    ],
)
def test_a_forged_from_is_not_authenticated(results, status):
    raw = results + b"From: ACME <rechnungen@acme.example>\nSubject: Rechnung\n\nbody\n"
    assert _verdict(raw).status == status


def test_a_result_planted_below_the_receiving_servers_is_not_read():
    planted = b"Authentication-Results: mx.ours.example; dkim=pass header.d=acme.example\n"
    top = b"Authentication-Results: mx.ours.example; spf=fail smtp.mailfrom=x@evil.example\n"
    raw = top + planted + b"From: <rechnungen@acme.example>\n\nbody\n"
    assert _verdict(raw).status == "none", "only the topmost header (the last hop) counts"
    assert _verdict(raw, ["mx.other.example"]).status == "none"
    named = b"Authentication-Results: mx.evil.example; dmarc=pass header.from=acme.example\n" + GENUINE
    assert _verdict(named, ["mx.ours.example"]).status == "pass"
    assert _verdict(named.replace(b"mx.ours.example", b"mx.x.example"), ["mx.ours.example"]).status == "none"


def test_an_unauthenticated_sender_goes_to_review_with_the_reason():
    trusted, reason = mailbox.sender_trust(
        "sender_domain", _verdict(b"From: <a@acme.example>\n\nbody\n"), "a@acme.example"
    )
    assert not trusted and "not authenticated" in reason and "the domain acme.example" in reason
    # in words: the server's own results (header names, mechanisms) stay in the sender check details
    for internal in ("Authentication-Results", "DKIM", "SPF", "DMARC", "mx."):
        assert internal not in reason
    failed = b"Authentication-Results: mx.ours.example; dmarc=fail header.from=acme.example\n"
    trusted, reason = mailbox.sender_trust(
        "sender", _verdict(failed + b"From: <a@acme.example>\n\nb\n"), "a@acme.example"
    )
    assert not trusted and "checks of the domain acme.example failed" in reason and "DMARC" not in reason
    assert mailbox.sender_trust("sender", _verdict(GENUINE)) == (True, None)
    assert mailbox.sender_trust("vat", None) == (True, None), "only sender-based recognition is judged here"


SAMPLE_MAIL = Path(__file__).resolve().parents[2] / "samples" / "mail" / "acme_invoices.eml"


def test_the_fetch_loop_reads_a_real_mail_and_hands_the_gateway_its_real_sender_only():
    raw = SAMPLE_MAIL.read_bytes()
    assert mail_fetch.safe_header(raw, "subject") == str(mailbox.parse_message(raw)["subject"])
    assert mail_fetch.files_digest(raw) == mailbox.attachments_digest(mailbox.parse_message(raw)) is not None
    message = mailbox.parse_message(raw)
    sender = mailbox.real_sender(mailbox.raw_header(raw, "from"))
    del message["Message-Id"]  # a mail without one: its key is a hash of its content
    key = mailbox.message_key(message.as_bytes())
    out = mailbox.parse_message(mail_fetch.gateway_bytes(message, key, sender))
    assert out["From"] == sender == "rechnungen@acme.example"
    assert out["Message-Id"].endswith("@invoice-import.invalid>")
    assert mailbox.attachments_digest(out) == mail_fetch.files_digest(raw), "the files go through unchanged"


def test_a_mail_beyond_parsing_still_gives_its_subject_and_no_digest():
    raw = b"Subject: Rechnung\r\nContent-Type: multipart/mixed; boundary=\r\n\r\n--\x00"
    assert mail_fetch.safe_header(raw, "subject") == "Rechnung"
    assert mail_fetch.files_digest(raw) is None


def test_the_size_and_header_of_an_imap_answer_and_a_quoted_folder():
    answer = [(b"3 (UID 9 RFC822.SIZE 52428801 BODY[HEADER] {12}", b"Subject: x\r\n"), b")"]
    assert mail_fetch.imap_size_and_header(answer) == (52428801, b"Subject: x\r\n")
    assert mail_fetch.imap_quote("Done\\2026") == '"Done\\\\2026"'
