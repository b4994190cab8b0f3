"""One exception type with a stable machine-readable code.

The CLI prints ``{"error": {"code", "message"}}`` from it and the Odoo
layer stores the code on the failed document, so codes are part of the
contract: add new ones, do not rename old ones.
"""

# code -> what it means (kept here so the README and tests can list them)
ERROR_CODES = {
    "empty_file": "the file has no content",
    "file_too_large": "the file is larger than the configured cap",
    "unsupported_file": "the file is none of PDF, XML, CSV or a supported image",
    "corrupt_pdf": "the PDF cannot be parsed (truncated, damaged, or not a PDF)",
    "encrypted_pdf": "the PDF is password protected",
    "too_many_pages": "the document has more pages than the configured cap",
    "page_too_large": "a page is too large to render within the pixel cap",
    "inflate_limit": "decompressed content exceeds the configured cap",
    "image_too_large": "the image has more pixels than the configured cap",
    "corrupt_image": "the image cannot be decoded",
    "unsafe_xml": "the XML uses entities or external references, which are refused",
    "invalid_xml": "the XML is not well-formed or is not a known e-invoice syntax",
    "csv_error": "the CSV cannot be read with the given format",
    "invalid_format": "the supplier format definition is invalid",
    "no_format": "no supplier format applies and the layout cannot be read without one",
    "timeout": "extraction took longer than the configured time cap",
    "ocr_unavailable": "the OCR engine (tesseract) is not installed",
    "no_text": "no text could be read from the document",
    "needs_ocr": "the document needs OCR and the caller asked for none (allow_ocr=False): read it later with OCR",
    "invalid_values": "the confirmed values given to learn a layout are malformed (unknown key, wrong type)",
    "values_not_found": "none of the confirmed values given to learn a layout is printed in the document",
    "output_error": "the output file (a learned format) cannot be written",
    "memory_limit": "reading the file needed more memory than the reader process may use",
    "parser_crash": "a file parser crashed on the file (the reader process died)",
    "file_unreadable": "the file cannot be opened (missing, a directory, no permission, a name too long)",
}


class ExtractionError(Exception):
    """A file the engine refuses or cannot read; ``code`` is one of ERROR_CODES."""

    def __init__(self, code: str, message: str):
        if code not in ERROR_CODES:
            raise ValueError(f"unknown extraction error code {code!r}")
        super().__init__(message)
        self.code = code
        self.message = message

    def to_dict(self) -> dict:
        return {"error": {"code": self.code, "message": self.message}}


# Codes the intake gives a failed document besides the engine's own (mail, zip archives, the bill, the OCR
# queue): worded here too, so every failed document says its reason in words.
INTAKE_ERROR_CODES = {
    "mail_error": "the mail could not be processed (undecodable or broken MIME)",
    "mail_too_large": "the mail is larger than the configured limit",
    "no_attachment": "the mail has no invoice file attached",
    "message_id_reused": "a mail with the same Message-Id was already received with other content",
    "zip_bomb": "the zip archive inflates beyond the configured caps",
    "corrupt_zip": "the zip archive cannot be opened",
    "encrypted_zip": "the zip archive is password protected",
    "empty_zip": "the zip archive holds no invoice file",
    "engine_error": "the extraction engine failed unexpectedly",
    "bill_error": "the data was read but the bill could not be filled",
    "ocr_gone": "the file queued for OCR is no longer available",
}


def describe_error(code: str | None) -> str:
    """A failed document's reason as a sentence for its list and form; an unknown code is named as such.

    >>> describe_error("corrupt_pdf")
    'The PDF cannot be parsed (truncated, damaged, or not a PDF)'
    >>> describe_error("no_attachment"), describe_error("brand_new_code"), describe_error(None)
    ('The mail has no invoice file attached', 'Unknown error (brand new code)', '')
    """
    if not code:
        return ""
    text = ERROR_CODES.get(code) or INTAKE_ERROR_CODES.get(code)
    if text is None:
        return f"Unknown error ({code.replace('_', ' ')})"
    return text[:1].upper() + text[1:]
