"""What the mail intake decides without Odoo: which mail is which, who really sent it, why a login failed.

The ORM's fetch loop (``models/fetchmail_server.py``) talks to the server
and to the database; the judgements that can go wrong quietly -- two
deliveries of one mail, an address hidden in a display name, a provider's
refusal that looks like a wrong password -- are plain functions here,
tested without a server.
"""

import email
import email.policy
import hashlib
import imaplib
import poplib
import re
import socket
import ssl
from dataclasses import dataclass

# Headers a server adds on delivery: a mail delivered twice differs only in these.
TRACE_HEADERS = frozenset(
    {"received", "return-path", "delivered-to", "x-original-to", "envelope-to", "x-delivered-to", "x-uidl", "status"}
)
_ANGLE_ADDR = re.compile(r"<\s*([^<>\s]+@[^<>\s]+?)\s*>")
_BARE_ADDR = re.compile(r"^[^@\s<>,;\"]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$")


def _header_block(raw):
    """The raw header lines of a message (bytes), unfolded into ``(name, value)`` pairs."""
    head = re.split(rb"\r?\n\r?\n", raw, maxsplit=1)[0]
    fields = []
    for line in re.split(rb"\r?\n", head):
        if line[:1] in (b" ", b"\t") and fields:
            fields[-1][1] += b" " + line.strip()
        elif b":" in line:
            name, value = line.split(b":", 1)
            fields.append([name.strip().lower().decode("ascii", "replace"), value.strip()])
    return fields


def message_key(raw):
    """One key per mail however often it is delivered: its Message-Id, else a hash of its content.

    The hash leaves out the trace headers each delivery adds, so the same
    message delivered twice without a Message-Id still gets one key.

    >>> message_key(b"Message-Id: <A1@example.test>\\r\\nSubject: x\\r\\n\\r\\nbody")
    'mid:<A1@example.test>'
    >>> one = b"Received: from a\\nSubject: x\\n\\nbody"
    >>> two = b"Received: from b\\nReturn-Path: <p@q.example>\\nSubject: x\\n\\nbody"
    >>> message_key(one) == message_key(two), message_key(one).startswith("sha256:")
    (True, True)
    """
    fields = _header_block(raw)
    for name, value in fields:
        if name == "message-id":
            match = re.search(rb"<[^<>\s]+>", value)
            if match:
                return "mid:" + match.group(0).decode("ascii", "replace")
    digest = hashlib.sha256()
    for name, value in fields:
        if name not in TRACE_HEADERS:
            digest.update(name.encode() + b":" + value + b"\n")
    parts = re.split(rb"\r?\n\r?\n", raw, maxsplit=1)
    # POP hands the lines over without the last line end, IMAP with it
    digest.update(b"\n" + (parts[1].replace(b"\r\n", b"\n").rstrip(b"\n") if len(parts) > 1 else b""))
    return "sha256:" + digest.hexdigest()


def raw_header(raw, name):
    r"""A header's value as written in the mail (unfolded), not as a parser reinterprets it.

    Python's parser reads ``billing@good.example <evil@bad.example>`` as the
    first address; the sender check needs the text itself.

    >>> raw_header(b"Subject: a\r\nFrom: x@y.example\r\n <evil@bad.example>\r\n\r\nbody", "from")
    'x@y.example <evil@bad.example>'
    """
    for field, value in _header_block(raw):
        if field == name.lower():
            return value.decode("utf-8", "replace")
    return ""


def real_sender(from_header):
    """The address a mail really comes from, or None when it cannot be told.

    Only the address between angle brackets counts: a display name may hold
    any address (``"billing@good.example" <evil@bad.example>``) and must
    never map to a supplier.  A header with several addresses is not trusted.

    >>> real_sender('"billing@good.example" <Evil@Bad.example>')
    'evil@bad.example'
    >>> real_sender('billing@good.example <evil@bad.example>')
    'evil@bad.example'
    >>> real_sender("Billing@Good.example"), real_sender("a@x.example, b@y.example"), real_sender("")
    ('billing@good.example', None, None)
    """
    value = " ".join((from_header or "").split())
    angles = _ANGLE_ADDR.findall(value)
    if len(angles) == 1:
        return angles[0].lower()
    if not angles and _BARE_ADDR.match(value):
        return value.lower()
    return None


