"""The sample mails of ``samples/mail/`` stay what ``./run.sh send-sample-mail`` and the demo data expect.

No Odoo: the files are compared with what ``samples/make_sample_mail.py``
writes, their attachments with the sample files, and their addresses with
the demo data's sender mappings and bills address (a renamed alias or sender
would otherwise leave the demo mails without a route or a supplier).
"""

import email
import email.policy
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "samples"
DEMO = REPO / "invoice_import" / "demo" / "invoice_import_demo.xml"

sys.path.insert(0, str(REPO))
from samples import make_sample_mail  # noqa: E402

CASES = [
    ("csv", "acme_invoices.eml", "acme_invoices.csv"),
    ("pdf", "bolt_supplies_invoice.eml", "bolt_supplies_invoice.pdf"),
]


def _demo_senders():
    root = ElementTree.parse(DEMO).getroot()
    return {
        field.text
        for record in root.iter("record")
        if record.get("model") == "invoice.import.sender"
        for field in record.iter("field")
        if field.get("name") == "email"
    }


def _demo_alias_address():
    root = ElementTree.parse(DEMO).getroot()
    domain = next(
        field.text
        for record in root.iter("record")
        if record.get("model") == "mail.alias.domain"
        for field in record.iter("field")
        if field.get("name") == "name"
    )
    write = next(value for value in root.iter("value") if "alias_name" in (value.get("eval") or ""))
    alias = write.get("eval").split("'alias_name': '", 1)[1].split("'", 1)[0]
    return f"{alias}@{domain}"


@pytest.mark.parametrize(("kind", "eml", "attached"), CASES)
def test_sample_mail_is_the_generated_one_and_carries_the_sample_file(kind, eml, attached):
    raw = (SAMPLES / "mail" / eml).read_bytes()
    assert raw == make_sample_mail.sample_mail(kind), "run python3 samples/make_sample_mail.py"
    message = email.message_from_bytes(raw, policy=email.policy.default)
    files = list(message.iter_attachments())
    assert [part.get_filename() for part in files] == [attached]
    assert files[0].get_payload(decode=True) == (SAMPLES / attached).read_bytes()
    if kind == "csv":
        # sent as many mailers send a file they did not write: no charset named for its cp1252 bytes
        assert files[0].get_content_type() == "text/csv"
        assert files[0].get_param("charset") is None


@pytest.mark.parametrize(("kind", "eml", "attached"), CASES)
def test_sample_mail_goes_from_a_mapped_sender_to_the_demo_bills_address(kind, eml, attached):
    message = email.message_from_bytes((SAMPLES / "mail" / eml).read_bytes(), policy=email.policy.default)
    assert message["To"].addresses[0].addr_spec == _demo_alias_address() == make_sample_mail.BILLS_ADDRESS
    assert message["From"].addresses[0].addr_spec in _demo_senders()
