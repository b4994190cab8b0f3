from odoo import fields, models

from .invoice_import_document_ocr import OCR_BATCH_DEFAULT, OCR_BATCH_PARAM


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    invoice_import_ocr_batch_size = fields.Integer(
        "OCR Batch Size",
        config_parameter=OCR_BATCH_PARAM,
        default=OCR_BATCH_DEFAULT,
        help="How many queued scans one run of the OCR scheduled action reads (each is committed on its own).",
    )
