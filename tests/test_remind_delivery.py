"""remind --webhook and --email against servers on 127.0.0.1 started here; cron-example."""

from __future__ import annotations

import base64
import email
import hashlib
import hmac
import socket
import urllib.parse
from email import policy

import pytest
from conftest import run_cli
from localservers import self_signed_cert, smtp_server, webhook_server
from remindkit import remind, shop  # noqa: F401 (shop is a fixture)

from storeops import notify

AS_OF = ("--as-of", "2026-11-05")   # bob: licence overdue; dave: brand overdue


@pytest.fixture(autouse=True)
def fast_and_local(monkeypatch):
    monkeypatch.setattr(notify, "BACKOFF_SECONDS", 0.0)
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY",
                 "STOREOPS_WEBHOOK_URL", "STOREOPS_WEBHOOK_SECRET", "STOREOPS_SMTP_HOST", "STOREOPS_SMTP_PORT",
                 "STOREOPS_SMTP_FROM", "STOREOPS_SMTP_USER", "STOREOPS_SMTP_PASSWORD"):
        monkeypatch.delenv(name, raising=False)


def _notify(root, text: str) -> None:
    path = root / "storeops.yaml"
    path.write_text(path.read_text() + text)


# ---- webhooks ----

def test_generic_webhook_posts_one_message_per_person(shop):
    with webhook_server([(200, "ok")]) as (url, hook):
        result = remind(shop, *AS_OF, "--webhook", url)
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    assert [body["group"] for body in hook.bodies] == ["bob", "dave"]
    bob = hook.bodies[0]
    assert (bob["version"], bob["group_by"], bob["as_of"], bob["count"], bob["title"]) == (
        1, "person", "2026-11-05", 1, "bob (1)")
    assert bob["items"][0]["key"] == "mini-us/licence/due"
    assert bob["text"].splitlines() == [
        "Reminders for Test Team on 2026-11-05 (Asia/Shanghai): 1 · bob (1)",
        "  [overdue] mini-us/licence (Prepare business licence): overdue by 1 day (due 2026-11-04); "
        "holds up bank, video",
    ]
    path, headers, _ = hook.requests[0]
    assert path == "/hook/SECRET-TOKEN" and headers["Content-Type"] == "application/json; charset=utf-8"


def test_webhook_grouped_by_project(shop):
    with webhook_server([(200, "ok")]) as (url, hook):
        assert remind(shop, *AS_OF, "--webhook", url, "--group-by", "project").exit_code == 0
    assert [(b["group"], b["count"]) for b in hook.bodies] == [("mini-us", 2)]


def test_webhook_retries_a_500_then_delivers(shop):
    with webhook_server([(500, "busy"), (200, "ok")]) as (url, hook):
        result = remind(shop, *AS_OF, "--webhook", url, "--group-by", "project")
    assert (result.exit_code, result.stderr) == (0, "")
    assert len(hook.requests) == 2 and hook.bodies[0] == hook.bodies[1]


def test_webhook_400_is_a_clear_error_without_retry_or_token(shop):
    with webhook_server([(400, '{"error": "invalid_payload"}')]) as (url, hook):
        result = remind(shop, *AS_OF, "--webhook", url, "--group-by", "project")
    port = urllib.parse.urlsplit(url).port
    assert result.exit_code == 3 and len(hook.requests) == 1
    assert result.stderr.splitlines()[0] == (f"error: webhook http://127.0.0.1:{port}: 1 of 1 message(s) not "
                                             'delivered: mini-us (2): refused the message: HTTP 400 Bad Request: '
                                             '{"error": "invalid_payload"}')
    assert "SECRET-TOKEN" not in result.stderr