def parse_message(raw):
    """The message parsed as the mail gateway does (SMTP policy)."""
    return email.message_from_bytes(raw, policy=email.policy.SMTP)


# ----------------------------------------------------------------------
# Forwarding confirmations (Gmail, Outlook)
# ----------------------------------------------------------------------


@dataclass(frozen=True)
class ForwardingConfirmation:
    provider: str
    code: str
    link: str | None


_GMAIL_CODE = re.compile(r"(?:Confirmation code|code de confirmation|Bestätigungscode)\s*:\s*(\d{6,12})", re.I)
_SUBJECT_CODE = re.compile(r"\(#(\d{6,12})\)")
_MS_CODE = re.compile(r"(?:Security code|code de sécurité|Sicherheitscode|code)\s*:\s*([A-Za-z0-9]{4,12})", re.I)
_LINK = re.compile(
    r"https://(?:mail(?:-settings)?\.google\.com|[a-z0-9.-]*(?:live|microsoft|outlook)\.com)/[^\s\"'<>]+"
)


def forwarding_confirmation(sender, subject, text):
    """A provider's *confirm this forwarding address* mail: its code (and link), or None.

    Such a mail arrives as soon as someone sets up forwarding to the
    invoice address; it is for an administrator to act on, not an invoice.

    >>> forwarding_confirmation(
    ...     "forwarding-noreply@google.com",
    ...     "(#482915337) Gmail Forwarding Confirmation - Receive Mail from ann@gmail.com",
    ...     "Confirmation code: 482915337 To allow ... click https://mail-settings.google.com/mail/vf-abc",
    ... )
    ForwardingConfirmation(provider='Gmail', code='482915337', link='https://mail-settings.google.com/mail/vf-abc')
    >>> forwarding_confirmation("billing@acme.example", "Invoice 42", "Confirmation code: 123456") is None
    True
    """
    sender = (sender or "").lower()
    subject, text = subject or "", text or ""
    link = _LINK.search(text)
    link = link.group(0) if link else None
    if sender == "forwarding-noreply@google.com" or (
        sender.endswith("@google.com") and "forwarding confirmation" in subject.lower()
    ):
        match = _GMAIL_CODE.search(text) or _SUBJECT_CODE.search(subject)
        return ForwardingConfirmation("Gmail", match.group(1) if match else "", link)
    domain = sender.rpartition("@")[2]
    microsoft = domain.endswith(("microsoft.com", "outlook.com", "live.com", "office365.com"))
    if microsoft and re.search(r"forward|verif|confirm", subject, re.I):
        match = _MS_CODE.search(text)
        return ForwardingConfirmation("Outlook", match.group(1) if match else "", link)
    return None


# ----------------------------------------------------------------------
# Why a connection failed
# ----------------------------------------------------------------------

SERVER_NOT_FOUND = "server_not_found"
WRONG_SERVER_OR_PORT = "wrong_server_or_port"
WRONG_CREDENTIALS = "wrong_credentials"
PROVIDER_REFUSES = "provider_refuses"
TLS_PROBLEM = "tls"
OTHER = "other"

# What Gmail, Outlook/Microsoft 365, Yahoo and iCloud answer when the password may be right but this
# kind of access is switched off or needs an app password.
_PROVIDER_REFUSALS = re.compile(
    r"application-specific password|app password|web ?login required|webalert|log in via your web browser"
    r"|not enabled for (?:imap|pop)|enable (?:imap|pop)|less secure|basicauthblocked|basic authentication"
    r"|user is authenticated but not connected|authenticate failed|oauth|\[alert\] please log in",
    re.I,
)
_WRONG_CREDENTIALS = re.compile(
    r"authenticationfailed|authentication failed|invalid credentials|\[auth\]|login failed|"
    r"invalid (?:user|login|password)|bad password|password incorrect|authorizationfailed",
    re.I,
)


