"""What the jobs' tests share: a job of a project with an analytic account, and its purchase orders in euros.

The company's currency is the dollar; the test rates (``setup_other_currency``) make a dollar 3 euros in
2016 and 2 euros from 2017 on, so an amount converted at the wrong document's date shows.
"""

from odoo import Command, fields
from odoo.addons.account.tests.common import AccountTestInvoicingCommon


def project_with_analytic_account(env, name="Site works"):
    """A project with an analytic account of its own, the one its jobs' purchases and bills are booked to.

    Returns ``(project, analytic_account)``.
    """
    plan = env["account.analytic.plan"].create({"name": "Jobs"})
    account = env["account.analytic.account"].create({"name": name, "plan_id": plan.id})
    return env["project.project"].create({"name": name, "account_id": account.id}), account


class JobCommon(AccountTestInvoicingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.company_data["company"]
        cls.eur = cls.setup_other_currency("EUR")
        cls.acme = cls.env["res.partner"].create({"name": "ACME Industrial GmbH"})
        cls.bolts = cls._product("Hex bolts M8")
        cls.washers = cls._product("Washers DIN 125")
        cls.job_type = cls.env["invoice.import.job.type"].create({"name": "Installation"})

    @classmethod
    def _product(cls, name):
        return cls.env["product.product"].create(
            {"name": name, "type": "consu", "purchase_method": "receive", "supplier_taxes_id": [Command.clear()]}
        )

    def job(self, project=None, **values):
        """A job (task) of ``project``, by default a project of no company, as a new database's are."""
        project = project or self.env["project.project"].create({"name": "Site works"})
        return self.env["project.task"].create(
            dict({"name": "Boiler replacement", "project_id": project.id, "job_type_id": self.job_type.id}, **values)
        )

    def order(self, job, lines, partner=None, date="2017-03-01"):
        """A confirmed purchase order in euros for ``job``, dated ``date``; ``lines``: (product, qty, price)."""
        order = self.env["purchase.order"].create(
            {
                "partner_id": (partner or self.acme).id,
                "currency_id": self.eur.id,
                "date_order": fields.Datetime.to_datetime(date),
                "job_task_id": job.id,
                "order_line": [
                    Command.create({"product_id": p.id, "product_qty": q, "price_unit": price, "taxes_id": False})
                    for p, q, price in lines
                ],
            }
        )
        order.button_confirm()
        return order

    def bill(self, order, received, ref, date="2017-06-01"):
        """The posted bill of ``order`` for the ``received`` quantities (one per line), dated ``date``: Odoo's
        own *Create Bill*, which bills what was received."""
        for line, qty in zip(order.order_line, received, strict=True):
            line.qty_received = qty
        bill = self.env["account.move"].browse(order.action_create_invoice()["res_id"])
        bill.write({"ref": ref, "invoice_date": date, "date": date})
        bill.action_post()
        return bill
