"""A private dovecot (IMAP, POP3, LMTP) on 127.0.0.1 for the mail intake tests.

The intake's promises (nothing marked seen before it is committed, a poison
message does not block the others, deletion only after commit) are about
what a real server does with flags, expunge and POP's DELE-at-QUIT; a mock
would only repeat our own assumptions.  So the tests run Debian's dovecot
as an unprivileged private instance in a temporary folder, on free high
ports, with plaintext auth and no TLS, and deliver real messages by LMTP.
Nothing here imports odoo: it is usable from any test.
"""

import contextlib
import getpass
import grp
import os
import pwd
import shutil
import smtplib
import socket
import subprocess
import tempfile
import time
from pathlib import Path

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
DOVEADM = shutil.which("doveadm") or "/usr/bin/doveadm"
USER = "invoices@example.test"
PASSWORD = "secret"

_CONFIG = """\
protocols = imap pop3 lmtp
listen = 127.0.0.1
base_dir = {home}/run
state_dir = {home}/state
instance_name = dovecot-test-{stamp}
log_path = {home}/log/dovecot.log
default_internal_user = {user}
default_internal_group = {group}
default_login_user = {login_user}
first_valid_uid = {uid}
first_valid_gid = {gid}
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
# a wrong password is answered at once (the default 2 s delay only slows the tests)
auth_failure_delay = 0
mail_location = maildir:~/Maildir
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {home}/users
}}
userdb {{
  driver = static
  args = uid={user} gid={group} home={home}/vmail/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {imap}
  }}
  inet_listener imaps {{
    port = 0
  }}
  chroot =
}}
service pop3-login {{
  inet_listener pop3 {{
    address = 127.0.0.1
    port = {pop3}
  }}
  inet_listener pop3s {{
    port = 0
  }}
  chroot =
}}
service lmtp {{
  inet_listener lmtp {{
    address = 127.0.0.1
    port = {lmtp}
  }}
}}
service anvil {{
  chroot =
  # no auth penalty: each further wrong password would otherwise wait seconds longer
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
service imap-urlauth-login {{
  chroot =
}}
protocol lmtp {{
  postmaster_address = postmaster@example.test
}}
"""


def unavailable_reason():
    """Why a private dovecot cannot run here, or None."""
    for binary in (DOVECOT, DOVEADM):
        if not os.access(binary, os.X_OK):
            return f"dovecot is not installed ({binary} missing): apt-get install dovecot-{{imapd,pop3d,lmtpd}}"
    for protocol in ("imap", "pop3", "lmtp"):
        if not Path(f"/usr/lib/dovecot/{protocol}").exists():
            return f"dovecot's {protocol} service is not installed (package dovecot-{protocol}d)"
    return None


def _free_ports(count):
    sockets = []
    try:
        for _i in range(count):
            sock = socket.socket()
            sock.bind(("127.0.0.1", 0))
            sockets.append(sock)
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


class Dovecot:
    """One private dovecot instance: ``start()``, deliver, inspect, ``stop()``."""

    host = "127.0.0.1"
    user = USER
    password = PASSWORD

    def __init__(self):
        self.home = Path(tempfile.mkdtemp(prefix="dovecot-test-"))
        self.imap_port, self.pop3_port, self.lmtp_port = _free_ports(3)
        self.config = self.home / "dovecot.conf"
        self.running = False

    @staticmethod
    def _accounts():
        """``(user, login user)`` the instance runs as: dovecot refuses root for its login and mail processes."""
        if os.geteuid() != 0:
            user = getpass.getuser()
            return user, user
        return "dovecot", "dovenull"

    def start(self):
        user, login_user = self._accounts()
        account = pwd.getpwnam(user)
        group = grp.getgrgid(account.pw_gid).gr_name
        for folder in ("run", "state", "log", "vmail"):
            (self.home / folder).mkdir(parents=True, exist_ok=True)
        self.home.chmod(0o755)
        (self.home / "users").write_text(f"{self.user}:{{PLAIN}}{self.password}\n")
        if os.geteuid() == 0:
            os.chown(self.home / "vmail", account.pw_uid, account.pw_gid)
        self.config.write_text(
            _CONFIG.format(
                home=self.home,
                user=user,
                group=group,
                login_user=login_user,
                uid=account.pw_uid,
                gid=account.pw_gid,
                stamp=self.home.name,
                imap=self.imap_port,
                pop3=self.pop3_port,
                lmtp=self.lmtp_port,
            )
        )
        # the master daemonises: its children would hold captured pipes open, so output goes to a file
        with open(self.home / "log" / "start.log", "wb") as out:
            subprocess.run([DOVECOT, "-c", str(self.config)], check=True, stdout=out, stderr=out, timeout=30)
        self.running = True
        self._wait_listening()
        return self

    def _wait_listening(self, timeout=10):
        deadline = time.monotonic() + timeout
        for port in (self.imap_port, self.pop3_port, self.lmtp_port):
            while True:
                with contextlib.suppress(OSError), socket.create_connection((self.host, port), timeout=1):
                    break
                if time.monotonic() > deadline:
                    raise RuntimeError(f"dovecot did not listen on {port}: see {self.home}/log/dovecot.log")
                time.sleep(0.05)

    def stop(self):
        if self.running:
            quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
            subprocess.run([DOVEADM, "-c", str(self.config), "stop"], **quiet, timeout=30)
            self.running = False
            # the listeners go away with the master process
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                try:
                    socket.create_connection((self.host, self.imap_port), timeout=0.2).close()
                except OSError:
                    break
                time.sleep(0.05)

    def cleanup(self):
        self.stop()
        shutil.rmtree(self.home, ignore_errors=True)

    # ------------------------------------------------------------------
    # Mail in and out
    # ------------------------------------------------------------------

    def deliver(self, *messages):
        """Deliver raw messages (bytes, str or email.message) to the mailbox over LMTP, in order."""
        with smtplib.LMTP(self.host, self.lmtp_port) as lmtp:
            for message in messages:
                if isinstance(message, str):
                    message = message.encode()
                if isinstance(message, bytes):
                    # LMTP wants CRLF line ends and an envelope; the content is delivered as is
                    message = message.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
                    lmtp.sendmail("postmaster@example.test", [self.user], message)
                else:
                    lmtp.send_message(message, from_addr="postmaster@example.test", to_addrs=[self.user])

    def doveadm(self, *args):
        result = subprocess.run(
            [DOVEADM, "-c", str(self.config), *args], check=True, capture_output=True, text=True, timeout=60
        )
        return result.stdout

    def messages(self, mailbox="INBOX"):
        """``[(message_id, flags)]`` of the messages in a mailbox (expunged ones are gone)."""
        out = self.doveadm("-f", "tab", "fetch", "-u", self.user, "hdr.message-id flags", "mailbox", mailbox, "ALL")
        rows = [line.split("\t") for line in out.splitlines()[1:] if line.strip()]
        return [(row[0].strip(), row[1].strip() if len(row) > 1 else "") for row in rows]

    def create_mailbox(self, name):
        self.doveadm("mailbox", "create", "-u", self.user, name)

    def empty(self):
        with contextlib.suppress(subprocess.CalledProcessError):
            self.doveadm("expunge", "-u", self.user, "mailbox", "*", "ALL")
