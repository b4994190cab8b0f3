"""Python 2's ``xmlrpclib`` on Python 3, so that Odoo's own ``odoo-mailgate.py`` runs unchanged.

Odoo 18 still ships its mail gateway script for Python 2: it imports
``xmlrpclib`` and sends ``sys.stdin.read()`` as ``xmlrpclib.Binary``.
``./run.sh send-sample-mail`` runs it with this folder on ``PYTHONPATH`` and
``PYTHONIOENCODING=latin-1``, so stdin reads one character per byte and
``Binary`` turns them back into the mail's very bytes (an 8-bit cp1252
attachment included; CRLF line ends become LF, as a mail server's local
delivery does).
"""

from xmlrpc.client import *  # noqa: F403 - the whole module, under its Python 2 name
from xmlrpc.client import Binary as _Binary


def Binary(data=None):  # noqa: N802 - Python 2's name; a factory: the marshaller dispatches on the exact class
    return _Binary(data.encode("latin-1") if isinstance(data, str) else data)