def test_a_failing_group_does_not_stop_the_others(shop):
    """bob's message is refused, dave's still goes out; exit 3 names bob's."""
    with webhook_server([(400, '{"error": "channel_not_found"}'), (200, "ok")]) as (url, hook):
        result = remind(shop, *AS_OF, "--webhook", url)
    assert [body["group"] for body in hook.bodies] == ["bob", "dave"]
    assert result.exit_code == 3
    port = urllib.parse.urlsplit(url).port
    assert result.stderr.splitlines() == [
        f"error: webhook http://127.0.0.1:{port}: 1 of 2 message(s) not delivered: bob (1): refused the message: "
        'HTTP 400 Bad Request: {"error": "channel_not_found"}',
        "hint: the other 1 message(s) were sent; check the URL and --webhook-format; nothing was retried",
    ]


def test_every_group_is_tried_and_every_failure_named(shop):
    # bob's: three 503s (retried, then given up); dave's: refused at once
    with webhook_server([(503, "down")] * 3 + [(403, "forbidden")]) as (url, hook):
        result = remind(shop, *AS_OF, "--webhook", url)
    assert [body["group"] for body in hook.bodies] == ["bob"] * 3 + ["dave"]
    assert result.exit_code == 3
    first = result.stderr.splitlines()[0]
    assert "2 of 2 message(s) not delivered: bob (1): failed 3 times, last: HTTP 503 Service Unavailable; " \
           "dave (1): refused the message: HTTP 403 Forbidden: forbidden" in first


def test_webhook_gives_up_after_three_5xx(shop):
    with webhook_server([(503, "down")]) as (url, hook):
        result = remind(shop, *AS_OF, "--webhook", url, "--group-by", "project")
    assert result.exit_code == 3 and len(hook.requests) == 3
    assert "failed 3 times, last: HTTP 503 Service Unavailable" in result.stderr


def test_webhook_timeout_is_retried_then_reported(shop, monkeypatch):
    monkeypatch.setattr(notify, "TIMEOUT_SECONDS", 0.2)
    with webhook_server([(200, "ok")], delay=0.6) as (url, hook):
        result = remind(shop, *AS_OF, "--webhook", url, "--group-by", "project")
    assert result.exit_code == 3 and len(hook.requests) == 3
    assert "failed 3 times, last:" in result.stderr and "timed out" in result.stderr


def test_webhook_connection_refused_is_retried_then_reported(shop):
    with socket.socket() as probe:   # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = remind(shop, *AS_OF, "--webhook", f"http://127.0.0.1:{port}/hook")
    assert result.exit_code == 3 and "failed 3 times" in result.stderr and "refused" in result.stderr.lower()


def test_quiet_day_posts_nothing(shop):
    with webhook_server([(200, "ok")]) as (url, hook):
        result = remind(shop, "--as-of", "2026-10-25", "--webhook", url)
    assert (result.exit_code, result.stdout, result.stderr, hook.requests) == (0, "", "", [])


def test_fail_if_due_still_exits_1_after_delivery(shop):
    with webhook_server([(200, "ok")]) as (url, hook):
        assert remind(shop, *AS_OF, "--webhook", url, "--fail-if-due").exit_code == 1
    assert len(hook.requests) == 2


def test_webhook_default_reads_the_url_from_the_environment(shop, monkeypatch):
    with webhook_server([(200, "ok")]) as (url, hook):
        monkeypatch.setenv("STOREOPS_WEBHOOK_URL", url)
        assert remind(shop, *AS_OF, "--webhook", "default").exit_code == 0
    assert len(hook.requests) == 2


def test_webhook_url_env_and_format_from_storeops_yaml(shop, monkeypatch):
    _notify(shop, "notify:\n  webhook_url_env: TEAM_HOOK\n  webhook_format: slack\n")
    with webhook_server([(200, "ok")]) as (url, hook):
        monkeypatch.setenv("TEAM_HOOK", url)
        assert remind(shop, *AS_OF, "--webhook", "default", "--group-by", "project").exit_code == 0
    assert list(hook.bodies[0]) == ["text"]


def test_webhook_default_without_a_url_is_a_usage_error(shop):
    result = remind(shop, *AS_OF, "--webhook", "default")
    assert result.exit_code == 2 and "no webhook URL in the environment" in result.stderr
    assert "STOREOPS_WEBHOOK_URL" in result.stderr


