"""Secrets: inline age in the project file, values only from stdin or a hidden prompt, hints everywhere else."""

import json

import pytest
from conftest import git, run_cli
from vault_fixtures import act, keys  # noqa: F401

from storeops import yamlio
from storeops.vault import hint_for

ID_NUMBER = "110101198001011234"
PASSWORD = "Tr0ub4dor&3-horse-battery"


def secret(stores, *args, input=None):
    return run_cli("-C", str(stores), "secret", *args, input=input)


def test_set_reads_stdin_and_stores_only_ciphertext_and_a_hint(stores, mini, keys, act):
    result = secret(stores, "set", mini, "legal_rep_id_number", input=ID_NUMBER + "\n")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == "stored mini-us secret legal_rep_id_number (****1234), readable by bob, alice\n"
    text = (stores / "projects" / f"{mini}.yaml").read_text()
    assert ID_NUMBER not in text
    entry = yamlio.load(stores / "projects" / f"{mini}.yaml")["secrets"]["legal_rep_id_number"]
    assert entry["hint"] == "****1234" and entry["readers"] == ["owner", "admin"]
    assert entry["age"].startswith("-----BEGIN AGE ENCRYPTED FILE-----\n")
    assert git(stores, "log", "-1", "--format=%s") == "secret set mini-us: legal_rep_id_number\n"
    assert run_cli("-C", str(stores), "check").exit_code == 0


def test_get_returns_the_value_for_a_reader(stores, mini, keys, act):
    secret(stores, "set", mini, "seller_password", input=PASSWORD + "\n")
    result = secret(stores, "get", mini, "seller_password")
    assert result.exit_code == 0 and result.stdout == PASSWORD + "\n"
    act("bob")
    data = json.loads(secret(stores, "get", mini, "seller_password", "--json").stdout)
    assert data == {"version": 1, "project": "mini-us", "key": "seller_password", "value": PASSWORD}


def test_get_refuses_a_non_reader(stores, mini, keys, act):
    secret(stores, "set", mini, "seller_password", "--readers", "ops", input=PASSWORD)
    act("carol")
    result = secret(stores, "get", mini, "seller_password")
    assert result.exit_code == 3 and result.stdout == ""
    assert result.stderr.splitlines()[0] == "error: carol is not a reader of mini-us secret seller_password; readers: bob (ops)"


def test_the_value_is_never_taken_from_argv(stores, mini, keys, act):
    result = secret(stores, "set", mini, "seller_password", PASSWORD, input="")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == ("error: a secret is never taken from the command line "
                                             "(shell history, `ps`); nothing was stored")
    assert PASSWORD not in result.stderr
    for option in ("--value", "-v"):
        assert secret(stores, "set", mini, "seller_password", option, PASSWORD).exit_code == 2
    assert "seller_password" not in (stores / "projects" / f"{mini}.yaml").read_text()


def test_empty_or_multiline_values_are_refused(stores, mini, keys, act):
    empty = secret(stores, "set", mini, "pin", input="\n")
    assert empty.exit_code == 2 and "the secret is empty; nothing was stored" in empty.stderr
    lines = secret(stores, "set", mini, "pin", input="a\nb\n")
    assert lines.exit_code == 2 and "spans several lines" in lines.stderr
    bad = secret(stores, "set", mini, "Seller-Password", input="x")
    assert bad.exit_code == 2 and "is not a valid secret name" in bad.stderr


def test_list_shows_hints_and_readers_never_values(stores, mini, keys, act):
    secret(stores, "set", mini, "legal_rep_id_number", input=ID_NUMBER)
    secret(stores, "set", mini, "seller_password", "--readers", "finance", input=PASSWORD)
    listing = secret(stores, "list", mini)
    assert listing.exit_code == 0
    assert listing.stdout.splitlines() == [
        "secret               hint      readers     you",
        "legal_rep_id_number  ****1234  bob, alice  yes",
        "seller_password      ****      carol       -",
    ]
    data = json.loads(secret(stores, "list", mini, "--json").stdout)
    assert data["secrets"][1] == {"key": "seller_password", "hint": "****", "readers": ["finance"],
                                  "reader_people": ["carol"], "you_can_read": False}
    for shown in (listing.stdout, json.dumps(data)):
        assert ID_NUMBER not in shown and PASSWORD not in shown


def test_status_shows_only_hints(stores, mini, keys, act):
    secret(stores, "set", mini, "legal_rep_id_number", input=ID_NUMBER)
    secret(stores, "set", mini, "seller_password", input=PASSWORD)
    as_json = run_cli("-C", str(stores), "status", mini, "--json").stdout
    assert json.loads(as_json)["project"]["secrets"] == {
        "legal_rep_id_number": {"hint": "****1234"}, "seller_password": {"hint": "****"}}
    shown = as_json + run_cli("-C", str(stores), "status", mini).stdout + run_cli("-C", str(stores), "status").stdout
    for value in (ID_NUMBER, PASSWORD, ID_NUMBER[:-4]):
        assert value not in shown
    assert "BEGIN AGE" not in shown


@pytest.mark.parametrize("value, hint", [
    ("110101198001011234", "****1234"),
    ("6222 0212 3456 7890", "****7890"),
    ("12345678", "****"),          # too short: four digits would be half of it
    ("1234", "****"),
    (PASSWORD, "****"),            # not a number: nothing shown
    ("hunter2hunter2", "****"),
    ("短密码", "****"),
])
def test_hints_never_reveal_the_secret(value, hint):
    assert hint_for(value) == hint
    shown = hint.replace("*", "")
    assert len(shown) <= 4 and len(shown) <= len(value) // 2


def test_replacing_keeps_readers_and_remove_drops_the_secret(stores, mini, keys, act):
    secret(stores, "set", mini, "seller_password", "--readers", "ops,dave", input="first-password")
    result = secret(stores, "set", mini, "seller_password", input="second-password")
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        "warning: you are not among its readers: you will not be able to read it back",
        "replaced mini-us secret seller_password (****), readable by bob, dave"]
    act("dave")
    assert secret(stores, "get", mini, "seller_password").stdout == "second-password\n"
    act("alice")
    assert secret(stores, "remove", mini, "seller_password").exit_code == 0
    assert yamlio.load(stores / "projects" / f"{mini}.yaml")["secrets"] == {}
    unknown = secret(stores, "get", mini, "seller_pasword")
    assert unknown.exit_code == 2 and "mini-us has no secret 'seller_pasword'" in unknown.stderr
