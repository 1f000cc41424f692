"""The strict loader and the canonical writer."""

import time

import pytest
import yaml

from storeops import yamlio
from storeops.errors import DataError


@pytest.mark.parametrize("word", ["no", "yes", "on", "off", "No", "YES", "y", "n"])
def test_yaml_1_1_booleans_stay_strings(word):
    assert yamlio.loads(f"answer: {word}\n") == {"answer": word}


def test_only_true_and_false_are_booleans():
    assert yamlio.loads("a: true\nb: false\n") == {"a": True, "b": False}


def test_dates_and_times_stay_strings():
    data = yamlio.loads("start: 2026-01-01\nat: 2026-12-10T10:00:00+08:00\nclock: 10:30\n")
    assert data == {"start": "2026-01-01", "at": "2026-12-10T10:00:00+08:00", "clock": "10:30"}


def test_octal_and_sexagesimal_lookalikes_stay_strings():
    assert yamlio.loads("a: 0o17\nb: 1:20\nc: 1_000\n") == {"a": "0o17", "b": "1:20", "c": "1_000"}


def test_numbers_and_null_still_parse():
    assert yamlio.loads("a: 3\nb: -2.5\nc: null\nd: ~\ne:\n") == {"a": 3, "b": -2.5, "c": None, "d": None, "e": None}


def test_duplicate_key_is_refused_with_its_line():
    with pytest.raises(DataError) as caught:
        yamlio.loads("id: a\nstore: x\nid: b\n", "projects/a.yaml")
    assert caught.value.line == 3
    assert "duplicate key 'id' (first at line 1)" in str(caught.value)
    assert str(caught.value).startswith("projects/a.yaml:3:1:")


def test_alias_is_refused():
    with pytest.raises(DataError, match="aliases"):
        yamlio.loads("a: &x hello\nb: *x\n")


def test_billion_laughs_is_refused_quickly():
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]")
    started = time.process_time()
    with pytest.raises(DataError):
        yamlio.loads("\n".join(lines) + "\n")
    assert time.process_time() - started < 5  # generous: the point is "not exponential"


def test_non_text_keys_are_refused():
    with pytest.raises(DataError, match="keys must be text"):
        yamlio.loads("1: a\n")


def test_syntax_error_names_line_and_column():
    with pytest.raises(DataError) as caught:
        yamlio.loads("a: [1, 2\nb: 3\n", "f.yaml")
    assert caught.value.line is not None and caught.value.col is not None
    assert str(caught.value).startswith("f.yaml:")


def test_tab_indentation_is_a_clear_error():
    with pytest.raises(DataError) as caught:
        yamlio.loads("a:\n\tb: 1\n", "f.yaml")
    assert caught.value.line == 2


def test_bom_is_accepted():
    assert yamlio.loads("\ufeffa: 1\n") == {"a": 1}


def test_crlf_is_accepted():
    assert yamlio.loads("a: 1\r\nb: x\r\n") == {"a": 1, "b": "x"}


