"""Delivering reminder digests: chat webhooks (urllib) and e-mail (smtplib).

Secrets stay out of the stores repo: the webhook URL, its signing secret and
the SMTP user and password come from the environment only. Error messages
never show a webhook URL's path or query, where chat services put the token.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import smtplib
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid

from storeops import __version__
from storeops.config import WEBHOOK_FORMATS, Config
from storeops.errors import EnvError, UsageError

DEFAULT_URL_ENV = "STOREOPS_WEBHOOK_URL"
SECRET_ENV = "STOREOPS_WEBHOOK_SECRET"
TRIES = 3
BACKOFF_SECONDS = 1.0      # waits 1 s, then 2 s between tries
MAX_RETRY_AFTER = 30.0     # never sleep longer than this on a server's Retry-After
TIMEOUT_SECONDS = 10.0
SMTP_TIMEOUT_SECONDS = 30.0


class DeliveryError(EnvError):
    """The webhook or mail server refused or could not be reached (exit 3)."""


@dataclass(frozen=True)
class Message:
    """One digest: a group of reminders (a person's or a project's)."""

    title: str          # "bob (3)"
    text: str           # plain text, already escaped for a terminal
    markdown: str       # for services that render Markdown
    data: dict          # the group as JSON (generic format)


# ---- webhooks ----

def webhook_url(option: str, config: Config, environ) -> str:
    """The URL from --webhook URL, or for `--webhook default` from the environment."""
    if option == "default":
        names = [n for n in (config.notify.webhook_url_env, DEFAULT_URL_ENV) if n]
        url = next((environ[n] for n in names if environ.get(n)), None)
        if not url:
            raise UsageError("--webhook default: no webhook URL in the environment",
                             hint=f"set {' or '.join(dict.fromkeys(names))} (notify.webhook_url_env in "
                                  "storeops.yaml names the variable)")
    else:
        url = option
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"--webhook: {where(url)!r} is not an http(s) URL",
                         hint="pass the chat bot's full https:// address, or `default` to read it from the environment")
    return url


def where(url: str) -> str:
    """scheme://host[:port] — enough to say which server, without the token in the path or query."""
    parts = urllib.parse.urlsplit(url)
    if not parts.scheme or not parts.hostname:
        return (url[:12] + "…") if len(url) > 12 else url
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{parts.hostname}{port}"


def webhook_request(url: str, fmt: str, message: Message, secret: str | None = None,
                    now: float | None = None) -> tuple[str, dict]:
    """(url, JSON body) for one message in the chat service's shape; signs when a secret is given."""
    if fmt not in WEBHOOK_FORMATS:
        raise UsageError(f"--webhook-format {fmt!r} is not a format", hint="one of " + ", ".join(WEBHOOK_FORMATS))
    now = time.time() if now is None else now
    if fmt == "slack":
        # Slack mrkdwn needs only &, < and > escaped
        text = message.text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return url, {"text": text}
    if fmt == "feishu":
        body: dict = {"msg_type": "text", "content": {"text": message.text}}
        if secret:
            # Feishu custom bot signing: HMAC-SHA256 keyed with "timestamp\nsecret" over an empty message
            stamp = str(int(now))
            digest = hmac.new(f"{stamp}\n{secret}".encode(), b"", hashlib.sha256).digest()
            body = {"timestamp": stamp, "sign": base64.b64encode(digest).decode(), **body}
        return url, body
    if fmt == "dingtalk":
        if secret:
            # DingTalk robot signing: HMAC-SHA256 keyed with the secret over "timestamp\nsecret", in the URL
            stamp = str(int(now * 1000))
            digest = hmac.new(secret.encode(), f"{stamp}\n{secret}".encode(), hashlib.sha256).digest()
            sign = urllib.parse.quote_plus(base64.b64encode(digest).decode())
            url += ("&" if "?" in url else "?") + f"timestamp={stamp}&sign={sign}"
        return url, {"msgtype": "text", "text": {"content": message.text}}
    return url, {"version": 1, **message.data, "title": message.title, "text": message.text}


