"""Which code sends the SQL queries of a mail: a tally per side for ``bench/pipeline.py`` (``IIS_BENCH_SQL=1``).

The bench counts the queries each side sends per mail; that count says
how many round trips to PostgreSQL a mail costs (under load, most of the
wall time), not where they come from.  This tracer hooks Odoo's cursor
(``threading.current_thread().query_hooks``, the hook Odoo's own profiler
uses) while a side's timed mails run, and files each query under the
innermost frame of the call stack that is in this repository's addons, or
else in an Odoo addon's model (``account/models/account_move.py:123
_sync_dynamic_lines``), with the query's first words.  The ORM's own
frames are skipped: what matters is which business code asked.
"""

from __future__ import annotations

import re
import sys
import threading
from collections import Counter
from pathlib import Path

from odoo_bench import REPO

# frames of the ORM and the SQL layer: a query is filed under the first caller outside them
ORM_PARTS = ("/odoo/models.py", "/odoo/fields.py", "/odoo/sql_db.py", "/odoo/api.py", "/odoo/tools/", "/odoo/osv/")
WORDS = re.compile(r"\s+")
# this repository's overrides that only pass a call on (``write`` of a few models): not the code that asked
PASS_THROUGH = ("write", "create")


class SqlTally:
    """Queries of one side's timed mails, ``{(where, what): count}``; use as ``with tally: ...`` per mail."""

    def __init__(self):
        self.counts = Counter()
        self.mails = 0

    def __enter__(self):
        thread = threading.current_thread()
        if not hasattr(thread, "query_hooks"):
            thread.query_hooks = []
        thread.query_hooks.append(self._hook)
        self.mails += 1
        return self

    def __exit__(self, *exc):
        threading.current_thread().query_hooks.remove(self._hook)
        return False

    def _hook(self, cursor, query, params, start, delay):
        text = query.decode() if isinstance(query, bytes) else str(query)
        self.counts[(_caller(), _shape(text))] += 1

    def by_caller(self):
        """Queries per mail by the innermost code of this repository that led to them, most first:
        ``{caller: queries per mail}``; Odoo's own code alone (the mail gateway, the commit) under its innermost
        frame."""
        totals = Counter()
        for (where, _what), count in self.counts.items():
            parts = where.split(" <- ")
            totals[parts[1] if len(parts) > 1 else parts[0]] += count
        return {caller: count / max(self.mails, 1) for caller, count in totals.most_common()}

    def lines(self, rows=30):
        """The ``rows`` most frequent (caller, query shape), as text lines with the count per mail."""
        total = sum(self.counts.values())
        out = [f"{total / max(self.mails, 1):.1f} queries per mail over {self.mails} mails; the most frequent:"]
        for (where, what), count in self.counts.most_common(rows):
            out.append(f"{count / max(self.mails, 1):6.2f}  {where}  {what}")
        out.append("by the code of this repository that led to them (else Odoo's innermost):")
        out += [f"{count:6.2f}  {caller}" for caller, count in list(self.by_caller().items())[:rows]]
        return out


def _caller():
    """Where a query comes from: the innermost frame of an addon's code (Odoo's or this repository's), then
    ``<-`` the two innermost frames of this repository's addons that led to it, overrides that only pass the
    call on (``PASS_THROUGH``) aside."""
    frame = sys._getframe(2)
    inner, ours, reached = None, [], False
    while frame and len(ours) < 2:
        path = frame.f_code.co_filename
        where = f"{frame.f_code.co_name} {Path(path).name}:{frame.f_lineno}"
        if _ours(path):
            reached = True
            if frame.f_code.co_name not in PASS_THROUGH:
                ours.append(where)
        elif not reached and inner is None and "/addons/" in path and not any(part in path for part in ORM_PARTS):
            inner = where
        frame = frame.f_back
    return " <- ".join([inner or "odoo (ORM, commit)", *ours])


def _ours(path: str) -> bool:
    """Whether ``path`` is this repository's addon code: not its benches, not the Odoo tree the project's
    scripts unpack inside the checkout (``.odoo-cache``)."""
    return path.startswith(str(REPO)) and "/bench/" not in path and "/.odoo-cache/" not in path


def _shape(text):
    """The query's first words, parameters aside: what kind of query it is and on which table."""
    text = WORDS.sub(" ", text).strip()
    return text[:90]