def test_webhook_url_must_be_http(shop):
    result = remind(shop, *AS_OF, "--webhook", "file:///etc/passwd")
    assert result.exit_code == 2 and "is not an http(s) URL" in result.stderr


def test_slack_message_escapes_angle_brackets(shop):
    from remindkit import edit

    edit(shop, "2026-11-03T09:00:00+08:00", {"licence": {"title": {"en": "Licence <!channel> & co"}}})
    with webhook_server([(200, "ok")]) as (url, hook):
        remind(shop, *AS_OF, "--webhook", url, "--webhook-format", "slack", "--group-by", "project")
    assert "Licence &lt;!channel&gt; &amp; co" in hook.bodies[0]["text"]


def test_feishu_message_is_signed_with_the_secret(shop, monkeypatch):
    monkeypatch.setenv("STOREOPS_WEBHOOK_SECRET", "s3cret")
    with webhook_server([(200, '{"code": 0, "msg": "success"}')]) as (url, hook):
        result = remind(shop, *AS_OF, "--webhook", url, "--webhook-format", "feishu", "--group-by", "project")
    assert result.exit_code == 0, result.stderr
    body = hook.bodies[0]
    assert body["msg_type"] == "text" and "mini-us/licence" in body["content"]["text"]
    expected = hmac.new(f"{body['timestamp']}\ns3cret".encode(), b"", hashlib.sha256).digest()
    assert body["sign"] == base64.b64encode(expected).decode()


def test_dingtalk_signature_goes_in_the_url(shop, monkeypatch):
    monkeypatch.setenv("STOREOPS_WEBHOOK_SECRET", "s3cret")
    with webhook_server([(200, '{"errcode": 0, "errmsg": "ok"}')]) as (url, hook):
        result = remind(shop, *AS_OF, "--webhook", url + "?access_token=T", "--webhook-format", "dingtalk",
                        "--group-by", "project")
    assert result.exit_code == 0, result.stderr
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(hook.requests[0][0]).query)
    stamp = query["timestamp"][0]
    expected = hmac.new(b"s3cret", f"{stamp}\ns3cret".encode(), hashlib.sha256).digest()
    assert query["sign"] == [base64.b64encode(expected).decode()] and query["access_token"] == ["T"]
    assert hook.bodies[0]["msgtype"] == "text"


def test_chat_service_refusal_inside_a_200_is_an_error(shop):
    with webhook_server([(200, '{"errcode": 310000, "errmsg": "keywords not in content"}')]) as (url, hook):
        result = remind(shop, *AS_OF, "--webhook", url, "--webhook-format", "dingtalk")
    assert result.exit_code == 3 and len(hook.requests) == 2   # one per group, none retried
    assert "bob (1): refused the message: dingtalk error 310000 keywords not in content" in result.stderr


# ---- e-mail ----

def _messages(mailbox):
    return [(sender, rcpt, email.message_from_bytes(raw, policy=policy.default))
            for sender, rcpt, raw in mailbox.messages]


def test_email_sends_one_digest_per_person(shop):
    with smtp_server() as (port, mailbox):
        _notify(shop, f"notify:\n  smtp:\n    host: 127.0.0.1\n    port: {port}\n"
                      "    from: storeops@example.com\n    starttls: false\n")
        result = remind(shop, *AS_OF, "--email")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    letters = _messages(mailbox)
    assert [(s, r) for s, r, _ in letters] == [("storeops@example.com", ["bob@example.com"]),
                                               ("storeops@example.com", ["dave@example.com"])]
    bob = letters[0][2]
    assert bob["To"] == "bob <bob@example.com>" and bob["Auto-Submitted"] == "auto-generated"
    assert bob["Subject"] == "[storeops] 1 reminder(s) for bob, 2026-11-05"
    assert "overdue by 1 day (due 2026-11-04)" in bob.get_content()


