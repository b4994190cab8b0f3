"""What the benches that run inside Odoo share: finding Odoo, a throw-away database, an environment, received POs.

Odoo is found the way ``tests/odoo_tier.sh`` finds it: ``ODOO_SRC`` if
given, else the tree the project's scripts unpacked from ``../shared/odoo``
into ``ODOO_CACHE`` (``.odoo-cache/<checksum>/odoo-18.0``; run the test
command, or ``tests/odoo_env.sh``'s ``odoo_find``, once to prepare it), else
``/opt/odoo18/src``; its Python ``ODOO_PYTHON`` (default
``$ODOO_SRC/../venv/bin/python``) and PostgreSQL from ``ODOO_DB_HOST``,
``ODOO_DB_PORT`` and ``ODOO_DB_USER``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _default_odoo_src() -> Path:
    """The tree ``tests/odoo_env.sh`` unpacked from the shared tarball (it keeps one), else /opt/odoo18/src."""
    cache = Path(os.environ.get("ODOO_CACHE", REPO / ".odoo-cache"))
    unpacked = sorted(marker.parent / "odoo-18.0" for marker in cache.glob("*/.unpacked"))
    return unpacked[0] if unpacked else Path("/opt/odoo18/src")


ODOO_SRC = Path(os.environ["ODOO_SRC"]) if os.environ.get("ODOO_SRC") else _default_odoo_src()
ODOO_PYTHON = Path(os.environ.get("ODOO_PYTHON", ODOO_SRC.parent / "venv" / "bin" / "python"))
DB_OPTIONS = [
    f"--db_host={os.environ.get('ODOO_DB_HOST', '127.0.0.1')}",
    f"--db_port={os.environ.get('ODOO_DB_PORT', '5432')}",
    f"--db_user={os.environ.get('ODOO_DB_USER', 'odoo')}",
]


def addons_path() -> str:
    core = [ODOO_SRC / "addons", ODOO_SRC / "odoo" / "addons"]
    return ",".join(str(path) for path in core if path.is_dir()) + f",{REPO}"


def run_in_odoo_python() -> None:
    """Run this script again in Odoo's Python, whose packages Odoo needs, unless it already is."""
    venv = ODOO_PYTHON.parent.parent
    if ODOO_PYTHON.is_file() and Path(sys.prefix).resolve() != venv.resolve() and "ODOO_BENCH_REEXEC" not in os.environ:
        os.environ["ODOO_BENCH_REEXEC"] = "1"
        os.execv(str(ODOO_PYTHON), [str(ODOO_PYTHON), *sys.argv])


def create_database(name: str, addons: str, log: Path) -> None:
    """A new database with ``addons`` installed and no demo data, by ``odoo-bin`` as an administrator would.

    With ``IIS_BENCH_TEMPLATE=<prefix>`` the installed database is kept as a template ``<prefix>_<addons>``
    and later runs copy it (seconds, not the two minutes of an install): for comparing code changes that
    touch no field, view or data file, which an old template would not have.  Drop the templates after.
    """
    prefix = os.environ.get("IIS_BENCH_TEMPLATE")
    if prefix:
        template = f"{prefix}_{''.join(c if c.isalnum() else '_' for c in addons)}"
        if not _database_exists(template):
            _install(template, addons, log)
        host, port, user = (option.split("=", 1)[1] for option in DB_OPTIONS)
        subprocess.run(["createdb", "-h", host, "-p", port, "-U", user, "-T", template, name], check=True)
        return
    _install(name, addons, log)


def _database_exists(name: str) -> bool:
    host, port, user = (option.split("=", 1)[1] for option in DB_OPTIONS)
    query = f"SELECT 1 FROM pg_database WHERE datname = '{name}'"
    found = subprocess.run(
        ["psql", "-h", host, "-p", port, "-U", user, "-d", "postgres", "-Atc", query],
        check=True,
        capture_output=True,
        text=True,
    )
    return found.stdout.strip() == "1"


def _install(name: str, addons: str, log: Path) -> None:
    subprocess.run(
        [
            str(ODOO_PYTHON),
            str(ODOO_SRC / "odoo-bin"),
            f"--addons-path={addons_path()}",
            f"--data-dir={tempfile.mkdtemp(prefix='odoo-bench-')}",
            *DB_OPTIONS,
            "-d",
            name,
            "--without-demo=all",
            "-i",
            addons,
            "--stop-after-init",
            "--http-port=0",
            f"--logfile={log}",
        ],
        check=True,
    )


def drop_database(name: str) -> None:
    """Drop it as ``tests/odoo_tier.sh`` does, after Odoo closed its connections."""
    import odoo.sql_db

    odoo.sql_db.close_all()
    host, port, user = (option.split("=", 1)[1] for option in DB_OPTIONS)
    subprocess.run(["dropdb", "-h", host, "-p", port, "-U", user, "--if-exists", name], check=True)


_configured = []  # the database Odoo's configuration was parsed for, once per process


def registry(database: str, config: str | None = None):
    """Odoo's registry of ``database`` in this process (``config``: an odoo.conf, else ODOO_DB_* as above).

    Odoo's configuration is read once per process (it cannot be parsed twice): a second database, as
    ``pipeline.py`` opens beside the first, shares the first one's options."""
    sys.path.insert(0, str(ODOO_SRC))
    import odoo

    if not _configured:
        options = ["-c", config] if config else [*DB_OPTIONS, f"--data-dir={tempfile.mkdtemp(prefix='odoo-bench-')}"]
        odoo.tools.config.parse_config([*options, "-d", database, f"--addons-path={addons_path()}"])
        _configured.append(database)
    return odoo.modules.registry.Registry(database)


def mark_received(env, orders) -> None:
    """Every line of ``orders`` received in full, in one statement (no stock app: the received quantity is manual)."""
    env.flush_all()
    env.cr.execute(
        "UPDATE purchase_order_line SET qty_received = product_qty, qty_received_manual = product_qty"
        " WHERE order_id = ANY(%s)",
        (orders.ids,),
    )
    env.invalidate_all()
