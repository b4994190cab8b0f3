r"""What the inbox's fetch loop does to a mail's bytes, without Odoo: beside ``mailbox.py``.

``models/fetchmail_server.py`` talks to the server and to the database;
these read an IMAP answer, quote a folder name, read a header or the files
of a mail that may be broken beyond parsing, and write the mail as Odoo's
gateway gets it.  None raises on a broken mail.

>>> imap_size_and_header([(b"1 (UID 7 RFC822.SIZE 2048 BODY[HEADER] {20}", b"Subject: x\r\n\r\n"), b")"])
(2048, b'Subject: x\r\n\r\n')
>>> imap_quote('Invoices/"Done"')
'"Invoices/\\"Done\\""'
"""

import re

from . import mailbox

_IMAP_SIZE = re.compile(rb"RFC822\.SIZE (\d+)")


def imap_size_and_header(data):
    """``(size, header)``: the RFC822.SIZE (0 when not given) and the header bytes of an IMAP FETCH answer.

    >>> imap_size_and_header([b"1 (RFC822.SIZE 10)"]), imap_size_and_header([])
    ((10, b''), (0, b''))
    """
    size, header = 0, b""
    for part in data:
        if isinstance(part, tuple):
            match = _IMAP_SIZE.search(part[0])
            size = int(match.group(1)) if match else size
            header = part[1]
        elif isinstance(part, bytes):
            match = _IMAP_SIZE.search(part)
            size = int(match.group(1)) if match else size
    return size, header


def imap_quote(folder):
    """A folder name as an IMAP quoted string (backslashes and quotes escaped)."""
    escaped = folder.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def safe_header(raw, name):
    r"""A header of a mail that may be broken beyond parsing: best effort, never raises; '' when absent.

    >>> safe_header(b"Subject: Rechnung 42\r\nFrom: a@b.example\r\n\r\nbody", "subject")
    'Rechnung 42'
    >>> safe_header(b"\xff\xfe no header at all", "subject")
    ''
    """
    try:
        return str(mailbox.parse_message(raw).get(name) or "")
    except Exception:  # noqa: BLE001
        match = re.search(rb"(?im)^" + name.encode() + rb":[ \t]*(.*)$", raw)
        return match.group(1).decode("ascii", "replace").strip() if match else ""


def files_digest(raw):
    r"""``mailbox.attachments_digest`` of a mail that may not parse: None then, and for a mail without files.

    >>> files_digest(b"Subject: x\r\n\r\nno files") is None
    True
    """
    try:
        return mailbox.attachments_digest(mailbox.parse_message(raw))
    except Exception:  # noqa: BLE001 - a mail beyond parsing was kept as a failed document already
        return None


def gateway_bytes(message, key, sender):
    r"""The mail as Odoo's gateway gets it: a stable Message-Id, and the real sender only.

    Odoo invents a new Message-Id for a mail that has none, so a second
    delivery would be a new mail; and it reads addresses in the display name
    (``billing@good.example <evil@bad.example>`` gives billing@good.example
    first), so the sender is rewritten to the address the mail really came from.
    ``message``: the parsed mail (changed in place); ``key``: its ``mailbox.message_key``.

    >>> message = mailbox.parse_message(b'From: "billing@good.example" <evil@bad.example>\r\n\r\nx')
    >>> out = gateway_bytes(message, "sha256:" + "ab" * 32, "evil@bad.example")
    >>> b"From: evil@bad.example" in out, b"Message-Id: <" + b"ab" * 20 + b"@invoice-import.invalid>" in out
    (True, True)
    """
    if "Message-Id" not in message:
        message["Message-Id"] = f"<{key.split(':', 1)[1][:40]}@invoice-import.invalid>"
    del message["From"]
    message["From"] = sender or "unknown-sender@invoice-import.invalid"
    return message.as_bytes()
