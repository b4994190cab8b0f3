# Sourced (bash) by tests/odoo_tier.sh, tests/odoo_browser_tier.sh, tests/odoo_demo_smoke.sh and run.sh:
# where Odoo 18 is, and PostgreSQL and Odoo's Python made ready for this repository's addons.
#
#   ODOO_SRC     an Odoo 18 source tree (with odoo-bin) of your own        default: see below
#   ODOO_PYTHON  a Python with Odoo's requirements                          default: see below
#   ODOO_DB_*    PostgreSQL: host 127.0.0.1, port 5432, user odoo (Odoo refuses 'postgres')
#   ODOO_CACHE   where the tree from ../shared/odoo is unpacked and its venv built  default .odoo-cache
#
# Where Odoo comes from, first found wins:
#   1. ODOO_SRC given: that tree, with ODOO_PYTHON (default $ODOO_SRC/../venv/bin/python, else python3);
#   2. ../shared/odoo/odoo-18.0.*.tar.gz beside the checkout: unpacked once into $ODOO_CACHE/<checksum>/
#      (reused while the tarball's checksum is unchanged) with a virtualenv built there from
#      ../shared/odoo/requirements-python3.11.txt (odoo_prepare does both);
#   3. /opt/odoo18/src, then an `odoo` package that ODOO_PYTHON imports.
#
# Sets REPO, ODOO_SRC, ODOO_PYTHON, DB_HOST, DB_PORT, DB_USER; odoo_find sets ODOO_CMD and ODOO_CORE_ADDONS.
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SHARED_ODOO="${SHARED_ODOO:-$REPO/../shared/odoo}"
ODOO_CACHE="${ODOO_CACHE:-$REPO/.odoo-cache}"
ODOO_SRC_GIVEN="${ODOO_SRC:-}"
ODOO_PYTHON_GIVEN="${ODOO_PYTHON:-}"
DB_HOST="${ODOO_DB_HOST:-127.0.0.1}"; DB_PORT="${ODOO_DB_PORT:-5432}"; DB_USER="${ODOO_DB_USER:-odoo}"

# The shared release tarball, or nothing.
odoo_shared_tarball() {
  local t
  for t in "$SHARED_ODOO"/odoo-18.0.*.tar.gz; do
    [ -f "$t" ] && { echo "$t"; return 0; }
  done
  return 1
}

# Unpacks the shared tarball into $ODOO_CACHE/<sha>/ and builds its virtualenv, once per checksum.
# Sets ODOO_SRC and ODOO_PYTHON. A half-finished earlier attempt is started again, never reused.
odoo_prepare_shared() {
  local tarball=$1 sha dir
  sha=$(sha256sum "$tarball" | cut -c1-16)
  dir="$ODOO_CACHE/$sha"
  if [ ! -f "$dir/.unpacked" ]; then
    echo "odoo: unpacking $(basename "$tarball") into $dir (once per tarball checksum)" >&2
    rm -rf "$dir" && mkdir -p "$dir" || return 1
    tar -xzf "$tarball" -C "$dir" || { echo "odoo: cannot unpack $tarball" >&2; return 1; }
    [ -x "$dir/odoo-18.0/odoo-bin" ] || { echo "odoo: $tarball holds no odoo-18.0/odoo-bin" >&2; return 1; }
    touch "$dir/.unpacked"
  fi
  local reqs="$SHARED_ODOO/requirements-python3.11.txt" want
  want=$(cat "$reqs" 2>/dev/null | sha256sum | cut -c1-16)
  if [ ! -x "$dir/venv/bin/python" ] || [ "$(cat "$dir/venv/.requirements" 2>/dev/null)" != "$want" ]; then
    echo "odoo: building Odoo's Python environment in $dir/venv from $(basename "$reqs") (a few minutes, once)" >&2
    rm -rf "$dir/venv"
    "${PYTHON:-python3}" -m venv "$dir/venv" || return 1
    "$dir/venv/bin/pip" install -q --disable-pip-version-check -r "$reqs" \
      2> >(grep -v "^WARNING: Location 'file:" >&2) || { echo "odoo: pip could not install $reqs" >&2; return 1; }
    echo "$want" > "$dir/venv/.requirements"
  fi
  # Old unpacked trees (another tarball checksum) are removed: they are a few hundred MB each.
  find "$ODOO_CACHE" -mindepth 1 -maxdepth 1 -type d ! -name "$sha" -exec rm -rf {} + 2>/dev/null
  ODOO_SRC="$dir/odoo-18.0"
  ODOO_PYTHON="$dir/venv/bin/python"
}

if [ -n "$ODOO_SRC_GIVEN" ]; then
  ODOO_SRC="$ODOO_SRC_GIVEN"
  ODOO_PYTHON="${ODOO_PYTHON_GIVEN:-$ODOO_SRC/../venv/bin/python}"
elif SHARED_TARBALL=$(odoo_shared_tarball); then
  ODOO_SRC=""   # set by odoo_find -> odoo_prepare_shared, which may take minutes the first time
  ODOO_PYTHON="${ODOO_PYTHON_GIVEN:-}"