def classify_connection_error(exc):
    """The kind of failure, one of the constants above, from the exception a connection attempt raised.

    >>> classify_connection_error(socket.gaierror(-2, "Name or service not known"))
    'server_not_found'
    >>> classify_connection_error(ConnectionRefusedError(111, "Connection refused"))
    'wrong_server_or_port'
    >>> classify_connection_error(imaplib.IMAP4.error("[AUTHENTICATIONFAILED] Authentication failed."))
    'wrong_credentials'
    >>> classify_connection_error(imaplib.IMAP4.error("[ALERT] Application-specific password required"))
    'provider_refuses'
    >>> classify_connection_error(poplib.error_proto(b"-ERR [SYS/PERM] Your account is not enabled for POP access."))
    'provider_refuses'
    >>> classify_connection_error(ssl.SSLError(1, "[SSL: WRONG_VERSION_NUMBER] wrong version number"))
    'tls'
    """
    cause = exc
    while cause is not None:
        if isinstance(cause, ssl.SSLError | ssl.CertificateError):
            return TLS_PROBLEM
        if isinstance(cause, socket.gaierror) or (isinstance(cause, UnicodeError) and "idna" in str(cause).lower()):
            return SERVER_NOT_FOUND
        if isinstance(cause, imaplib.IMAP4.abort | ConnectionError | TimeoutError | socket.timeout | EOFError):
            return WRONG_SERVER_OR_PORT
        if isinstance(cause, imaplib.IMAP4.error | poplib.error_proto):
            text = _text(cause)
            if _PROVIDER_REFUSALS.search(text):
                return PROVIDER_REFUSES
            if _WRONG_CREDENTIALS.search(text):
                return WRONG_CREDENTIALS
            return OTHER
        if isinstance(cause, OSError) and cause.errno is not None:
            return WRONG_SERVER_OR_PORT
        cause = cause.__cause__ or cause.__context__
    return OTHER


def _text(exc):
    return " ".join(arg.decode("utf-8", "replace") if isinstance(arg, bytes) else str(arg) for arg in exc.args)


def error_text(exc):
    """The server's own words, for the record."""
    return _text(exc) or type(exc).__name__


# ----------------------------------------------------------------------
# Did the receiving server authenticate the sender?
# ----------------------------------------------------------------------

AUTH_PASS = "pass"
AUTH_FAIL = "fail"
AUTH_NONE = "none"


@dataclass(frozen=True)
class SenderAuthentication:
    """What the receiving server's ``Authentication-Results`` say of the ``From`` address.

    ``status``: ``pass`` (SPF, DKIM or DMARC passed for the sender's own domain), ``fail`` (a check
    failed for it) or ``none`` (no result that speaks of it); ``reason``: the same in words, for the
    person who reviews the bill.
    """

    status: str
    reason: str


def header_values(raw, name):
    """Every value of a header, top (the last hop) first, as written in the mail (unfolded).

    >>> header_values(b"A: 1\\r\\nB: 2\\r\\nA: 3\\r\\n\\r\\nA: body", "a")
    ['1', '3']
    """
    return [value.decode("utf-8", "replace") for field, value in _header_block(raw) if field == name.lower()]


def _aligned(domain, sender_domain):
    """Relaxed alignment: the same domain, or one a subdomain of the other (never a bare top-level name).

    >>> _aligned("acme.example", "mail.acme.example"), _aligned("evil.example", "acme.example")
    (True, False)
    >>> _aligned("example", "acme.example")
    False
    """
    domain, sender_domain = (domain or "").lower().rstrip("."), (sender_domain or "").lower().rstrip(".")
    if not domain or not sender_domain or "." not in domain or "." not in sender_domain:
        return False
    return domain == sender_domain or sender_domain.endswith("." + domain) or domain.endswith("." + sender_domain)


_AR_METHOD = re.compile(r"^\s*([A-Za-z0-9_-]+)\s*=\s*([A-Za-z]+)")
_AR_PROPERTY = re.compile(r"([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)\s*=\s*(\"[^\"]*\"|[^\s;]+)")


