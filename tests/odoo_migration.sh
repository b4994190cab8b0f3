#!/usr/bin/env bash
# Migration check (issue 15): jobs moved from invoice_import into project_job. A new database gets the
# invoice_import of before the move (with account_sync, hence account_sync_job), from git, and jobs data
# (tests/migration/project_job_before.py: a job with its type, site and work order, other jobs, a purchase
# order in euros for the job); then `-u invoice_import,account_sync,account_sync_job` with this checkout's code (an
# administrator updates every addon whose code changed: account_sync has new models too), which installs project_job;
# then tests/migration/project_job_after.py checks that the data, the job XML ids (same records, now
# project_job's), the numbering and the screens survived. Prints "migration: N passed, N failed".
#
#   MIGRATION_FROM  the git revision of the old addons   default: the parent of the commit that added project_job
# Same variables as tests/odoo_tier.sh (tests/odoo_env.sh). 70 s on the 2-core machine at load 2 (10.5 min at load
# 15), most of it installing the old addons. tests/odoo_tier.sh runs it when project_job is among its addons
# (ODOO_MIGRATION=0 skips it).
set -uo pipefail
cd "$(dirname "$0")/.."
source tests/odoo_env.sh
odoo_find || { odoo_not_found "bash tests/odoo_migration.sh"; exit 1; }
odoo_db_role || exit 1
odoo_python_deps || exit 1

start=$(date +%s)
# The old addons come from git history: a shallow clone fetches it first, and
# says plainly when it cannot (the check needs the revision before project_job).
if [ -z "${MIGRATION_FROM:-}" ] && [ "$(git rev-parse --is-shallow-repository)" = true ] &&
    ! git fetch -q --unshallow 2>/dev/null; then
  echo "migration: skipped: a shallow clone without its history (git fetch --unshallow failed; set MIGRATION_FROM)"
  exit 0
fi
from="${MIGRATION_FROM:-$(git log --diff-filter=A --format=%H -- project_job/__manifest__.py | tail -1)^}"
old=$(mktemp -d -t iis-migration.XXXXXX)
if ! git archive "$from" invoice_import account_sync account_sync_job | tar -x -C "$old" ||
    [ -d "$old/project_job" ] || [ ! -f "$old/invoice_import/__manifest__.py" ]; then
  echo "migration: FAILED: no invoice_import of before project_job at $from (a shallow clone? set MIGRATION_FROM)"
  rm -rf "$old"; exit 1
fi
db="iis_migration_$(date +%s)_$$"
state="$old/state.json"
log=$(mktemp -t odoo-migration.XXXXXX.log)
common=(--db_host="$DB_HOST" --db_port="$DB_PORT" --db_user="$DB_USER" -d "$db" --data-dir="$(odoo_data_dir "$db")"
  --logfile="$log")
# odoo ADDONS_DIR ARGS...: Odoo on the test database with the addons of ADDONS_DIR
odoo() { local dir=$1; shift; "${ODOO_CMD[@]}" "$@" --addons-path="$ODOO_CORE_ADDONS,$dir" "${common[@]}"; }
# shell ADDONS_DIR SCRIPT: SCRIPT in odoo-bin shell (stdout: its own lines)
shell() { MIGRATION_STATE="$state" odoo "$1" shell --no-http < "$2"; }

echo "migration: invoice_import of $(git rev-parse --short "$from") on database $db"
status=0
odoo "$old" --http-port="$(odoo_free_port)" --without-demo=all -i invoice_import,account_sync --stop-after-init &&
  shell "$old" tests/migration/project_job_before.py &&
  odoo "$REPO" --http-port="$(odoo_free_port)" -u invoice_import,account_sync,account_sync_job --stop-after-init &&
  shell "$REPO" tests/migration/project_job_after.py | tee "$old/after.out" || status=1
grep -E " (ERROR|CRITICAL) |Traceback" "$log" | head -20
grep -qE " (ERROR|CRITICAL) " "$log" && status=1
grep -q "^migration: [0-9]* passed, 0 failed" "$old/after.out" 2>/dev/null || status=1
odoo_drop_db "$db"
rm -rf "$old"
if [ $status = 0 ]; then echo "migration: passed ($(($(date +%s) - start)) s)"
else echo "migration: FAILED; full log: $log"; fi
exit $status
