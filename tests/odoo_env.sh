# Sourced (bash) by tests/odoo_tier.sh, tests/odoo_demo_smoke.sh and run.sh: where Odoo 18 is, and
# PostgreSQL and Odoo's Python made ready for this repository's addons.
#
#   ODOO_SRC     Odoo 18 source tree (with odoo-bin)     default /opt/odoo18/src
#   ODOO_PYTHON  a Python with Odoo's requirements        default $ODOO_SRC/../venv/bin/python, else python3
#   ODOO_DB_*    PostgreSQL: host 127.0.0.1, port 5432, user odoo (Odoo refuses 'postgres')
#
# Sets REPO, ODOO_SRC, ODOO_PYTHON, DB_HOST, DB_PORT, DB_USER; odoo_find sets ODOO_CMD and ODOO_CORE_ADDONS.
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ODOO_SRC="${ODOO_SRC:-/opt/odoo18/src}"
ODOO_PYTHON="${ODOO_PYTHON:-$ODOO_SRC/../venv/bin/python}"
[ -x "$ODOO_PYTHON" ] || ODOO_PYTHON=python3
DB_HOST="${ODOO_DB_HOST:-127.0.0.1}"; DB_PORT="${ODOO_DB_PORT:-5432}"; DB_USER="${ODOO_DB_USER:-odoo}"

# Odoo's command (ODOO_CMD, an array) and its own addons folders (ODOO_CORE_ADDONS, comma-separated):
# the source tree at ODOO_SRC, else an `odoo` package ODOO_PYTHON can import. Returns 1 when neither exists.
odoo_find() {
  local package
  if [ -x "$ODOO_SRC/odoo-bin" ]; then
    ODOO_CMD=("$ODOO_PYTHON" "$ODOO_SRC/odoo-bin")
    ODOO_CORE_ADDONS="$ODOO_SRC/odoo/addons"
    [ -d "$ODOO_SRC/addons" ] && ODOO_CORE_ADDONS="$ODOO_SRC/addons,$ODOO_CORE_ADDONS"
    return 0
  fi
  package=$("$ODOO_PYTHON" -c 'import os, odoo; print(os.path.dirname(odoo.__file__))' 2>/dev/null) || return 1
  [ -n "$package" ] || return 1
  ODOO_CMD=("$ODOO_PYTHON" -m odoo)
  ODOO_CORE_ADDONS="$package/addons"
  [ -d "$package/../addons" ] && ODOO_CORE_ADDONS="$(cd "$package/../addons" && pwd),$ODOO_CORE_ADDONS"
  return 0
}

odoo_not_found() {
  cat >&2 <<EOF
No Odoo 18 found: neither a source tree at ODOO_SRC=$ODOO_SRC (with odoo-bin) nor an 'odoo' package
that $ODOO_PYTHON can import.
Odoo is not on the package index, so this project cannot install it. Get an Odoo 18 source tree and a
Python with its requirements (README, "The Odoo tier: getting Odoo 18"), then either
  ODOO_SRC=/path/to/odoo18 ODOO_PYTHON=/path/to/venv/bin/python $1
or make 'import odoo' work in ODOO_PYTHON (default python3).
EOF
}

# The role Odoo connects with; created once (trust auth on the local server).
odoo_db_role() {
  psql -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d postgres -Atc 'select 1' >/dev/null 2>&1 ||
    psql -h "$DB_HOST" -p "$DB_PORT" -U postgres -d postgres -qc "CREATE ROLE $DB_USER LOGIN CREATEDB"
}

# The addons' Python dependencies, in Odoo's interpreter, within Odoo's own pins.
# openapi-core and PyYAML: the fake Xero that account_sync_xero's Odoo tests start validates against Xero's spec.
# python-quickbooks and intuit-oauth: account_sync_qbo's engine; xmlschema: the fake QuickBooks checks Intuit's XSDs.
odoo_python_deps() {
  "$ODOO_PYTHON" -c "import pdfplumber, pypdf, pytesseract, phonenumbers, defusedxml, charset_normalizer, numpy, xero_python, openapi_core, yaml, quickbooks, intuitlib, xmlschema" 2>/dev/null ||
    "$ODOO_PYTHON" -m pip install -q --disable-pip-version-check \
      pdfplumber pypdf pytesseract phonenumbers defusedxml charset-normalizer numpy \
      "xero-python>=15.2,<16" "openapi-core>=0.19,<0.24" "PyYAML>=6" \
      python-quickbooks==0.9.12 intuit-oauth==1.2.6 xmlschema
}

# A TCP port nobody listens on, or $1 when it is free.
odoo_free_port() {
  "$ODOO_PYTHON" - "${1:-0}" <<'EOF'
import socket, sys
for port in (int(sys.argv[1]), 0):
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", port))
    except OSError:
        continue
    print(s.getsockname()[1])
    break
EOF
}

odoo_drop_db() {
  dropdb -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" --if-exists "$1" >/dev/null 2>&1
}

# The closing line "$1: N passed, N failed" from Odoo's own summary in log $2 (Odoo's exit status $3).
# Fails on a non-zero exit, an ERROR or CRITICAL line, no test run, or a failed test.
odoo_test_report() {
  local label=$1 log=$2 rc=$3 failed errors total
  if [ "$rc" -ne 0 ] || grep -qE " (ERROR|CRITICAL) " "$log"; then
    echo "$label: FAILED (exit $rc); full log: $log"
    return 1
  fi
  read -r failed errors total < <(grep -E "odoo.tests.result" "$log" | tail -1 |
    sed -nE 's/.*: ([0-9]+) failed, ([0-9]+) error\(s\) of ([0-9]+) tests.*/\1 \2 \3/p')
  [ -n "${total:-}" ] || { echo "$label: no test result line in $log"; return 1; }
  [ "$total" -gt 0 ] || { echo "$label: ran no test"; return 1; }
  echo "$label: $((total - failed - errors)) passed, $((failed + errors)) failed${4:-}"
  [ "$failed" -eq 0 ] && [ "$errors" -eq 0 ]
}
