"""QuickBooks Online as a provider of ``account.sync.connection``: OAuth2 and the engine client per connection.

Endpoints and app credentials are system parameters (``account_sync_qbo.*``; client id, secret and
environment are edited in the settings), so a test or a staging
database points the unchanged SDKs at another server (``environment`` takes intuit-oauth's discovery
document URL, ``api_url`` python-quickbooks' v3 base).  The realm (QuickBooks company) id arrives with
the consent redirect and is kept per Odoo company in ``tenant_id``.
"""

import datetime
from collections import namedtuple
from contextlib import contextmanager
from dataclasses import replace

from odoo import _, fields, models
from odoo.addons.account_sync.models import sync_mapper
from odoo.addons.account_sync.models.account_sync_connection import _remote_account
from odoo.addons.account_sync.models.sync_mapper import DOCUMENT_KINDS
from odoo.exceptions import UserError

from account_sync.engine.backoff import RetryPolicy
from account_sync.engine.errors import ReconnectRequired, SyncError, TransientError
from account_sync.engine.mapping import AccountMapping
from account_sync.engine.records import Bill, CreditNote, ItemResult
from account_sync_qbo.engine.client import QboClient
from account_sync_qbo.engine.oauth import QboAuth
from account_sync_qbo.engine.settings import CDC_MAX_DAYS, QUERY_PAGE, QboSettings

CALLBACK_PATH = "/account_sync_qbo/oauth/callback"
PARAM = "account_sync_qbo."
#: pulled payment status (engine) -> the base's vocabulary, where only live payments are registered and a
#: deleted one cancels its Odoo twin; a payment voided in QuickBooks took its money back just the same
PAYMENT_STATUS = {"ACTIVE": "AUTHORISED", "VOIDED": "DELETED"}

#: bill payments are bound as ``BillPayment:<id>``: QuickBooks numbers each list apart, so a customer
#: Payment deleted in QuickBooks must never match a supplier payment that has the same bare id
BILL_PAYMENT = "BillPayment:"

Realm = namedtuple("Realm", "id name")


def _qbo_payment_id(remote_id):
    """(supplier, QuickBooks id) of a bound payment: ``BillPayment:7`` is (True, "7"), ``7`` is (False, "7")."""
    if remote_id.startswith(BILL_PAYMENT):
        return True, remote_id[len(BILL_PAYMENT) :]
    return False, remote_id


class _ConnectionKeyedStore:
    """The connection's ``OrmTokenStore`` under the key ``QboClient`` asks for (``qbo:<realm>``).

    One connection holds one realm's tokens, so every key maps to the connection's own row.
    """

    def __init__(self, store):
        self.store = store

    def get(self, key):
        return self.store.get(self.store.key)

    def save(self, key, pair):
        self.store.save(self.store.key, pair)

    @contextmanager
    def lock(self, key):
        with self.store.lock(self.store.key):
            yield


