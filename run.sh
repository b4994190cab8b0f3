#!/usr/bin/env bash
# Set-up plus the main job.
#
#   ./run.sh                        set-up, then extract the sample shipped in samples/ into the pivot JSON
#   ./run.sh FILE [options]         set-up, then `invoice-import extract FILE [options]` (e.g. my.pdf --json)
#   ./run.sh odoo                   set-up, then Odoo 18 with invoice_import and its demo data on a new
#                                   database, serving on http://127.0.0.1:8069 (login admin, password admin)
#   ./run.sh send-sample-mail [csv|pdf|both]
#                                   mail samples/mail/*.eml to that Odoo through Odoo's own mail gateway script
#
# Odoo is found as tests/odoo_env.sh says (ODOO_SRC, ODOO_PYTHON, ODOO_DB_*, or an importable `odoo`).
# ODOO_PORT (default 8069, else a free port) and ODOO_DEMO_DB (default invoice_import_demo_<date>) choose
# the port and the database; .odoo-demo/current remembers both for send-sample-mail.
set -euo pipefail
cd "$(dirname "$0")"
STATE=.odoo-demo

odoo_demo() {
  source tests/odoo_env.sh
  odoo_find || { odoo_not_found "./run.sh odoo"; exit 1; }
  local version db port log
  version=$("${ODOO_CMD[@]}" --version 2>/dev/null || true)
  case "$version" in
    *" 18."*) ;;
    *) echo "run.sh: Odoo 18 is needed; ${ODOO_CMD[*]} says: ${version:-nothing}" >&2; exit 1 ;;
  esac
  odoo_db_role
  odoo_python_deps
  db="${ODOO_DEMO_DB:-invoice_import_demo_$(date +%Y%m%d_%H%M%S)}"
  if psql -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d postgres -Atc "select 1 from pg_database where datname = '$db'" |
    grep -q 1; then
    echo "run.sh: the database $db exists already; set ODOO_DEMO_DB to a new name, or leave it unset" >&2
    exit 1
  fi
  port=$(odoo_free_port "${ODOO_PORT:-8069}")
  mkdir -p "$STATE"
  log="$STATE/$db.install.log"
  local odoo=("${ODOO_CMD[@]}" --addons-path="$ODOO_CORE_ADDONS,$REPO" --data-dir="$REPO/$STATE/data"
    --db_host="$DB_HOST" --db_port="$DB_PORT" --db_user="$DB_USER" -d "$db" --db-filter="^$db\$")
  echo "run.sh: $version; installing invoice_import with its demo data on the new database $db"
  echo "        (a minute or two; log: $log)"
  if ! "${odoo[@]}" -i invoice_import --stop-after-init --http-port="$port" --logfile="$log" ||
    grep -qE " (ERROR|CRITICAL) " "$log"; then
    grep -E " (ERROR|CRITICAL) |Traceback" "$log" | head -20 >&2
    echo "run.sh: the installation failed; see $log" >&2
    exit 1
  fi
  printf 'db=%s\nport=%s\n' "$db" "$port" > "$STATE/current"
  cat <<EOF

  Odoo 18 with invoice_import and its demo data: http://127.0.0.1:$port  (login admin, password admin)
  database $db; the vendor bills address is bills-demo@yourcompany.example.
  Send it the demo suppliers' sample mails from another terminal:
      ./run.sh send-sample-mail csv     ACME's CSV export: two bills, matched to PO-4711 and PO-4712, posted
      ./run.sh send-sample-mail pdf     Bolt Supplies' PDF: one bill matched to PO-88123, waiting for review
  then open Accounting > Vendors > Bills. Ctrl-C stops Odoo.

EOF
  exec "${odoo[@]}" --http-interface="${ODOO_HTTP_INTERFACE:-127.0.0.1}" --http-port="$port"
}

send_sample_mail() {
  source tests/odoo_env.sh
  local kind=${1:-both} db port files mailgate=""
  case "$kind" in
    csv) files=(samples/mail/acme_invoices.eml) ;;
    pdf) files=(samples/mail/bolt_supplies_invoice.eml) ;;
    both) files=(samples/mail/acme_invoices.eml samples/mail/bolt_supplies_invoice.eml) ;;
    *) echo "usage: ./run.sh send-sample-mail [csv|pdf|both]" >&2; exit 2 ;;
  esac
  [ -f "$STATE/current" ] && source "$STATE/current"
  db="${ODOO_DEMO_DB:-${db:-}}"; port="${ODOO_PORT:-${port:-8069}}"
  [ -n "$db" ] || { echo "run.sh: no demo database: start one with ./run.sh odoo (or set ODOO_DEMO_DB)" >&2; exit 1; }
  odoo_find || { odoo_not_found "./run.sh send-sample-mail"; exit 1; }
  for dir in ${ODOO_CORE_ADDONS//,/ }; do
    [ -f "$dir/mail/static/scripts/odoo-mailgate.py" ] && mailgate="$dir/mail/static/scripts/odoo-mailgate.py"
  done
  [ -n "$mailgate" ] || { echo "run.sh: Odoo's mail/static/scripts/odoo-mailgate.py not found" >&2; exit 1; }
  for eml in "${files[@]}"; do
    echo "run.sh: $eml -> database $db on 127.0.0.1:$port (odoo-mailgate.py, as admin)"
    # the script is Python 2's: samples/mailgate/xmlrpclib.py lets Python 3 run it unchanged
    PYTHONPATH=samples/mailgate PYTHONIOENCODING=latin-1 python3 "$mailgate" \
      -d "$db" -u "${ODOO_DEMO_UID:-2}" -p "${ODOO_DEMO_PASSWORD:-admin}" --host 127.0.0.1 --port "$port" < "$eml"
  done
  echo "run.sh: delivered; the bills are at http://127.0.0.1:$port/odoo/action-account.action_move_in_invoice_type"
  echo "        (a mail is taken once: Odoo ignores a Message-Id it has already received)"
}

./install.sh
case "${1:-}" in
  odoo) odoo_demo ;;
  send-sample-mail) shift; send_sample_mail "$@" ;;
  *)
    if [ $# -eq 0 ]; then
      set -- samples/bolt_supplies_invoice.pdf --format samples/formats/bolt_supplies_pdf.json --json
    fi
    exec .venv/bin/invoice-import extract "$@"
    ;;
esac
