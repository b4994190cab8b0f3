#!/usr/bin/env bash
# Odoo tier: install the addons on a new database of a real Odoo 18 and run
# their tests (post_install TransactionCase and friends).
#
# Odoo is found as tests/odoo_env.sh says (../shared/odoo, or ODOO_SRC / ODOO_PYTHON); ODOO_DB_* as there.
#   ODOO_ADDONS  addons to install and test              default: every addon of this repo
#   ODOO_DEMO_SMOKE=0  skip tests/odoo_demo_smoke.sh (run when invoice_import is among the addons)
#   ODOO_MIGRATION=0   skip tests/odoo_migration.sh (run when project_job is among the addons: an invoice_import
#                      database of before project_job, upgraded with this checkout)
#   IIS_TEST_DB  the database's name (default iis_test_<time>_<pid>); ODOO_KEEP_DB=1 keeps it afterwards,
#                so that tests/odoo_browser_tier.sh runs its tours on it without installing again
# The browser tours (tag iis_browser) are left to tests/odoo_browser_tier.sh.
set -uo pipefail
cd "$(dirname "$0")/.."
source tests/odoo_env.sh
ADDONS="${ODOO_ADDONS:-$(for m in */__manifest__.py; do dirname "$m"; done | paste -sd, -)}"
odoo_find || { odoo_not_found "bash tests/odoo_tier.sh"; exit 1; }
odoo_db_role || exit 1
odoo_python_deps || exit 1

db="${IIS_TEST_DB:-iis_test_$(date +%s)_$$}"
port=$(odoo_free_port)
log=$(mktemp -t odoo-tier.XXXXXX.log)
# ODOO_TEST_TAGS narrows a run while working (e.g. /invoice_import:TestReceivableImport); default: every test.
tags="${ODOO_TEST_TAGS:-$(echo "$ADDONS" | sed 's#\([^,]*\)#/\1#g'),-iis_browser}"
echo "odoo tier: $("${ODOO_CMD[@]}" --version) on database $db, addons $ADDONS"
"${ODOO_CMD[@]}" \
  --addons-path="$ODOO_CORE_ADDONS,$REPO" --data-dir="$(odoo_data_dir "$db")" \
  --db_host="$DB_HOST" --db_port="$DB_PORT" --db_user="$DB_USER" -d "$db" \
  --http-interface=127.0.0.1 --http-port="$port" --without-demo=all \
  -i "$ADDONS" --test-enable --test-tags="$tags" --stop-after-init \
  --log-level=test --logfile="$log"
rc=$?
grep -E "odoo.tests.result|FAIL:|ERROR:|Traceback|ERROR $db" "$log" | head -80
[ "${ODOO_KEEP_DB:-0}" = 1 ] || odoo_drop_db "$db"
odoo_test_report odoo "$log" $rc
status=$?

# The demo path (invoice_import with its demo data, the sample mails): a database of its own.
if [[ ",$ADDONS," == *,invoice_import,* ]] && [ "${ODOO_DEMO_SMOKE:-1}" != 0 ]; then
  bash tests/odoo_demo_smoke.sh || status=1
fi

# The upgrade of a database of before project_job (invoice_import from git): a database of its own.
if [[ ",$ADDONS," == *,project_job,* ]] && [ "${ODOO_MIGRATION:-1}" != 0 ]; then
  bash tests/odoo_migration.sh || status=1
fi
exit $status