def parse_authentication_results(value):
    """``(authserv_id, [(method, result, {property: value})])`` of one ``Authentication-Results`` header.

    >>> parse_authentication_results("mx.example.org; spf=pass (ok) smtp.mailfrom=a.example; dkim=fail header.d=x.ex")
    ('mx.example.org', [('spf', 'pass', {'smtp.mailfrom': 'a.example'}), ('dkim', 'fail', {'header.d': 'x.ex'})])
    >>> parse_authentication_results("mx.example.org 1; none")
    ('mx.example.org', [])
    """
    text = re.sub(r"\([^()]*\)", " ", value or "")
    parts = text.split(";")
    head = parts[0].split()
    authserv_id = head[0].lower() if head else ""
    results = []
    for part in parts[1:]:
        match = _AR_METHOD.match(part)
        if not match:
            continue
        properties = {key.lower(): val.strip('"').lower() for key, val in _AR_PROPERTY.findall(part[match.end() :])}
        results.append((match.group(1).lower(), match.group(2).lower(), properties))
    return authserv_id, results


def _result_domain(method, properties, sender_domain):
    """The domain a result speaks for: DMARC the From domain, DKIM the signer, SPF the envelope sender."""
    if method == "dmarc":
        return properties.get("header.from") or sender_domain
    if method == "dkim":
        return properties.get("header.d") or properties.get("header.i", "").rpartition("@")[2]
    if method == "spf":
        return (properties.get("smtp.mailfrom") or "").rpartition("@")[2] or properties.get("smtp.helo", "")
    return ""


def sender_authentication(results_headers, sender, authserv_ids=()):
    """Whether the receiving server vouched for ``sender``'s domain: a ``SenderAuthentication``.

    ``results_headers``: the mail's ``Authentication-Results`` values, top first (``header_values``).
    Anyone may write such a header into the mail they send; only the receiving server's counts: the
    headers of ``authserv_ids`` when the administrator named the server, else the topmost one (the last
    hop's). A ``From`` header alone proves nothing: without a pass for the sender's own domain (DMARC, or
    DKIM or SPF aligned with it), the answer is ``fail`` or ``none``.

    >>> ok = "mx.ours.example; spf=pass smtp.mailfrom=bills@acme.example; dkim=pass header.d=acme.example"
    >>> sender_authentication([ok], "rechnungen@acme.example").status
    'pass'
    >>> forged = "mx.ours.example; spf=fail smtp.mailfrom=x@evil.example; dmarc=fail header.from=acme.example"
    >>> result = sender_authentication([forged, ok], "rechnungen@acme.example")
    >>> result.status, result.reason
    ('fail', 'mx.ours.example: DMARC fail for acme.example')
    >>> sender_authentication([], "rechnungen@acme.example").status
    'none'
    >>> other = "mx.ours.example; dkim=pass header.d=evil.example"
    >>> sender_authentication([other], "rechnungen@acme.example").status
    'none'
    >>> planted = "mx.ours.example; dkim=pass header.d=acme.example"  # written by the sender, below the server's
    >>> sender_authentication([forged, planted], "rechnungen@acme.example").status
    'fail'
    >>> named = sender_authentication(["mx.evil.example; dmarc=pass", ok], "bills@acme.example", ["mx.ours.example"])
    >>> named.status
    'pass'
    """
    sender_domain = (sender or "").rpartition("@")[2].lower()
    if not sender_domain:
        return SenderAuthentication(AUTH_NONE, "the sender's address is unknown")
    parsed = [parse_authentication_results(value) for value in results_headers or ()]
    wanted = {a.lower() for a in authserv_ids or () if a}
    trusted = [p for p in parsed if p[0] in wanted] if wanted else parsed[:1]
    if not trusted:
        where = ", ".join(sorted(wanted)) if wanted else "the receiving server"
        return SenderAuthentication(AUTH_NONE, f"no Authentication-Results from {where}")
    passes, failures, dmarc_failed = [], [], False
    for authserv_id, results in trusted:
        for method, result, properties in results:
            if method not in ("dmarc", "dkim", "spf"):
                continue
            domain = _result_domain(method, properties, sender_domain)
            if not _aligned(domain, sender_domain):
                continue
            words = f"{authserv_id}: {method.upper()} {result} for {domain}"
            if result == "pass":
                passes.append(words)
            elif result in ("fail", "softfail", "permerror"):
                failures.append(words)
                dmarc_failed = dmarc_failed or method == "dmarc"
    if passes and not dmarc_failed:  # the domain's own policy outranks a pass of one mechanism
        return SenderAuthentication(AUTH_PASS, "; ".join(passes))
    if failures:
        return SenderAuthentication(AUTH_FAIL, "; ".join(failures))
    return SenderAuthentication(AUTH_NONE, f"no SPF, DKIM or DMARC pass for {sender_domain}")


