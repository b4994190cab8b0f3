#!/usr/bin/env bash
# Set-up plus the main job: extract a supplier invoice into the pivot JSON.
# Without arguments it reads the sample shipped in samples/; any arguments
# are passed to `invoice-import extract` instead (e.g. ./run.sh my.pdf --json).
set -euo pipefail
cd "$(dirname "$0")"
./install.sh
if [ $# -eq 0 ]; then
  set -- samples/bolt_supplies_invoice.pdf --format samples/formats/bolt_supplies_pdf.json --json
fi
exec .venv/bin/invoice-import extract "$@"
