"""The page beside the fields: where each value was read, highlighted on the page image.

The engine finds the words that show each header value (``engine/
provenance.py``) and the pivot carries them as ``locations``: boxes in
fractions of a page.  This adds what the form's *On the Page* widget
(``static/src/page_view``) needs: the fields as a person reads them, each
with its boxes, and the page images, rendered from the untrusted file in
the reader process (``sandbox.render_isolated``) the first time they are
asked for and kept as attachments of the document afterwards.
"""

import json
import logging

from odoo import api, fields, models

from ..engine.display import field_rows
from ..engine.errors import ExtractionError
from ..engine.sandbox import SandboxError, render_isolated

_logger = logging.getLogger(__name__)
PAGE_FIELD = "page_view"  # the attachments holding the page images belong to this field: hidden from the chatter


class InvoiceImportDocument(models.Model):
    _inherit = "invoice.import.document"

    page_view = fields.Json(
        "On the Page",
        compute="_compute_page_view",
        help="The extracted fields, each with the boxes of the words it was read from on the file's pages.",
    )
    located_count = fields.Integer(
        "Fields Located", compute="_compute_page_view", help="How many extracted fields were found on the page."
    )

    @api.depends("pivot_json", "currency_id")
    def _compute_page_view(self):
        for doc in self:
            view = doc._page_view()
            doc.page_view = view or False
            doc.located_count = sum(1 for row in view["fields"] if row["spots"]) if view else 0

    def _page_view(self):
        """What the page widget shows, or None when no value of the file was located.

        Returns ``{"fields": [{"key": str, "label": str, "value": str,
        "confidence": str, "spots": [{"page": int, "box": [x0, y0, x1,
        y1]}]}], "pages": int}``: the fields read, labelled and formatted
        as on *Extracted Data* (``engine/display.py``), ``spots`` empty for a
        field not found on the page; ``pages`` the number of pages the boxes
        need at least.
        """
        self.ensure_one()
        try:
            data = json.loads(self.pivot_json) if self.pivot_json else None
        except ValueError:
            return None
        if not isinstance(data, dict) or not data.get("locations"):
            return None
        locations = data["locations"]
        currency = self.currency_id or self._pivot_currency(data)
        rows = []
        for row in field_rows(data):
            if row["value"] is None or row["key"] == "document_type":
                continue
            score = row["confidence"]
            rows.append(
                {
                    "key": row["key"],
                    "label": self.env._(row["label"]),  # noqa: INT001
                    "value": str(self._format_value(row["value"], row["kind"], currency)),
                    "confidence": "" if score is None else f"{round(score * 100)} %",
                    "spots": [spot for spot in locations.get(row["key"], []) if _valid_spot(spot)],
                }
            )
        pages = max((spot["page"] for row in rows for spot in row["spots"]), default=-1) + 1
        return {"fields": rows, "pages": pages}

    def invoice_import_page_images(self):
        """The URLs of the file's page images, for the page widget; ``[]`` when the file cannot be shown.

        Rendered once in the reader process (the file is untrusted), then
        read from the document's attachments, named by the file's checksum
        so that a replaced file is rendered again.
        """
        self.ensure_one()
        self.check_access("read")
        doc = self.sudo()
        if not doc.attachment_id or not doc.page_view:
            return []
        Attachment = self.env["ir.attachment"].sudo()
        domain = [("res_model", "=", self._name), ("res_id", "=", self.id), ("res_field", "=", PAGE_FIELD)]
        prefix = f"page-{(doc.file_checksum or str(doc.attachment_id.id))[:16]}-"
        kept = Attachment.search(domain, order="name").filtered(lambda a: a.name.startswith(prefix))
        if not kept:
            try:
                images = render_isolated(doc.attachment_id.raw or b"", doc.file_name or doc.attachment_id.name)
            except (ExtractionError, SandboxError) as exc:
                _logger.info("the pages of import document %s cannot be shown: %s", self.id, exc)
                return []
            Attachment.search(domain).unlink()
            kept = Attachment.create(
                [
                    {
                        "name": f"{prefix}{number:03d}.png",
                        "raw": image,
                        "mimetype": "image/png",
                        "res_model": self._name,
                        "res_id": self.id,
                        "res_field": PAGE_FIELD,
                    }
                    for number, image in enumerate(images)
                ]
            )
        return [f"/web/image/{attachment.id}?unique={attachment.checksum}" for attachment in kept.sorted("name")]


def _valid_spot(spot) -> bool:
    """A box as the engine writes it: a page index and four fractions, left < right, top < bottom."""
    try:
        x0, top, x1, bottom = (float(value) for value in spot["box"])
        return int(spot["page"]) >= 0 and 0 <= x0 < x1 <= 1 and 0 <= top < bottom <= 1
    except (KeyError, TypeError, ValueError):
        return False
