#!/usr/bin/env bash
# The project's test command (.ci/run calls exactly this).
#
# Tiers:
#   lint    ruff over the whole tree
#   engine  pytest over tests/engine and the engines' doctests; no Odoo
#   odoo    the addons' tests inside a real Odoo 18 on PostgreSQL; runs only
#           when an Odoo 18 source tree is found (ODOO_SRC, else /opt/odoo18/src)
# Prints one line per tier saying whether it ran, passed, or was skipped and why.
set -uo pipefail
cd "$(dirname "$0")/.."

./install.sh || { echo "tests/run.sh: set-up failed"; exit 1; }
PY=.venv/bin/python
declare -A STATUS
overall=0

echo "== tier lint"
if .venv/bin/ruff check . && .venv/bin/ruff format --check . >/dev/null; then
  STATUS[lint]="ran: passed"
else
  .venv/bin/ruff format --check . || true
  STATUS[lint]="ran: FAILED"; overall=1
fi

echo "== tier engine"
$PY -m pytest -q -p no:cacheprovider
rc=$?
case $rc in
  0) STATUS[engine]="ran: passed" ;;
  5) STATUS[engine]="ran: FAILED (no test collected)"; overall=1 ;;
  *) STATUS[engine]="ran: FAILED (pytest exit $rc)"; overall=1 ;;
esac

echo "== tier odoo"
ODOO_SRC="${ODOO_SRC:-/opt/odoo18/src}"
if [ -x "$ODOO_SRC/odoo-bin" ] && [ -f tests/odoo_tier.sh ]; then
  bash tests/odoo_tier.sh
  rc=$?
  if [ $rc -eq 0 ]; then STATUS[odoo]="ran: passed"; else STATUS[odoo]="ran: FAILED (exit $rc)"; overall=1; fi
elif [ -x "$ODOO_SRC/odoo-bin" ]; then
  STATUS[odoo]="skipped: tests/odoo_tier.sh not present yet"
else
  STATUS[odoo]="skipped: no Odoo 18 at ODOO_SRC=$ODOO_SRC (Odoo is not on the package index; see README, 'Odoo tier')"
  if [ "${CI:-}" = "true" ]; then :; fi
fi

echo
echo "== test tiers"
for tier in lint engine odoo; do
  printf '  %-7s %s\n' "$tier" "${STATUS[$tier]}"
done
exit $overall