class PartialDelivery(DeliveryError):
    """Some messages were not delivered; `failed` names them: (message title, why)."""

    def __init__(self, url: str, total: int, failed: list[tuple[str, str]], hint: str | None):
        self.failed = failed
        reasons = "; ".join(f"{title}: {why}" for title, why in failed)
        sent = total - len(failed)
        super().__init__(f"webhook {where(url)}: {len(failed)} of {total} message(s) not delivered: {reasons}",
                         hint=f"the other {sent} message(s) were sent" + (f"; {hint}" if hint else "")
                         if sent else hint)


def send_webhook(url: str, fmt: str, messages: list[Message], secret: str | None = None) -> int:
    """POST every message, one group's failure never holding back the next; returns how many were
    delivered, or raises PartialDelivery naming each one that was not."""
    failed, hint = [], None
    for message in messages:
        target, body = webhook_request(url, fmt, message, secret)
        try:
            post_json(target, body, fmt)
        except DeliveryError as error:
            failed.append((message.title, error.message.removeprefix(f"webhook {where(url)} ")))
            hint = hint or error.hint
    if failed:
        raise PartialDelivery(url, len(messages), failed, hint)
    return len(messages)


def post_json(url: str, body: dict, fmt: str = "generic") -> None:
    """POST with retries (5xx, 429, network errors), a clear error on any other 4xx."""
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(url, data=data, method="POST", headers={
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": f"storeops/{__version__}",
    })
    problem = ""
    for attempt in range(TRIES):
        wait = BACKOFF_SECONDS * 2 ** attempt
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
                _check_reply(url, fmt, response.read(64 * 1024))
                return
        except urllib.error.HTTPError as error:
            detail = _body_excerpt(error)
            if error.code != 429 and error.code < 500:
                raise DeliveryError(f"webhook {where(url)} refused the message: HTTP {error.code} {error.reason}"
                                    + (f": {detail}" if detail else ""),
                                    hint="check the URL and --webhook-format; nothing was retried") from None
            problem = f"HTTP {error.code} {error.reason}"
            wait = max(wait, min(_retry_after(error), MAX_RETRY_AFTER))
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            problem = f"{type(reason).__name__}: {reason}" if not isinstance(reason, str) else reason
        if attempt + 1 < TRIES:
            time.sleep(wait)
    raise DeliveryError(f"webhook {where(url)} failed {TRIES} times, last: {problem}",
                        hint="the server is down or unreachable; cron will try again on its next run")


def _check_reply(url: str, fmt: str, raw: bytes) -> None:
    # Feishu and DingTalk answer HTTP 200 even when they drop the message (bad signature, keyword rules)
    if fmt not in ("feishu", "dingtalk"):
        return
    try:
        reply = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return
    if not isinstance(reply, dict):
        return
    code = next((reply[k] for k in ("code", "errcode", "StatusCode") if k in reply), 0)
    if code not in (0, "0", None):
        text = reply.get("msg") or reply.get("errmsg") or reply.get("StatusMessage") or ""
        raise DeliveryError(f"webhook {where(url)} refused the message: {fmt} error {code} {text}".rstrip(),
                            hint="check the bot's security settings (signing secret in STOREOPS_WEBHOOK_SECRET, "
                                 "keywords, IP allow-list)")


def _body_excerpt(error: urllib.error.HTTPError) -> str:
    try:
        raw = error.read(300)
    except OSError:
        return ""
    return " ".join(raw.decode("utf-8", "replace").split())[:200]


def _retry_after(error: urllib.error.HTTPError) -> float:
    try:
        return float(error.headers.get("Retry-After", "0"))
    except (TypeError, ValueError):
        return 0.0


# ---- e-mail ----

@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    sender: str
    starttls: bool
    user: str | None
    password: str | None


