#!/usr/bin/env bash
# The project's test command (.ci/run calls exactly this).
#
# Tiers, in this order:
#   lint     ruff over the whole tree
#   engine   pytest over tests/engine and the engines' doctests; no Odoo
#   odoo     the addons' tests inside a real Odoo 18 on PostgreSQL (tests/odoo_tier.sh), then the demo smoke
#   browser  Odoo's tours in headless Chromium (tests/odoo_browser_tier.sh), on the odoo tier's database
# Odoo comes from ../shared/odoo (unpacked once into .odoo-cache/), or from ODOO_SRC/ODOO_PYTHON
# (tests/odoo_env.sh). Outside CI a tier that cannot run says why and is skipped; with CI=true nothing is
# skipped: a tier that cannot run fails the run with its reason.
# Ends with a line per tier (result, counts, wall time) and one closing "tests: N passed, N failed" line.
set -uo pipefail
cd "$(dirname "$0")/.."

./install.sh || { echo "tests/run.sh: set-up failed"; exit 1; }
PY=.venv/bin/python
declare -A STATUS SECS
TIERS=(lint engine odoo browser)
overall=0 passed=0 failed=0
CI_MODE=false; [ "${CI:-}" = "true" ] && CI_MODE=true

# tier_done NAME STATUS START: records a tier's result and wall time.
tier_done() { STATUS[$1]=$2; SECS[$1]=$(( $(date +%s) - $3 )); }
# count LOG REGEX: sums the "N passed" and "N failed" of LOG's lines matching REGEX (pytest's closing line,
# the Odoo tiers' "label: N passed, N failed") into the run's totals, and sets counts="N passed, N failed".
# (Called as a command, not in $(...): a subshell would lose the totals.)
count() {
  local p f
  read -r p f < <(grep -E "$2" "$1" | awk '{
    for (i = 2; i <= NF; i++) { if ($i ~ /^passed/) p += $(i-1); if ($i ~ /^failed/ || $i ~ /^errors?/) f += $(i-1) }
  } END { print p + 0, f + 0 }')
  passed=$((passed + p)); failed=$((failed + f))
  counts="$p passed, $f failed"
}
# skip_or_fail TIER REASON START: a tier that cannot run is skipped outside CI and fails in CI.
skip_or_fail() {
  if $CI_MODE; then tier_done "$1" "FAILED: cannot run in CI: $2" "$3"; overall=1
  else tier_done "$1" "skipped: $2" "$3"; fi
}

echo "== tier lint"
start=$(date +%s)
if .venv/bin/ruff check . && .venv/bin/ruff format --check . >/dev/null; then
  tier_done lint "passed" "$start"
else
  .venv/bin/ruff format --check . || true
  tier_done lint "FAILED" "$start"; overall=1
fi

echo "== tier engine"
start=$(date +%s)
out=$(mktemp -t engine-tier.XXXXXX.log)
$PY -m pytest -q -p no:cacheprovider 2>&1 | tee "$out"
rc=${PIPESTATUS[0]}
count "$out" '^(=+ )?[0-9]+ (passed|failed)'
case $rc in
  0) tier_done engine "passed ($counts)" "$start" ;;
  5) tier_done engine "FAILED (no test collected)" "$start"; overall=1 ;;
  *) tier_done engine "FAILED ($counts; pytest exit $rc)" "$start"; overall=1 ;;
esac

# The Odoo tiers share one database: installed once by the odoo tier, reused by the browser tier, then dropped.
source tests/odoo_env.sh
export IIS_TEST_DB="iis_test_$(date +%s)_$$"
echo "== tier odoo"
start=$(date +%s)
odoo_ok=true
if ! odoo_find; then
  odoo_ok=false
  skip_or_fail odoo "no Odoo 18: no ../shared/odoo tarball, ODOO_SRC or importable odoo (README, 'The Odoo tier')" "$start"
else
  export ODOO_SRC ODOO_PYTHON
  out=$(mktemp -t odoo-tier.XXXXXX.log)
  ODOO_KEEP_DB=1 bash tests/odoo_tier.sh 2>&1 | tee "$out"
  rc=${PIPESTATUS[0]}
  count "$out" '^(odoo( demo smoke)?|migration): [0-9]+ passed'
  if [ "$rc" -eq 0 ]; then tier_done odoo "passed ($counts)" "$start"
  else tier_done odoo "FAILED ($counts; exit $rc)" "$start"; overall=1; fi
fi

echo "== tier browser"
start=$(date +%s)
if ! $odoo_ok; then
  skip_or_fail browser "no Odoo 18 (see the odoo tier)" "$start"
elif ! command -v chromium >/dev/null && ! command -v google-chrome >/dev/null; then
  skip_or_fail browser "no Chromium (Debian package chromium; ./install.sh installs it)" "$start"
else
  out=$(mktemp -t browser-tier.XXXXXX.log)
  bash tests/odoo_browser_tier.sh 2>&1 | tee "$out"
  rc=${PIPESTATUS[0]}
  count "$out" '^browser: [0-9]+ passed'
  if [ "$rc" -eq 0 ]; then tier_done browser "passed ($counts)" "$start"
  else tier_done browser "FAILED ($counts; exit $rc)" "$start"; overall=1; fi
fi
odoo_drop_db "$IIS_TEST_DB" 2>/dev/null

echo
echo "== test tiers"
for tier in "${TIERS[@]}"; do
  printf '  %-8s %-70s %5d s\n' "$tier" "${STATUS[$tier]}" "${SECS[$tier]}"
done
echo "tests: $passed passed, $failed failed"
exit $overall
