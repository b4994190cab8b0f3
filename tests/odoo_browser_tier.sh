#!/usr/bin/env bash
# Browser tier: the addons' tours (Odoo's HttpCase.start_tour, tours in <addon>/static/tests/tours/) in a
# real headless Chromium, driven by Odoo's own test runner. The tests carry the tag iis_browser, which
# the odoo tier leaves out, so this tier runs alone:
#     bash tests/odoo_browser_tier.sh
# On IIS_TEST_DB when that database exists (tests/run.sh keeps the odoo tier's), else on a new database
# with the addons installed (dropped afterwards). A tour that Odoo skips (no Chromium, no websocket-client)
# fails the tier: a browser tier that ran no browser passed nothing. A console error fails its tour
# (Odoo's own rule). Same variables as tests/odoo_tier.sh.
set -uo pipefail
cd "$(dirname "$0")/.."
source tests/odoo_env.sh
ADDONS="${ODOO_ADDONS:-$(for m in */__manifest__.py; do dirname "$m"; done | paste -sd, -)}"
odoo_find || { odoo_not_found "bash tests/odoo_browser_tier.sh"; exit 1; }
odoo_db_role || exit 1
odoo_python_deps || exit 1

db="${IIS_TEST_DB:-}"
install=(-i "$ADDONS" --without-demo=all)
if [ -n "$db" ] && psql -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d postgres -Atc \
    "select 1 from pg_database where datname = '$db'" 2>/dev/null | grep -q 1; then
  install=()   # the odoo tier's database, addons installed: post_install tests run on what is installed
  keep=1
else
  db="iis_browser_$(date +%s)_$$"
  keep=0
fi
# run_tours TAGS LOG [INSTALL...]: Odoo's test runner on the tours of TAGS, logging to LOG; its exit status.
# Odoo runs in a session of its own (setsid), killed whole once Odoo is done: a Chromium that Odoo gave up
# waiting for (the late start below) is never stopped by Odoo, and would keep this script's output pipe open
# (tests/run.sh would wait for it forever).
run_tours() {
  local tags=$1 out=$2 pid rc; shift 2
  setsid "${ODOO_CMD[@]}" \
    --addons-path="$ODOO_CORE_ADDONS,$REPO" --data-dir="$(odoo_data_dir "$db")" \
    --db_host="$DB_HOST" --db_port="$DB_PORT" --db_user="$DB_USER" -d "$db" \
    --http-interface=127.0.0.1 --http-port="$(odoo_free_port)" "$@" \
    --test-enable --test-tags="$tags" --stop-after-init \
    --log-level=test --logfile="$out" &
  pid=$!
  wait "$pid"
  rc=$?
  pkill -KILL -s "$pid" 2>/dev/null
  return $rc
}
# each failing test and the tour step it stopped at (Odoo logs the step and its trigger; screenshots are named
# in the full log)
show_failures() {
  grep -E "odoo.tests.result|(FAIL|ERROR): |FAILED: \[[0-9]+/[0-9]+\] Tour|ERROR $db .*(Error|error)| skipped |Skipping" "$1" |
    grep -v "^----------" | cut -c1-400 | head -60
}
SKIPPED="unittest.SkipTest|skipped|websocket-client module is not installed|Chrome executable not found"
# Odoo waits a fixed number of polls (about 10 s) for a new Chromium to open its devtools port, and skips the
# test when it is late, which happens on a loaded 2-core machine. Such tests are run once more; any other
# skip, or a second late start, fails the tier.
LATE_START="Failed to detect chrome devtools port"

log=$(mktemp -t odoo-browser.XXXXXX.log)
echo "browser tier: $("${ODOO_CMD[@]}" --version) on database $db ($([ $keep = 1 ] && echo reused || echo new))"
run_tours "${ODOO_BROWSER_TAGS:-iis_browser}" "$log" "${install[@]}"
rc=$?
show_failures "$log"
skips=$(grep -cE "$SKIPPED" "$log")
late=$(grep -E " skipped .*$LATE_START" "$log" |
  sed -nE 's/.* odoo\.addons\.([a-z_0-9]+)\.tests\.[a-z_0-9]+: skipped ([A-Za-z_0-9]+\.[A-Za-z_0-9]+) .*/\/\1:\2/p' | paste -sd, -)
if [ "$skips" -gt 0 ] && [ -n "$late" ] && [ "$skips" -eq "$(grep -cE "$LATE_START" "$log")" ]; then
  echo "browser: Chromium started late for $late: running those again"
  retry_log=$(mktemp -t odoo-browser-retry.XXXXXX.log)
  run_tours "$late" "$retry_log"
  retry_rc=$?
  show_failures "$retry_log"
  if grep -qE "$SKIPPED" "$retry_log" || ! odoo_test_report "browser (again)" "$retry_log" $retry_rc >/dev/null; then
    echo "browser: FAILED: the tours run again failed or were skipped again; full log: $retry_log"
    [ $keep = 1 ] || odoo_drop_db "$db"
    exit 1
  fi
  skips=0
fi
[ $keep = 1 ] || odoo_drop_db "$db"
if [ "$skips" -gt 0 ]; then
  echo "browser: FAILED: a tour was skipped (no Chromium or websocket-client?); full log: $log"
  exit 1
fi
odoo_test_report browser "$log" $rc
