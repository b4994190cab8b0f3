#!/usr/bin/env bash
# Odoo tier: install the addons on a new database of a real Odoo 18 and run
# their tests (post_install TransactionCase and friends).
#
#   ODOO_SRC     Odoo 18 source tree (with odoo-bin)     default /opt/odoo18/src
#   ODOO_PYTHON  a Python with Odoo's requirements        default $ODOO_SRC/../venv/bin/python, else python3
#   ODOO_DB_*    PostgreSQL: host 127.0.0.1, port 5432, user odoo (Odoo refuses 'postgres')
#   ODOO_ADDONS  addons to install and test              default: every addon of this repo
set -uo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)
ODOO_SRC="${ODOO_SRC:-/opt/odoo18/src}"
ODOO_PYTHON="${ODOO_PYTHON:-$ODOO_SRC/../venv/bin/python}"
[ -x "$ODOO_PYTHON" ] || ODOO_PYTHON=python3
DB_HOST="${ODOO_DB_HOST:-127.0.0.1}"; DB_PORT="${ODOO_DB_PORT:-5432}"; DB_USER="${ODOO_DB_USER:-odoo}"
ADDONS="${ODOO_ADDONS:-$(for m in */__manifest__.py; do dirname "$m"; done | paste -sd, -)}"

core_addons="$ODOO_SRC/odoo/addons"
[ -d "$ODOO_SRC/addons" ] && core_addons="$ODOO_SRC/addons,$core_addons"

# The role Odoo connects with; created once (trust auth on the local server).
if ! psql -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d postgres -Atc 'select 1' >/dev/null 2>&1; then
  psql -h "$DB_HOST" -p "$DB_PORT" -U postgres -d postgres -qc "CREATE ROLE $DB_USER LOGIN CREATEDB" || exit 1
fi

# The addons' Python dependencies, in Odoo's interpreter, within Odoo's own pins.
# openapi-core and PyYAML: the fake Xero that account_sync_xero's Odoo tests start validates against Xero's spec.
# python-quickbooks and intuit-oauth: account_sync_qbo's engine; xmlschema: the fake QuickBooks checks Intuit's XSDs.
if ! "$ODOO_PYTHON" -c "import pdfplumber, pypdf, pytesseract, phonenumbers, defusedxml, charset_normalizer, numpy, xero_python, openapi_core, yaml, quickbooks, intuitlib, xmlschema" 2>/dev/null; then
  "$ODOO_PYTHON" -m pip install -q --disable-pip-version-check \
    pdfplumber pypdf pytesseract phonenumbers defusedxml charset-normalizer numpy \
    "xero-python>=15.2,<16" "openapi-core>=0.19,<0.24" "PyYAML>=6" \
    python-quickbooks==0.9.12 intuit-oauth==1.2.6 xmlschema || exit 1
fi

db="iis_test_$(date +%s)_$$"
port=$("$ODOO_PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
log=$(mktemp -t odoo-tier.XXXXXX.log)
tags=$(echo "$ADDONS" | sed 's#\([^,]*\)#/\1#g')
echo "odoo tier: $("$ODOO_PYTHON" "$ODOO_SRC/odoo-bin" --version) on database $db, addons $ADDONS"
"$ODOO_PYTHON" "$ODOO_SRC/odoo-bin" \
  --addons-path="$core_addons,$REPO" --data-dir="$(mktemp -d)" \
  --db_host="$DB_HOST" --db_port="$DB_PORT" --db_user="$DB_USER" -d "$db" \
  --http-interface=127.0.0.1 --http-port="$port" --without-demo=all \
  -i "$ADDONS" --test-enable --test-tags="$tags" --stop-after-init \
  --log-level=test --logfile="$log"
rc=$?
grep -E "odoo.tests.result|FAIL:|ERROR:|Traceback|ERROR $db" "$log" | head -80
result=$(grep -E "odoo.tests.result" "$log" | tail -1)
dropdb -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" --if-exists "$db" >/dev/null 2>&1
if [ $rc -ne 0 ] || grep -qE " (ERROR|CRITICAL) " "$log"; then
  echo "odoo tier: FAILED (exit $rc); full log: $log"
  exit 1
fi
# Closing line in the plain 'N passed, N failed' form, from Odoo's own summary.
echo "$result" | sed -nE 's/.*: ([0-9]+) failed, ([0-9]+) error\(s\) of ([0-9]+) tests.*/\1 \2 \3/p' | {
  read -r failed errors total || { echo "odoo tier: no test result line in $log"; exit 1; }
  [ "$total" -gt 0 ] || { echo "odoo tier: ran no test"; exit 1; }
  echo "odoo: $((total - failed - errors)) passed, $((failed + errors)) failed"
  [ "$failed" -eq 0 ] && [ "$errors" -eq 0 ]
}