def sender_trust(how, authentication, sender=None):
    """``(trusted, reason)``: may a supplier recognised from the mail's sender be trusted to auto-post?

    ``how``: how the supplier was recognised (``sender``: its mapped address, ``sender_domain``: its
    domain; anything else is not the sender's doing and not judged here). ``reason`` says why not, in words
    for the person who reviews the bill (the server's own results stay in the import's sender check
    details), or is None. ``sender``: the mail's ``From`` address, whose domain the sentence names.

    >>> sender_trust("sender", SenderAuthentication("pass", "mx: DKIM pass for acme.example"))
    (True, None)
    >>> failed = SenderAuthentication("fail", "mx: DMARC fail for a.example")
    >>> trusted, reason = sender_trust("sender", failed, "x@a.example")
    >>> trusted, reason.split(": ", 1)[1]
    (False, "the receiving mail server's checks of the domain a.example failed. Check the bill before posting it.")
    >>> sender_trust("vat", None)
    (True, None)
    """
    if how not in ("sender", "sender_domain"):
        return True, None
    if authentication and authentication.status == AUTH_PASS:
        return True, None
    domain = (sender or "").rpartition("@")[2].lower()
    of_domain = f"the domain {domain}" if domain else "the sender's domain"
    if authentication is None:
        why = "the mail carries no result of the receiving mail server's sender checks"
    elif authentication.status == AUTH_FAIL:
        why = f"the receiving mail server's checks of {of_domain} failed"
    else:
        why = f"no check of the receiving mail server confirmed that {of_domain} sent it"
    return (
        False,
        f"The mail says it comes from a known supplier, but its sender was not authenticated: {why}. "
        "Check the bill before posting it.",
    )


# ----------------------------------------------------------------------
# The files a mail carries
# ----------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


def clean_filename(name, limit=200):
    r"""An attachment's name without control characters (a NUL makes the database refuse the whole mail).

    >>> clean_filename("invoice\x00.pdf"), clean_filename(" \x00 "), clean_filename("a" * 300)[-4:]
    ('invoice_.pdf', 'attachment', 'aaaa')
    >>> clean_filename("Rechnung März.pdf")
    'Rechnung März.pdf'
    """
    cleaned = _CONTROL.sub("_", name or "").strip()
    return (cleaned if cleaned.strip("_ ") else "attachment")[:limit]


def attachments_digest(message):
    """A digest of the files a parsed mail carries (names and bytes, in order), to tell two mails that
    share a Message-Id apart; None when it carries none.

    >>> from email.message import EmailMessage
    >>> one = EmailMessage(); one.set_content("x")
    >>> attachments_digest(one) is None
    True
    >>> one.add_attachment(b"%PDF-1", maintype="application", subtype="pdf", filename="a.pdf")
    >>> two = EmailMessage(); two.set_content("y")
    >>> two.add_attachment(b"%PDF-2", maintype="application", subtype="pdf", filename="a.pdf")
    >>> attachments_digest(one) == attachments_digest(one), attachments_digest(one) == attachments_digest(two)
    (True, False)
    """
    digest, seen = hashlib.sha256(), False
    for part in message.walk():
        if part.is_multipart():
            continue
        filename = part.get_filename()
        if not filename and part.get_content_disposition() != "attachment":
            continue
        payload = part.get_payload(decode=True) or b""
        digest.update(clean_filename(filename or "").encode("utf-8", "replace") + b"\0")
        digest.update(hashlib.sha256(payload).digest())
        seen = True
    return digest.hexdigest() if seen else None