def test_non_utf8_file_names_the_line(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_bytes(b"a: 1\nb: caf\xe9\n")
    with pytest.raises(DataError) as caught:
        yamlio.load(path, "p.yaml")
    assert caught.value.line == 2 and "UTF-8" in str(caught.value)


def test_oversized_file_is_refused_before_parsing(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_bytes(b"a: " + b"x" * (yamlio.MAX_BYTES + 1) + b"\n")
    with pytest.raises(DataError, match="more than"):
        yamlio.load(path, "big.yaml")


def test_canonical_writer_round_trips_hazards():
    data = {"no": "no", "date": "2026-01-01", "yes": "Yes", "n": None, "list": [], "multi": "line one\nline two\n",
            "zh": "营业执照", "num": "123", "flag": True}
    text = yamlio.dumps(data)
    assert yamlio.loads(text) == data
    assert "date: 2026-01-01\n" in text  # dates unquoted, as people write them
    assert "'no'" in text and "'Yes'" in text and "'123'" in text
    assert "营业执照" in text
    assert "multi: |" in text


def test_canonical_writer_keeps_control_characters_safe():
    data = {"note": "evil \x1b[31m red\n  trailing  \n"}
    assert yamlio.loads(yamlio.dumps(data)) == data


def test_locate_finds_nested_fields():
    text = "id: a\ntasks:\n- id: one\n  state: todo\n- id: two\n  state: bad\n"
    assert yamlio.locate(text, ("tasks", 1, "state")) == (6, 3)
    assert yamlio.locate(text, ("tasks", 5)) == (2, 1)


@pytest.mark.parametrize("text, value", [("0755", 755), ("09", 9), ("-0", 0), ("+5", 5), ("007", 7)])
def test_integers_are_decimal_as_in_yaml_1_2(text, value):
    assert yamlio.loads(f"a: {text}\n") == {"a": value}


def test_explicit_tags_that_fit_their_value_are_read():
    assert yamlio.loads("a: !!int 31\nb: !!str 5\nc: !!bool true\nd: !!null ~\ne: !!float 1.5\n") == {
        "a": 31, "b": "5", "c": True, "d": None, "e": 1.5}


@pytest.mark.parametrize("text, message", [("!!int 0x1f", "'0x1f' is not a valid !!int"),
                                           ("!!null x", "'x' is not a valid !!null"),
                                           ("!!bool yes", "'yes' is not a valid !!bool")])
def test_explicit_tags_that_do_not_fit_their_value_are_refused(text, message):
    with pytest.raises(DataError) as caught:
        yamlio.loads(f"a: {text}\n")
    assert message in str(caught.value)


def test_an_alias_inside_a_list_is_refused_at_the_anchor():
    with pytest.raises(DataError) as caught:
        yamlio.loads("k: [&y a, *y]\n")
    assert (caught.value.line, caught.value.col) == (1, 5)
    assert "aliases (*ref) are not allowed" in str(caught.value)


def test_fast_reader_gives_what_pyyaml_constructs(stores, mini):
    import yaml

    from storeops.sop import sop_files

    paths = [stores / "projects" / "mini-us.yaml", stores / "storeops.yaml"] + [p for p, _, _ in sop_files(stores)]
    for path in paths:
        text = path.read_text(encoding="utf-8")
        assert yamlio.loads(text) == yaml.load(text, Loader=yamlio.StrictLoader), path


@pytest.mark.parametrize("value", [
    "", " lead", "trail ", "yes", "No", "null", "~", "true", "1", "1.0", "0o17", "1:20", "#x", "a: b", "- x",
    "multi\nline", "multi\nline with trailing \nspace", "tab\tin", "ctrl\x01char", "unicode 中文 ✓", "'q'", '"dq"',
    "line\n", "\n", "a\n\nb\n", "2026-01-01", "@at", "*star", "&amp", "{brace", "[brk", "|pipe", "?q", "\u2028sep",
    1.5, 1e17, float("inf"), -0.0, -5, False, None, [], {}, [[], {}, [1, [2]], {"k": None}],
])
def test_canonical_writer_writes_what_pyyaml_writes(value):
    import yaml

    data = {"field": value, "list": [value], "nested": {"x": value}}
    expected = yaml.dump(data, Dumper=yamlio.CanonicalDumper, sort_keys=False, default_flow_style=False,
                         allow_unicode=True, width=4096, indent=2)
    assert yamlio.dumps(data) == expected


@pytest.mark.parametrize("text", ["!!seq\nid: x\n", "!!map [1]\n", "a: !!map [1]\n", "a: !!seq {b: 1}\n"])
def test_a_collection_tag_on_the_wrong_kind_of_node_is_a_parse_error(text):
    """Found by the fuzzer: `!!seq` on a mapping was an AttributeError (exit 70) in every reader."""
    with pytest.raises(yaml.YAMLError, match="tag on something that is not a"):
        yamlio._load(text)
