"""A real IMAP server for the mail steps' tests: Debian's dovecot (package dovecot-imapd) started
on two free loopback ports — STARTTLS and TLS — with a configuration of its own, a self-signed
certificate, one passwd-file user and a Maildir in a temporary folder; stopped afterwards."""

import datetime
import imaplib
import ipaddress
import os
import pwd
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
USER = "seikyu@example.jp"
PASSWORD = "imap-pass-1234"

CONFIGURATION = """
protocols = imap
listen = 127.0.0.1
base_dir = {folder}/run
instance_name = jichitai-test-{port}
log_path = {folder}/dovecot.log
ssl = required
ssl_cert = <{folder}/certificate.pem
ssl_key = <{folder}/key.pem
auth_mechanisms = plain login
default_internal_user = {internal_user}
default_internal_group = {internal_group}
default_login_user = {login_user}
first_valid_uid = 1
passdb {{
  driver = passwd-file
  args = scheme=PLAIN {folder}/passwd
}}
userdb {{
  driver = static
  args = uid={mail_user} gid={mail_group} home={folder}/home/%u
}}
mail_location = maildir:~/Maildir
service imap-login {{
  chroot =
  inet_listener imap {{
    port = {port}
  }}
  inet_listener imaps {{
    port = {tls_port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
}}
"""


@dataclass
class ImapServer:
    folder: Path
    port: int  # STARTTLS
    tls_port: int
    certificate: Path
    user: str = USER
    password: str = PASSWORD

    def client(self) -> imaplib.IMAP4_SSL:
        context = ssl.create_default_context(cafile=str(self.certificate))
        connection = imaplib.IMAP4_SSL("localhost", self.tls_port, ssl_context=context)
        connection.login(self.user, self.password)
        return connection

    def deliver(self, message: bytes, *, folder: str = "INBOX", seen: bool = False) -> None:
        connection = self.client()
        try:
            status, detail = connection.append(folder, r"(\Seen)" if seen else None, None, message)
            assert status == "OK", detail
        finally:
            connection.logout()

    def subjects(self, folder: str = "INBOX", *, criterion: str = "ALL") -> list[str]:
        """The subjects of the folder's messages meeting ``criterion`` (UNSEEN, SEEN…); read
        with BODY.PEEK, so looking does not change them."""
        from email import message_from_bytes, policy

        from jichitai.automation.steps.mail import folder_argument

        connection = self.client()
        try:
            status, _data = connection.select(folder_argument(folder), readonly=True)
            if status != "OK":
                return []
            _status, found = connection.uid("SEARCH", criterion)
            subjects = []
            for uid in (found[0] or b"").split():
                _status, data = connection.uid("FETCH", uid, "(BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
                header = message_from_bytes(data[0][1], policy=policy.default)
                subjects.append(str(header["Subject"]))
            return sorted(subjects)
        finally:
            connection.logout()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _write_certificate(folder: Path) -> Path:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    (folder / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    path = folder / "certificate.pem"
    path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return path


def _accounts() -> dict:
    """Who dovecot's processes run as: as root, the users the Debian package creates (dovecot
    refuses to run its login and mail processes as root); otherwise the current user."""
    if os.geteuid() != 0:
        me = pwd.getpwuid(os.geteuid()).pw_name
        return dict.fromkeys(
            ("internal_user", "internal_group", "login_user", "mail_user", "mail_group"), me
        )
    return {
        "internal_user": "dovecot",
        "internal_group": "dovecot",
        "login_user": "dovenull",
        "mail_user": "dovecot",
        "mail_group": "dovecot",
    }


@contextmanager
def running_dovecot():
    if not Path(DOVECOT).exists():
        pytest.skip(
            "dovecot がないため IMAP の試験を省略します(apt-get install dovecot-imapd で導入できます)"
        )
    folder = Path(tempfile.mkdtemp(prefix="jichitai-imap-"))
    folder.chmod(0o755)  # dovecot's unprivileged processes reach their sockets through it
    accounts = _accounts()
    port, tls_port = _free_port(), _free_port()
    certificate = _write_certificate(folder)
    (folder / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
    (folder / "home").mkdir()
    if os.geteuid() == 0:
        shutil.chown(folder / "home", accounts["mail_user"], accounts["mail_group"])
    configuration = folder / "dovecot.conf"
    configuration.write_text(
        CONFIGURATION.format(folder=folder, port=port, tls_port=tls_port, **accounts)
    )
    process = subprocess.Popen(  # noqa: S603  (a fixed binary and a file this test wrote)
        [DOVECOT, "-F", "-c", str(configuration)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        _wait_until_listening(process, tls_port, folder)
        yield ImapServer(folder, port, tls_port, certificate)
    finally:
        subprocess.run(  # noqa: S603
            [DOVECOT, "-c", str(configuration), "stop"], capture_output=True, check=False
        )
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(folder, ignore_errors=True)


def _wait_until_listening(process, port: int, folder: Path) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log = (folder / "dovecot.log").read_text() if (folder / "dovecot.log").exists() else ""
            raise RuntimeError(f"dovecot stopped: {process.stderr.read().decode()} {log}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("dovecot did not start listening")
