"""Tiny HTTP and SMTP servers on 127.0.0.1 for delivery tests (never anything but loopback)."""

from __future__ import annotations

import base64
import json
import shutil
import socketserver
import ssl
import subprocess
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HOST = "127.0.0.1"


# ---- HTTP: a webhook that answers from a script of (status, body) replies ----

@dataclass
class Hook:
    replies: list                       # (status, body) per request; the last one repeats
    delay: float = 0.0                  # seconds to wait before answering (timeouts)
    requests: list = field(default_factory=list)   # (path, headers, parsed JSON body)

    def reply(self) -> tuple[int, str]:
        index = min(len(self.requests) - 1, len(self.replies) - 1)
        return self.replies[index]

    @property
    def bodies(self) -> list:
        return [body for _, _, body in self.requests]


class _HookHandler(BaseHTTPRequestHandler):
    def do_POST(self):
        hook: Hook = self.server.hook
        length = int(self.headers.get("Content-Length", "0"))
        raw = self.rfile.read(length)
        hook.requests.append((self.path, dict(self.headers), json.loads(raw.decode("utf-8"))))
        if hook.delay:
            time.sleep(hook.delay)
        status, body = hook.reply()
        data = body.encode("utf-8")
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except OSError:
            pass  # the client gave up (timeout test)

    def log_message(self, *args):
        pass


class webhook_server:
    """`with webhook_server([(500, ''), (200, 'ok')]) as (url, hook): ...`"""

    def __init__(self, replies, delay: float = 0.0):
        self.hook = Hook(list(replies), delay)

    def __enter__(self):
        self.server = ThreadingHTTPServer((HOST, 0), _HookHandler)
        self.server.daemon_threads = True
        self.server.hook = self.hook
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return f"http://{HOST}:{self.server.server_address[1]}/hook/SECRET-TOKEN", self.hook

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


# ---- SMTP: enough of RFC 5321 for smtplib, with STARTTLS and AUTH PLAIN ----

@dataclass
class Mailbox:
    messages: list = field(default_factory=list)   # (mail from, [rcpt to], raw bytes)
    logins: list = field(default_factory=list)     # (user, password, over TLS)


class _SmtpHandler(socketserver.StreamRequestHandler):
    def send(self, *lines: str) -> None:
        self.wfile.write("".join(line + "\r\n" for line in lines).encode())
        self.wfile.flush()

    def handle(self):
        server = self.server
        tls = False
        sender, recipients = None, []
        self.send("220 127.0.0.1 test SMTP ready")
        while True:
            raw = self.rfile.readline()
            if not raw:
                return
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            verb = line.split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                lines = ["250-127.0.0.1", "250-8BITMIME"]
                if server.tls_context is not None and not tls:
                    lines.append("250-STARTTLS")
                if server.users:
                    lines.append("250-AUTH PLAIN")
                self.send(*lines, "250 SIZE 10485760")
            elif verb == "STARTTLS" and server.tls_context is not None:
                self.send("220 go ahead")
                self.request = server.tls_context.wrap_socket(self.request, server_side=True)
                self.rfile = self.request.makefile("rb")
                self.wfile = self.request.makefile("wb")
                tls = True
            elif verb == "AUTH":
                parts = line.split()
                if len(parts) < 3 or parts[1].upper() != "PLAIN":
                    self.send("504 only AUTH PLAIN with an initial response")
                    continue
                _, user, password = base64.b64decode(parts[2]).decode("utf-8").split("\0")
                server.mailbox.logins.append((user, password, tls))
                if server.users.get(user) == password:
                    self.send("235 2.7.0 accepted")
                else:
                    self.send("535 5.7.8 authentication credentials invalid")
            elif verb == "MAIL":
                sender, recipients = line.split(":", 1)[1].strip().split()[0].strip("<>"), []
                self.send("250 ok")
            elif verb == "RCPT":
                recipients.append(line.split(":", 1)[1].strip().strip("<>"))
                self.send("250 ok")
            elif verb == "DATA":
                self.send("354 end with <CRLF>.<CRLF>")
                chunks = []
                while True:
                    data = self.rfile.readline()
                    if data in (b".\r\n", b""):
                        break
                    chunks.append(data[1:] if data.startswith(b"..") else data)
                server.mailbox.messages.append((sender, recipients, b"".join(chunks)))
                self.send("250 queued")
            elif verb in ("RSET", "NOOP"):
                self.send("250 ok")
            elif verb == "QUIT":
                self.send("221 bye")
                return
            else:
                self.send("502 not implemented")


class smtp_server:
    """`with smtp_server(tls_files=(cert, key), users={'u': 'p'}) as (port, mailbox): ...`"""

    def __init__(self, tls_files: tuple[Path, Path] | None = None, users: dict | None = None):
        self.tls_files = tls_files
        self.users = users or {}
        self.mailbox = Mailbox()

    def __enter__(self):
        server = socketserver.ThreadingTCPServer((HOST, 0), _SmtpHandler)
        server.daemon_threads = True
        server.mailbox = self.mailbox
        server.users = self.users
        server.tls_context = None
        if self.tls_files:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*map(str, self.tls_files))
            server.tls_context = context
        self.server = server
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return server.server_address[1], self.mailbox

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def self_signed_cert(folder: Path) -> tuple[Path, Path] | None:
    """A certificate for IP 127.0.0.1 made with the openssl CLI (None when it is not installed)."""
    openssl = shutil.which("openssl")
    if openssl is None:
        return None
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run([openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1",
                    "-addext", "basicConstraints=critical,CA:TRUE",
                    "-addext", "keyUsage=critical,digitalSignature,keyCertSign"],
                   check=True, capture_output=True)
    return cert, key
