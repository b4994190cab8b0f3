#!/usr/bin/env bash
# Set-up on a fresh Debian machine: the system packages the engine and its
# tests need, and the project itself in a virtualenv at .venv.
# Idempotent: a second run installs nothing and takes a second or two.
set -euo pipefail
cd "$(dirname "$0")"

# valgrind: bench/peer_instructions.py counts the readers' instructions (figures no load moves)
DEB_PACKAGES=(tesseract-ocr tesseract-ocr-eng tesseract-ocr-deu tesseract-ocr-fra tesseract-ocr-nld chromium
              poppler-utils dovecot-imapd dovecot-pop3d dovecot-lmtpd valgrind)

missing=()
for pkg in "${DEB_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "install.sh: installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  echo "install.sh: creating .venv with $($PYTHON --version)"
  "$PYTHON" -m venv .venv
fi
# Reinstall only when setup.py changed since the last install.
stamp=.venv/.installed-setup-hash
want=$(sha256sum setup.py | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "install.sh: installing the project and its Python dependencies into .venv"
  # (this machine's pip config names local indexes that may be absent: drop those warnings)
  .venv/bin/pip install -q --disable-pip-version-check -e '.[test]' 2> >(grep -v "^WARNING: Location 'file:" >&2)
  echo "$want" > "$stamp"
fi
