#!/usr/bin/env bash
# The demo path, end to end: invoice_import installed WITH its demo data on a new database, the sample
# mails of samples/mail/ delivered through Odoo's mail gateway (message_process), and the bills checked
# against the demo purchase orders: lines, totals, PO links, states. The checks are the Odoo test class
# invoice_import/tests/test_demo_mail.py (tag invoice_import_demo), which the ordinary tier does not run
# (it installs without demo data). Called by tests/odoo_tier.sh; same variables (tests/odoo_env.sh).
set -uo pipefail
cd "$(dirname "$0")/.."
source tests/odoo_env.sh
odoo_find || { odoo_not_found "bash tests/odoo_demo_smoke.sh"; exit 1; }
odoo_db_role || exit 1
odoo_python_deps || exit 1

db="iis_demo_$(date +%s)_$$"
log=$(mktemp -t odoo-demo-smoke.XXXXXX.log)
start=$(date +%s)
echo "odoo demo smoke: invoice_import with demo data on database $db"
"${ODOO_CMD[@]}" \
  --addons-path="$ODOO_CORE_ADDONS,$REPO" --data-dir="$(mktemp -d)" \
  --db_host="$DB_HOST" --db_port="$DB_PORT" --db_user="$DB_USER" -d "$db" \
  --http-interface=127.0.0.1 --http-port="$(odoo_free_port)" \
  -i invoice_import --test-enable --test-tags=invoice_import_demo --stop-after-init \
  --log-level=test --logfile="$log"
rc=$?
grep -E "odoo.tests.result|FAIL:|ERROR:|Traceback|ERROR $db| skipped " "$log" | head -60
odoo_drop_db "$db"
if grep -q " skipped " "$log"; then
  echo "odoo demo smoke: FAILED: the demo test was skipped (demo data not loaded?); full log: $log"
  exit 1
fi
odoo_test_report "odoo demo smoke" "$log" $rc " ($(($(date +%s) - start)) s)"
