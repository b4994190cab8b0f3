"""Writes ``samples/mail/*.eml``: the demo suppliers' mails bringing the sample invoices to the demo bills address.

    python3 samples/make_sample_mail.py

The demo data (``invoice_import/demo/invoice_import_demo.xml``) maps each
sender address to its supplier and gives the vendor bills journal the address
``bills-demo@yourcompany.example``; ``./run.sh send-sample-mail`` hands these
files to Odoo's own mail gateway script.  Like ``make_samples.py``, the output
is byte-for-byte reproducible (fixed date, Message-Id and MIME boundary), so
regenerating it leaves git clean.

ACME's CSV goes as ``text/csv`` naming no charset, as many mailers send a
file they did not write: its bytes are cp1252, so it also shows that the
addon keeps a mailed text file's bytes rather than Odoo's UTF-8 reading of
them.
"""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

HERE = Path(__file__).resolve().parent
MAIL_DIR = HERE / "mail"
BILLS_ADDRESS = "bills-demo@yourcompany.example"

# name: (sender, subject, body, file in samples/, MIME type of the attachment, date)
MAILS = {
    "csv": (
        "ACME Industrial GmbH Buchhaltung <rechnungen@acme.example>",
        "Rechnungen RE-2024-0117 und RE-2024-0118",
        "Sehr geehrte Damen und Herren,\n\nanbei unsere Rechnungen RE-2024-0117 und RE-2024-0118.\n\n"
        "Mit freundlichen Grüßen\nACME Industrial GmbH\n",
        "acme_invoices.csv",
        ("text", "csv"),
        "Wed, 06 Mar 2024 09:12:00 +0100",
    ),
    "pdf": (
        "Bolt Supplies Accounts <accounts@boltsupplies.example>",
        "Invoice BS-2024-00417 (your order PO-88123)",
        "Dear customer,\n\nplease find attached our invoice BS-2024-00417 for your order PO-88123.\n\n"
        "Kind regards,\nBolt Supplies Ltd\n",
        "bolt_supplies_invoice.pdf",
        ("application", "pdf"),
        "Tue, 12 Mar 2024 16:40:00 +0000",
    ),
}


# What the company's receiving mail server writes on top of a mail it checked (RFC 8601): the addon
# posts an auto-import supplier's bill only when the sender's domain passed SPF, DKIM or DMARC there.
RECEIVING_SERVER = "mx.yourcompany.example"


def authentication_results(sender: str) -> str:
    """The receiving server's verdict on a genuine mail from ``sender``: SPF, DKIM and DMARC passed."""
    address = sender.split("<")[-1].rstrip(">")
    domain = address.split("@")[1]
    return (
        f"{RECEIVING_SERVER}; spf=pass smtp.mailfrom={address};"
        f" dkim=pass header.d={domain}; dmarc=pass header.from={domain}"
    )


def sample_mail(kind: str) -> bytes:
    """The RFC 822 bytes of the demo mail of ``kind`` (``csv`` or ``pdf``), as the receiving server hands it on."""
    sender, subject, body, filename, (maintype, subtype), date = MAILS[kind]
    message = EmailMessage()
    message["Authentication-Results"] = authentication_results(sender)
    message["From"] = sender
    message["To"] = BILLS_ADDRESS
    message["Subject"] = subject
    message["Date"] = date
    message["Message-Id"] = f"<sample-{kind}-{Path(filename).stem}@{sender.split('@')[1].rstrip('>')}>"
    message.set_content(body)
    # bytes give an attachment with no charset parameter, even for a text/* type
    message.add_attachment(
        (HERE / filename).read_bytes(), maintype=maintype, subtype=subtype, filename=filename, cte="base64"
    )
    message.set_boundary(f"=={kind}-sample-boundary==")
    return message.as_bytes()


def main() -> None:
    MAIL_DIR.mkdir(exist_ok=True)
    for kind, (*_head, filename, _mime, _date) in MAILS.items():
        path = MAIL_DIR / (Path(filename).stem + ".eml")
        path.write_bytes(sample_mail(kind))
        print(path.relative_to(HERE.parent))


if __name__ == "__main__":
    main()