else
  ODOO_SRC=/opt/odoo18/src
  ODOO_PYTHON="${ODOO_PYTHON_GIVEN:-$ODOO_SRC/../venv/bin/python}"
fi

# Odoo's command (ODOO_CMD, an array) and its own addons folders (ODOO_CORE_ADDONS, comma-separated):
# the source tree (given, or prepared from ../shared/odoo), else an `odoo` package ODOO_PYTHON can import.
# Returns 1 when none exists or the shared tree cannot be prepared.
odoo_find() {
  local package
  if [ -z "$ODOO_SRC" ] && [ -n "${SHARED_TARBALL:-}" ]; then
    odoo_prepare_shared "$SHARED_TARBALL" || return 1
    [ -n "$ODOO_PYTHON_GIVEN" ] && ODOO_PYTHON="$ODOO_PYTHON_GIVEN"
  fi
  [ -x "${ODOO_PYTHON:-}" ] || ODOO_PYTHON=python3
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
  cat >&2 <<EOF2
No Odoo 18 found: no ../shared/odoo/odoo-18.0.*.tar.gz beside the checkout (or it could not be prepared),
no source tree at ODOO_SRC=${ODOO_SRC:-/opt/odoo18/src} (with odoo-bin), and no 'odoo' package that
${ODOO_PYTHON:-python3} can import.
Point the project at an Odoo 18.0 source checkout and a Python with its requirements.txt installed:
  ODOO_SRC=/path/to/odoo-18.0 ODOO_PYTHON=/path/to/venv/bin/python $1
(README, "The Odoo tier: where Odoo 18 comes from").
EOF2
}

# The role Odoo connects with; created once (trust auth on the local server).
odoo_db_role() {
  psql -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d postgres -Atc 'select 1' >/dev/null 2>&1 ||
    psql -h "$DB_HOST" -p "$DB_PORT" -U postgres -d postgres -qc "CREATE ROLE $DB_USER LOGIN CREATEDB"
}

# The addons' Python dependencies, in Odoo's interpreter, within Odoo's own pins.
# openapi-core and PyYAML: the fake Xero that account_sync_xero's Odoo tests start validates against Xero's spec.
# python-quickbooks and intuit-oauth: account_sync_qbo's engine; xmlschema: the fake QuickBooks checks Intuit's XSDs.
# websocket-client: Odoo's HttpCase drives Chromium through it (the browser tier); without it tours are skipped.
odoo_python_deps() {
  local pins=()
  [ -f "$SHARED_ODOO/requirements-python3.11.txt" ] && pins=(-c "$SHARED_ODOO/requirements-python3.11.txt")
  "$ODOO_PYTHON" -c "import pdfplumber, pypdf, pytesseract, phonenumbers, stdnum, defusedxml, charset_normalizer, numpy, pillow_heif, xero_python, openapi_core, yaml, quickbooks, intuitlib, xmlschema, websocket" 2>/dev/null ||
    "$ODOO_PYTHON" -m pip install -q --disable-pip-version-check "${pins[@]}" \
      pdfplumber pypdf pytesseract phonenumbers python-stdnum defusedxml charset-normalizer numpy pillow-heif \
      "xero-python>=15.2,<16" "openapi-core>=0.19,<0.24" "PyYAML>=6" \
      python-quickbooks==0.9.12 intuit-oauth==1.2.6 xmlschema websocket-client \
      2> >(grep -v "^WARNING: Location 'file:" >&2)
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

# The data directory (filestore: attachments, built asset bundles) of database $1. One per database, so that a
# database kept by the odoo tier and reused by the browser tier still finds its files (a fresh one would leave
# every attachment missing and rebuild every asset bundle). Removed with the database.
odoo_data_dir() {
  echo "${ODOO_DATA_ROOT:-${TMPDIR:-/tmp}/iis-odoo-data}/$1"
}

odoo_drop_db() {
  dropdb -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" --if-exists "$1" >/dev/null 2>&1
  rm -rf "$(odoo_data_dir "$1")"
}

# The closing line "$1: N passed, N failed" from Odoo's own summary in log $2 (Odoo's exit status $3; $4 is
# appended to the line). Fails on a non-zero exit, an ERROR or CRITICAL line, no test run, or a failed test.
odoo_test_report() {
  local label=$1 log=$2 rc=$3 failed errors total
  read -r failed errors total < <(grep -E "odoo.tests.result" "$log" | tail -1 |
    sed -nE 's/.*: ([0-9]+) failed, ([0-9]+) error\(s\) of ([0-9]+) tests.*/\1 \2 \3/p')
  if [ -n "${total:-}" ]; then
    echo "$label: $((total - failed - errors)) passed, $((failed + errors)) failed${4:-}"
  fi
  if [ "$rc" -ne 0 ] || grep -qE " (ERROR|CRITICAL) " "$log"; then
    echo "$label: FAILED (exit $rc); full log: $log"
    return 1
  fi
  [ -n "${total:-}" ] || { echo "$label: no test result line in $log"; return 1; }
  [ "$total" -gt 0 ] || { echo "$label: ran no test"; return 1; }
  [ "$failed" -eq 0 ] && [ "$errors" -eq 0 ]
}