def smtp_settings(config: Config, environ) -> SmtpSettings:
    """storeops.yaml's notify.smtp, overridden by STOREOPS_SMTP_*; the login only from the environment."""
    from storeops.config import Smtp

    base = config.notify.smtp or Smtp()
    host = environ.get("STOREOPS_SMTP_HOST") or base.host
    sender = environ.get("STOREOPS_SMTP_FROM") or base.sender
    port = base.port
    if environ.get("STOREOPS_SMTP_PORT"):
        raw = environ["STOREOPS_SMTP_PORT"]
        if not raw.isdigit() or not 0 < int(raw) < 65536:
            raise UsageError(f"STOREOPS_SMTP_PORT={raw!r} is not a TCP port")
        port = int(raw)
    if not host:
        raise UsageError("--email: no SMTP server configured",
                         hint="set notify.smtp.host in storeops.yaml or STOREOPS_SMTP_HOST")
    if not sender:
        raise UsageError("--email: no sender address configured",
                         hint="set notify.smtp.from in storeops.yaml or STOREOPS_SMTP_FROM")
    user = environ.get("STOREOPS_SMTP_USER") or None
    password = environ.get("STOREOPS_SMTP_PASSWORD") or None
    if user and not password:
        raise UsageError("STOREOPS_SMTP_USER is set but STOREOPS_SMTP_PASSWORD is not")
    if user and not base.starttls:
        raise UsageError("refusing to send the SMTP password over an unencrypted connection",
                         hint="set notify.smtp.starttls: true (only a local relay without login may go without)")
    return SmtpSettings(host=host, port=port, sender=sender, starttls=base.starttls, user=user, password=password)


@dataclass(frozen=True)
class Letter:
    name: str
    email: str
    subject: str
    body: str


def build_email(letter: Letter, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = formataddr((letter.name, letter.email))
    message["Subject"] = letter.subject
    message["Date"] = format_datetime(_utcnow())
    message["Message-ID"] = make_msgid(domain="storeops.invalid")
    # RFC 3834: tells mail servers not to send vacation auto-replies back to a robot
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(letter.body)
    return message


def _utcnow():
    from datetime import datetime, timezone

    return datetime.now(timezone.utc)


def send_email(settings: SmtpSettings, letters: list[Letter]) -> int:
    """One SMTP session for all letters; STARTTLS is required unless turned off for a local relay."""
    server = f"{settings.host}:{settings.port}"
    try:
        with smtplib.SMTP(settings.host, settings.port, timeout=SMTP_TIMEOUT_SECONDS) as smtp:
            smtp.ehlo()
            if settings.starttls:
                if not smtp.has_extn("starttls"):
                    raise DeliveryError(f"SMTP server {server} does not offer STARTTLS",
                                        hint="use the submission port (usually 587), or set notify.smtp.starttls: "
                                             "false for a local relay")
                smtp.starttls(context=ssl.create_default_context())
                smtp.ehlo()
            if settings.user:
                smtp.login(settings.user, settings.password)
            for letter in letters:
                smtp.send_message(build_email(letter, settings.sender))
    except smtplib.SMTPAuthenticationError as error:
        raise DeliveryError(f"SMTP server {server} refused the login for {settings.user}: {_smtp_text(error)}",
                            hint="check STOREOPS_SMTP_USER and STOREOPS_SMTP_PASSWORD") from None
    except smtplib.SMTPRecipientsRefused as error:
        refused = ", ".join(sorted(error.recipients))
        raise DeliveryError(f"SMTP server {server} refused the recipient(s) {refused}") from None
    except smtplib.SMTPResponseException as error:
        raise DeliveryError(f"SMTP server {server} said {error.smtp_code}: {_smtp_text(error)}") from None
    except ssl.SSLError as error:
        raise DeliveryError(f"TLS with SMTP server {server} failed: {error.reason or error}",
                            hint="is the certificate valid for this host name?") from None
    except (smtplib.SMTPException, OSError) as error:
        raise DeliveryError(f"cannot deliver mail through {server}: {error}") from None
    return len(letters)


def _smtp_text(error: smtplib.SMTPResponseException) -> str:
    raw = error.smtp_error
    return (raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)).strip()
