"""Pure-Python invoice extraction engine: never imports ``odoo``.

Public surface: ``extract_bytes``/``extract_file`` return ``Invoice``
pivots (see ``pivot.py``); ``ExtractionError`` carries a stable code.
"""

from .errors import ERROR_CODES, ExtractionError
from .extract import ExtractionResult, extract_bytes, extract_file
from .limits import Limits
from .pivot import Invoice, Line, Party

__all__ = [
    "ERROR_CODES",
    "ExtractionError",
    "ExtractionResult",
    "Invoice",
    "Limits",
    "Line",
    "Party",
    "extract_bytes",
    "extract_file",
]
