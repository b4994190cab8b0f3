"""Import documents committed on a connection of their own, for tests of concurrent workers.

The test's own cursor is never committed, so locks taken on its rows would show nothing to a second
worker: concurrency tests need rows another connection can see, and must remove them afterwards.
"""

from odoo.sql_db import db_connect
from odoo.tools import SQL


def commit_documents(case, count, name, **values):
    """Insert ``count`` documents named ``name`` + index with the column ``values``; removed at cleanup."""
    dbname = case.env.cr.dbname
    columns = ["company_id", "file_name", "name", *values]
    with db_connect(dbname).cursor() as cr:
        cr.execute("SELECT id FROM res_company ORDER BY id LIMIT 1")
        company = cr.fetchone()[0]
        ids = []
        for i in range(count):
            row = (company, f"{name}-{i}", f"{name} {i}", *values.values())
            cr.execute(
                SQL(
                    "INSERT INTO invoice_import_document (%s) VALUES %s RETURNING id",
                    SQL(", ").join(SQL.identifier(column) for column in columns),
                    row,
                )
            )
            ids.append(cr.fetchone()[0])
        cr.commit()
    case.addCleanup(_remove, dbname, ids)
    return ids


def _remove(dbname, ids):
    with db_connect(dbname).cursor() as cr:
        cr.execute("DELETE FROM mail_message WHERE model = 'invoice.import.document' AND res_id = ANY(%s)", (ids,))
        cr.execute("DELETE FROM invoice_import_document WHERE id = ANY(%s)", (ids,))
        cr.commit()