def test_email_in_chinese_survives_the_trip(shop):
    with smtp_server() as (port, mailbox):
        (shop / "storeops.yaml").write_text((shop / "storeops.yaml").read_text().replace("language: en", "language: zh"))
        _notify(shop, f"notify:\n  smtp:\n    host: 127.0.0.1\n    port: {port}\n"
                      "    from: storeops@example.com\n    starttls: false\n")
        assert remind(shop, *AS_OF, "--email").exit_code == 0
    bob = _messages(mailbox)[0][2]
    assert bob["Subject"] == "[storeops] bob 的 1 项提醒，2026-11-05" and "已逾期 1 天" in bob.get_content()


def test_email_with_starttls_and_login_from_the_environment(shop, tmp_path, monkeypatch):
    files = self_signed_cert(tmp_path)
    if files is None:
        pytest.skip("openssl is not installed")
    monkeypatch.setenv("SSL_CERT_FILE", str(files[0]))   # trust our test certificate
    monkeypatch.setenv("STOREOPS_SMTP_USER", "robot")
    monkeypatch.setenv("STOREOPS_SMTP_PASSWORD", "pa55")
    with smtp_server(tls_files=files, users={"robot": "pa55"}) as (port, mailbox):
        monkeypatch.setenv("STOREOPS_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("STOREOPS_SMTP_PORT", str(port))
        monkeypatch.setenv("STOREOPS_SMTP_FROM", "Storeops <robot@example.com>")
        result = remind(shop, *AS_OF, "--email")
    assert result.exit_code == 0, result.stderr
    assert mailbox.logins == [("robot", "pa55", True)]   # the password only went over TLS
    assert len(mailbox.messages) == 2


def test_email_refuses_a_server_without_starttls(shop, monkeypatch):
    with smtp_server() as (port, mailbox):
        _notify(shop, f"notify:\n  smtp:\n    host: 127.0.0.1\n    port: {port}\n    from: s@example.com\n")
        result = remind(shop, *AS_OF, "--email")
    assert result.exit_code == 3 and f"SMTP server 127.0.0.1:{port} does not offer STARTTLS" in result.stderr
    assert mailbox.messages == []


def test_email_wrong_password_is_exit_3(shop, tmp_path, monkeypatch):
    files = self_signed_cert(tmp_path)
    if files is None:
        pytest.skip("openssl is not installed")
    monkeypatch.setenv("SSL_CERT_FILE", str(files[0]))
    monkeypatch.setenv("STOREOPS_SMTP_USER", "robot")
    monkeypatch.setenv("STOREOPS_SMTP_PASSWORD", "wrong")
    with smtp_server(tls_files=files, users={"robot": "pa55"}) as (port, mailbox):
        _notify(shop, f"notify:\n  smtp:\n    host: 127.0.0.1\n    port: {port}\n    from: s@example.com\n")
        result = remind(shop, *AS_OF, "--email")
    assert result.exit_code == 3 and "refused the login for robot" in result.stderr
    assert "wrong" not in result.stderr and mailbox.messages == []


def test_email_never_sends_a_password_in_the_clear(shop, monkeypatch):
    monkeypatch.setenv("STOREOPS_SMTP_USER", "robot")
    monkeypatch.setenv("STOREOPS_SMTP_PASSWORD", "pa55")
    _notify(shop, "notify:\n  smtp:\n    host: 127.0.0.1\n    from: s@example.com\n    starttls: false\n")
    result = remind(shop, *AS_OF, "--email")
    assert result.exit_code == 2 and "refusing to send the SMTP password over an unencrypted" in result.stderr


def test_email_without_a_server_is_a_usage_error_even_on_a_quiet_day(shop):
    result = remind(shop, "--as-of", "2026-10-25", "--email")
    assert result.exit_code == 2 and "no SMTP server configured" in result.stderr


def test_notify_section_is_checked(shop):
    _notify(shop, "notify:\n  webhook_url_env: https://hooks.example.com/x\n  smtp:\n    password: x\n")
    result = run_cli("-C", str(shop), "check")
    assert result.exit_code == 1
    assert "webhook_url_env" in result.stdout
    result = remind(shop, *AS_OF)
    assert result.exit_code == 2 and "the NAME of an environment variable" in result.stderr


# ---- cron-example ----

def test_cron_example_in_the_team_timezone(stores):
    result = run_cli("-C", str(stores), "cron-example", "--at", "06:00", "--webhook-format", "feishu",
                     "--install", "storeops==0.1.0")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert "CRON_TZ=Asia/Shanghai" in lines
    cron_line = next(line for line in lines if line.startswith("0 6 * * 1-5"))
    assert cron_line.startswith(f"0 6 * * 1-5  cd {stores} && git pull -q --ff-only && . \"$HOME/.config/storeops/env\" && /")
    # an absolute path: cron's PATH does not know the virtualenv storeops is installed in
    assert cron_line.endswith("remind --webhook default --webhook-format feishu")
    assert cron_line.split(" && ")[-1].split()[0].startswith("/")
    # 06:00 in Shanghai is 22:00 UTC the day before: Monday-Friday become Sunday-Thursday
    assert '    - cron: "0 22 * * 0-4"   # 06:00 Asia/Shanghai; GitHub runs schedules in UTC' in lines
    assert "          fetch-depth: 0          # inactivity and follow-up reminders read each project's last commit" in lines
    assert "          STOREOPS_WEBHOOK_SECRET: ${{ secrets.STOREOPS_WEBHOOK_SECRET }}" in lines


def test_cron_example_workflow_is_valid_yaml(stores):
    from storeops import yamlio

    result = run_cli("-C", str(stores), "cron-example", "--install", "storeops==0.1.0")
    workflow = result.stdout.split("# ---- .github/workflows/storeops-remind.yml in the stores repo ----\n")[1]
    data = yamlio.loads(workflow)
    assert data["on"]["schedule"] == [{"cron": "30 0 * * 1-5"}]
    assert data["jobs"]["remind"]["steps"][-1]["run"] == "storeops remind --webhook default --webhook-format slack"


def test_cron_example_rejects_a_bad_time(stores):
    result = run_cli("-C", str(stores), "cron-example", "--at", "25:00")
    assert result.exit_code == 2 and "--at '25:00' is not a time" in result.stderr


# ---- a broken project file: the team still hears, and hears about it ----

def _break_one(root) -> None:
    (root / "projects" / "zz-broken.yaml").write_text("id: zz-broken\nstart: 2026-12-33\n")


def test_a_broken_file_gets_a_chat_message_of_its_own_first(shop):
    _break_one(shop)
    with webhook_server([(200, "ok")]) as (url, hook):
        result = remind(shop, *AS_OF, "--webhook", url)
    assert result.exit_code == 1 and "projects/zz-broken.yaml" in result.stderr
    assert [body["group"] for body in hook.bodies] == [None, "bob", "dave"]
    first = hook.bodies[0]
    assert first["text"].startswith("1 project file cannot be read: projects/zz-broken.yaml")
    assert first["problems"][0]["path"] == "projects/zz-broken.yaml"


def test_a_broken_file_is_posted_even_on_a_quiet_day(shop):
    _break_one(shop)
    with webhook_server([(200, "ok")]) as (url, hook):
        result = remind(shop, "--as-of", "2026-10-25", "--webhook", url)
    assert result.exit_code == 1
    assert [body["group"] for body in hook.bodies] == [None]


def test_every_digest_mail_names_the_broken_file_and_the_admins_get_it_anyway(shop):
    _break_one(shop)
    with smtp_server() as (port, mailbox):
        _notify(shop, f"notify:\n  smtp:\n    host: 127.0.0.1\n    port: {port}\n"
                      "    from: storeops@example.com\n    starttls: false\n")
        result = remind(shop, *AS_OF, "--email")
    assert result.exit_code == 1
    letters = {r[0]: message for _, r, message in _messages(mailbox)}
    assert set(letters) == {"bob@example.com", "dave@example.com", "alice@example.com"}
    for message in letters.values():
        assert "1 project file cannot be read: projects/zz-broken.yaml" in message.get_content()