class AccountSyncConnection(models.Model):
    _inherit = "account.sync.connection"

    provider = fields.Selection(selection_add=[("qbo", "QuickBooks Online")], ondelete={"qbo": "set null"})

    # --- QuickBooks' own settings -------------------------------------------------------------------------
    qbo_lead_source_definition = fields.Selection(
        [("1", "Custom field 1"), ("2", "Custom field 2"), ("3", "Custom field 3")],
        string="Lead source custom field",
        help="The invoice custom field (QuickBooks: Settings > Sales > Custom fields) that receives the lead "
        "source: the invoice's UTM source, else the customer's lead source. Empty: not sent.",
    )
    qbo_lead_source_name = fields.Char(
        "Custom field name", default="Lead source", help="The custom field's name as set up in QuickBooks"
    )
    qbo_accept_credit_cards = fields.Boolean(
        "Accept credit card payments",
        help="Invoices let customers pay online by card; card payments registered in Odoo are pushed into the "
        "credit card account with QuickBooks' credit card payment method",
    )
    qbo_deposit_account_id = _remote_account(
        "Deposit account (polled)",
        ["bank", "asset"],
        "Customer payments from Odoo are deposited here (card payments: the credit card account), and only "
        "payments recorded in QuickBooks into this account (or the card account) are registered in Odoo. "
        "Empty: the payments account, and every QuickBooks payment is registered.",
    )

    # --- configuration ------------------------------------------------------------------------------------

    def _qbo_param(self, name, default=""):
        return self.env["ir.config_parameter"].sudo().get_param(PARAM + name) or default

    def _qbo_settings(self):
        client_id, secret = self._qbo_param("client_id"), self._qbo_param("client_secret")
        if not client_id or not secret:
            raise UserError(
                _(
                    "Enter your QuickBooks app's client id and secret in Settings → Invoicing → Accounts"
                    " integration (an administrator can), then click Connect again."
                )
            )
        base_url = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "").rstrip("/")
        return QboSettings(
            client_id=client_id,
            client_secret=secret,
            redirect_uri=self._qbo_param("redirect_uri", base_url + CALLBACK_PATH),
            environment=self._qbo_param("environment", "production"),
            api_url=self._qbo_param("api_url") or None,
            timeout=float(self._qbo_param("timeout", "30")),
            lead_source_definition=self.qbo_lead_source_definition or "",
            lead_source_name=self.qbo_lead_source_name or "Lead source",
            accept_credit_cards=self.qbo_accept_credit_cards,
            retry=RetryPolicy(
                max_attempts=int(self._qbo_param("max_attempts", "4")),
                base_delay=float(self._qbo_param("retry_base_delay", "2.0")),
                max_delay=60.0,
            ),
        )

    def _qbo_mapping(self):
        """Mapped account numbers to QuickBooks ids (the base's passthrough would send numbers)."""
        ids = {
            record.code: record.qbo_id
            for record in self.remote_account_ids.with_context(active_test=False)
            if record.kind == "account" and record.qbo_id
        }
        mapping = self._account_mapping()
        return AccountMapping(
            accounts=ids,
            taxes=mapping.taxes,
            default_sale_account=ids.get(mapping.default_sale_account, ""),
            default_purchase_account=ids.get(mapping.default_purchase_account, ""),
            default_sale_tax=mapping.default_sale_tax,
            default_purchase_tax=mapping.default_purchase_tax,
            passthrough=True,  # tax codes are QuickBooks ids already
        )

    def _qbo_store(self):
        return _ConnectionKeyedStore(self._token_store())

    def _qbo_client(self):
        self.ensure_one()
        if not self.tenant_id:
            raise ReconnectRequired(_("No QuickBooks company is connected."))
        return QboClient(self._qbo_settings(), self.tenant_id, self._qbo_store(), accounts=self._qbo_mapping())

    # --- OAuth2 -------------------------------------------------------------------------------------------

    def _qbo_finish_connect(self, code, realm_id, store=None):
        """Exchange the code, then keep the realm; with the callback's ``store`` (``_oauth_finish``) tokens
        and grant commit together in its locked cursor."""
        self.ensure_one()
        if not realm_id:
            raise UserError(_("QuickBooks named no company (realmId) in its answer."))
        pair = QboAuth(self._qbo_settings()).exchange_code(code, realm_id)
        store = store or self._token_store()
        store.save(store.key, pair)
        return self._store_grant([Realm(realm_id, _("QuickBooks company %s", realm_id))])

    def _provider_authorize(self):
        if self.provider != "qbo":
            return super()._provider_authorize()
        url = QboAuth(self._qbo_settings()).authorization_url(self._oauth_state())
        return {"type": "ir.actions.act_url", "url": url, "target": "self"}

    # --- provider hooks -----------------------------------------------------------------------------------

    def _provider_revoke(self):
        if self.provider != "qbo":
            return super()._provider_revoke()
        store = self._token_store()
        pair = store.get(store.key)
        if pair:
            QboAuth(self._qbo_settings()).revoke(pair)

    def _provider_chart(self):
        if self.provider != "qbo":
            return super()._provider_chart()
        client = self._qbo_client()
        return client.list_accounts(), client.list_tax_rates()

    def _provider_push_contacts(self, contacts):
        if self.provider != "qbo":
            return super()._provider_push_contacts(contacts)
        return self._qbo_client().push_customers(contacts)

    def _provider_push_documents(self, documents):
        """New and changed invoices go in batches; credit notes and bills one by one."""
        if self.provider != "qbo":
            return super()._provider_push_documents(documents)
        client = self._qbo_client()
        self._qbo_link_parties(client, documents)
        single = {CreditNote: client.push_credit_note, Bill: client.push_bill}
        invoices = [(i, d) for i, d in enumerate(documents) if type(d) not in single]
        results = {}
        if invoices:
            moves = self.env["account.move"].browse([d.ref.id for _i, d in invoices])
            lead_sources = {move.id: self._qbo_lead_source(move) for move in moves}
            pushed = client.push_invoices([d for _i, d in invoices], lead_sources)
            results.update(zip([i for i, _d in invoices], pushed, strict=True))
        for i, doc in enumerate(documents):
            if i not in results:
                results[i] = client._safely(doc.ref, lambda d=doc: single[type(d)](d))
            for warning in results[i].warnings:  # pushed, but something around it was refused (a credit applied)
                self._log("push", "error", warning, self.env[doc.ref.model].browse(doc.ref.id))
        return [results[i] for i in range(len(documents))]

    def _qbo_lead_source(self, move):
        """The invoice's UTM source (sale adds it to invoices), else its customer's lead source."""
        source = move["source_id"] if "source_id" in move._fields else None
        source = source or move.partner_id.commercial_partner_id.account_sync_lead_source_id
        return (source.name or "") if source else ""

    def _qbo_link_parties(self, client, documents):
        """Customers and vendors first, so the base binds the partners (the client would create them unseen)."""
        waiting = {}
        for doc in documents:
            if not doc.contact.remote_id:
                supplier = isinstance(doc, Bill) or getattr(doc, "supplier", False)
                waiting.setdefault((supplier, doc.contact.ref.id), []).append(doc)
        customers = [docs[0].contact for (supplier, _id), docs in waiting.items() if not supplier]
        found = {r.ref.id: r.remote_id for r in client.push_customers(customers) if r.ok} if customers else {}
        for (supplier, partner_id), docs in waiting.items():
            if supplier:
                try:
                    found[partner_id] = client.push_vendor(docs[0].contact)
                except (ReconnectRequired, TransientError):
                    raise
                except SyncError:
                    continue  # the bill's own push reports it
            for doc in docs:
                doc.contact.remote_id = found.get(partner_id)

    def _provider_void(self, remote_id, ref):
        """Invoices are voided; bills deleted (QuickBooks' API cannot void a bill)."""
        if self.provider != "qbo":
            return super()._provider_void(remote_id, ref)
        kind = self._qbo_binding(ref).kind
        return self._qbo_undo(ref, remote_id, lambda client: client.void_document(kind, remote_id, ref))

    def _provider_void_credit_note(self, remote_id, ref):
        """A credit memo has the zero payments applying it voided (its invoices owe again), then is deleted;
        a vendor credit is deleted: the API has no void for either."""
        if self.provider != "qbo":
            return super()._provider_void_credit_note(remote_id, ref)
        move = self.env["account.move"].browse(ref.id).exists()
        if not move:
            return ItemResult(
                ref,
                False,
                remote_id,
                errors=(_("The credit note was deleted in Odoo; delete QuickBooks credit %s by hand.", remote_id),),
            )
        supplier = move.move_type == "in_refund"
        return self._qbo_undo(
            ref, remote_id, lambda client: client.void_document("credit_note", remote_id, ref, supplier=supplier)
        )

    def _provider_delete_payment(self, remote_id, ref):
        """The Payment (a BillPayment for a supplier payment) is deleted: QuickBooks payments are not edited in
        place, so an edited Odoo payment is deleted and pushed again by the base."""
        if self.provider != "qbo":
            return super()._provider_delete_payment(remote_id, ref)
        supplier, qbo_id = _qbo_payment_id(remote_id)
        pay = self.env["account.payment"].browse(ref.id).exists()
        supplier = supplier or pay.partner_type == "supplier"  # bound before the prefix: bare BillPayment ids
        return self._qbo_undo(ref, remote_id, lambda client: client.delete_payment(qbo_id, ref, supplier=supplier))

    def _qbo_undo(self, ref, remote_id, action):
        """Run a void or delete: refusals end up on the record, lost connections and retries stop the run."""
        try:
            action(self._qbo_client())
        except (ReconnectRequired, TransientError):
            raise
        except SyncError as exc:
            return ItemResult(ref, False, remote_id, errors=(str(exc),))
        return ItemResult(ref, True, remote_id)

    def _qbo_binding(self, ref):
        return (
            self.env["account.sync.binding"]
            .sudo()
            .search(
                [("connection_id", "=", self.id), ("model", "=", ref.model), ("res_id", "=", ref.id)],
                limit=1,
            )
        )

    def _provider_push_payments(self, payments):
        """Customer payments on invoices, supplier payments on bills (BillPayment), card payments by card."""
        if self.provider != "qbo":
            return super()._provider_push_payments(payments)
        client = self._qbo_client()
        card_code = self.credit_card_account_id.code
        results = []
        for neutral in payments:
            pay = self.env["account.payment"].browse(neutral.ref.id)
            document = (pay.reconciled_invoice_ids | pay.reconciled_bill_ids | pay.invoice_ids)[:1]
            kind = DOCUMENT_KINDS.get(document.move_type)  # the base pushes payments of exactly one document
            results.append(
                client._safely(neutral.ref, lambda p=neutral, k=kind: self._qbo_push_payment(client, p, k, card_code))
            )
        return results

    def _qbo_push_payment(self, client, payment, kind, card_code):
        card = bool(card_code) and payment.account_code == card_code
        if kind == "bill":
            result = client.push_bill_payment(payment, card=card)
            return replace(result, remote_id=BILL_PAYMENT + result.remote_id)
        if kind == "credit_note":
            raise SyncError(_("Refunds of credit notes are not pushed to QuickBooks; record them there."))
        if kind != "invoice":
            raise SyncError(_("This payment is not of one pushed invoice or bill."))
        if card and self.qbo_accept_credit_cards:
            return client.push_card_payment(payment)
        if not card and self.qbo_deposit_account_id:
            payment = replace(payment, account_code=self.qbo_deposit_account_id.code)
        return client.push_payment(payment)

    def _provider_pull_payments(self, since):
        """Payments recorded in QuickBooks; the first pull looks back as far as change data capture allows."""
        if self.provider != "qbo":
            return super()._provider_pull_payments(since)
        now = datetime.datetime.now(datetime.timezone.utc)
        since = since or now - datetime.timedelta(days=CDC_MAX_DAYS - 1)
        pulled = self._qbo_client().pull_payments(since)
        polled = self._qbo_polled_accounts()
        for payment in pulled:
            payment.status = PAYMENT_STATUS.get(payment.status, payment.status)
            if polled and payment.status == "AUTHORISED" and payment.account_code not in polled:
                payment.status = "ELSEWHERE"
                self._log(
                    "pull",
                    "info",
                    _(
                        "QuickBooks payment %(payment)s went into account %(account)s, not the deposit account:"
                        " not registered",
                        payment=payment.remote_id,
                        account=payment.account_code,
                    ),
                )
        return pulled

    def _qbo_polled_accounts(self):
        """QBO ids of the accounts whose payments are registered in Odoo; empty: every account."""
        if not self.qbo_deposit_account_id:
            return set()
        accounts = self.qbo_deposit_account_id
        if self.qbo_accept_credit_cards:
            accounts |= self.credit_card_account_id
        return {account.qbo_id for account in accounts if account.qbo_id}

    def _provider_pull_contacts(self):
        """Every active QuickBooks customer; an unbound Odoo company with exactly a customer's name (case
        aside) is bound to it on the way instead of being duplicated by the import."""
        if self.provider != "qbo":
            return super()._provider_pull_contacts()
        contacts = self._qbo_client().pull_customers(page=int(self._qbo_param("query_page", str(QUERY_PAGE))))
        Binding = self.env["account.sync.binding"].sudo()
        bound = self._qbo_partner_bindings()
        Partner = self.env["res.partner"].sudo()
        for contact in contacts:
            if contact.remote_id in bound:
                continue
            same_name = Partner.search(
                [
                    ("name", "=ilike", contact.name),
                    ("parent_id", "=", False),
                    ("company_id", "in", [False, self.company_id.id]),
                ]
            ).filtered(lambda p: not Binding._of(self, p))
            if len(same_name) == 1:
                Binding._set(self, same_name, "contact", remote_id=contact.remote_id, state="synced", origin="local")
        return contacts

    def _qbo_partner_bindings(self):
        bindings = (
            self.env["account.sync.binding"]
            .sudo()
            .search([("connection_id", "=", self.id), ("model", "=", "res.partner")])
        )
        return {b.remote_id: b for b in bindings}

    def action_import_customers(self):
        """The base import, then every imported customer refreshed from QuickBooks (address included)."""
        if self.provider != "qbo":
            return super().action_import_customers()
        self.ensure_one()
        self._check_manage()
        contacts = self._guarded(self._provider_pull_contacts)
        created = sync_mapper.import_contacts(self, contacts)
        bound = self._qbo_partner_bindings()
        for contact in contacts:
            binding = bound.get(contact.remote_id)
            partner = binding._record() if binding and binding.origin == "remote" else None
            if partner:  # QuickBooks owns what was imported from it; a partner pushed from Odoo is left alone
                partner.write(self._qbo_partner_values(contact))
        self._log("import", "info", _("%s customers imported, %s already known", created, len(contacts) - created))
        return created

    def _qbo_partner_values(self, contact):
        values = {
            "name": contact.name,
            "email": contact.email or False,
            "phone": contact.phone or False,
            "mobile": contact.mobile or False,
        }
        address = contact.address
        if address:
            country = self.env["res.country"].search([("code", "=", address.country_code)], limit=1)
            values.update(
                street=address.street or False,
                street2=address.street2 or False,
                city=address.city or False,
                zip=address.zip or False,
                country_id=country.id or False,
            )
        return values
