"""Finding and reading answer inputs; hostile input gets one clear line, never a traceback."""

from __future__ import annotations

import io
import os
import time
from pathlib import Path

import pytest
import yaml

from tra_assess.common.errors import UsageError
from tra_assess.scoring.batch import score_inputs
from tra_assess.sources import yamlfast
from tra_assess.sources.inputs import expand_inputs

GOOD = """format: tra-answers/1
questionnaire: {id: mini, version: "2.0"}
respondent: {id: %s, role: staff}
answers:
  alpha.one: 3
  alpha.two: 2
"""


def _one_problem(path: Path, mini_path: Path) -> str:
    outcome = score_inputs([path], questionnaire=mini_path)
    assert outcome.results.respondents == 0
    assert len(outcome.results.inputs.rejected) == 1
    assert len(outcome.problems) == 1, outcome.problems
    return outcome.problems[0]


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("empty.yaml", b"", "{p}: the file is empty (expected a tra-answers/1 document)"),
        ("blank.json", b"  \n", "{p}: the file is empty (expected a tra-answers/1 document)"),
        ("bin.yaml", b"\x89PNG\r\n\x1a\n\x00\x00", "{p}: this is a binary file, not UTF-8 text"),
        (
            "latin.yaml",
            b"format: x\nnote: caf\xe9\n",
            "{p}:2: not valid UTF-8 text (save the file as UTF-8)",
        ),
        (
            "list.yaml",
            b"- 1\n- 2\n",
            "{p}:1: expected an answers mapping (format: tra-answers/1, answers: ...)",
        ),
        ("bad.json", b'{"format": \n', "{p}:2: invalid JSON: Expecting value"),
        ("deep.json", b"[" * 100_000 + b"]" * 100_000, "{p}: invalid JSON: nested too deeply"),
        (
            "deep.yaml",
            b"[" * 100_000 + b"]" * 100_000,
            "{p}: nested more than 500 levels deep; not an answers file",
        ),
        (
            "dash.yaml",
            b"- " * 200_000 + b"x",
            "{p}: nested more than 500 levels deep; not an answers file",
        ),
        (
            "date.yaml",
            b"assessed_on: 2026-13-45\n",
            "{p}:1: invalid YAML value: month must be in 1..12",
        ),
        (
            "tag-timestamp.yaml",
            b"format: tra-answers/1\nanswers:\n  alpha.one: !!timestamp 'x'\n",
            "{p}:3: invalid YAML value: 'x' is not a date",
        ),
        (
            "tag-bool.yaml",
            b"format: tra-answers/1\nanswers:\n  alpha.one: !!bool 'maybe'\n",
            "{p}:3: invalid YAML value: 'maybe' is not true or false",
        ),
        (
            "tag-float.yaml",
            b"format: tra-answers/1\nanswers:\n  alpha.one: !!float 'x'\n",
            "{p}:3: invalid YAML value: 'x' is not a number",
        ),
        (
            "twice.json",
            b'{"format": "tra-answers/1",\n "answers": {"alpha.one": 3,\n  "alpha.one": 1}}',
            "{p}:3: invalid JSON: key 'alpha.one' is written twice in one object: keep one",
        ),
        (
            "surrogate.json",
            b'{"format": "tra-answers/1",\n "organization": "Org\\ud800"}',
            "{p}:2: invalid JSON: a \\u escape that is half of a character, not text",
        ),
        (
            "long-number.json",
            b'{"format": "tra-answers/1",\n "answers": {"alpha.one": ' + b"9" * 6000 + b"}}",
            "{p}:2: invalid JSON: a number with far too many digits",
        ),
        (
            "long-number.yaml",
            b"format: tra-answers/1\nanswers:\n  alpha.one: " + b"9" * 6000 + b"\n",
            "{p}:3: invalid YAML value: a number with far too many digits",
        ),
        (
            "long-text.yaml",
            b"format: tra-answers/1\nquestionnaire: {id: mini}\nanswers:\n  alpha.one: "
            + b"x" * 1_000_000
            + b"\n",
            "{p}:4: item 'alpha.one': '" + "x" * 57 + "...' is not an answer "
            "(expected 0-4, a scale label, na or unknown)",
        ),
        (
            "syntax.yaml",
            b"a: [1, 2\nb: 3\n",
            "{p}:2: invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence)",
        ),
    ],
)
def test_bad_files_get_one_line(
    tmp_path: Path, mini_path: Path, name: str, content: bytes, expected: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert _one_problem(path, mini_path) == expected.format(p=path)


def test_billion_laughs_fails_fast(tmp_path: Path, mini_path: Path) -> None:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 12)]
    path = tmp_path / "lol.yaml"
    path.write_text("\n".join(lines) + "\n")
    start = time.perf_counter()
    line = _one_problem(path, mini_path)
    assert time.perf_counter() - start < 2
    assert line == (
        f"{path}:2: YAML aliases (*name) are not allowed in answer files: "
        "write the value out in full"
    )


def test_oversize_file_is_refused_before_parsing(tmp_path: Path, mini_path: Path) -> None:
    path = tmp_path / "big.yaml"
    with path.open("wb") as handle:
        handle.truncate(21 * 1024 * 1024)  # sparse: 21 MB of NULs, never parsed
    assert _one_problem(path, mini_path) == f"{path}: file is 21.0 MB; the limit is 20 MB"
    csv_path = tmp_path / "big.csv"
    path.rename(csv_path)
    assert _one_problem(csv_path, mini_path) == f"{csv_path}: file is 21.0 MB; the limit is 20 MB"


def test_unknown_item_and_off_scale_value_name_the_line(tmp_path: Path, mini_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(GOOD % "r1" + "  alpha.nine: 1\n  beta.one: 7\n")
    outcome = score_inputs([path], questionnaire=mini_path)
    assert outcome.problems == [
        f"{path}:7: unknown item 'alpha.nine' (not in mini 2.0)",
        f"{path}:8: item 'beta.one': 7 is not on the scale "
        "(expected 0-4, a scale label, na or unknown)",
    ]
    assert outcome.results.inputs.rejected[0].path == str(path)
    assert outcome.results.inputs.rejected[0].error.startswith("7: unknown item 'alpha.nine'")


def test_other_questionnaire_is_rejected_naming_both(tmp_path: Path, mini_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(GOOD % "r1")
    (tmp_path / "b.yaml").write_text((GOOD % "r2").replace("id: mini", "id: other"))
    outcome = score_inputs([tmp_path], questionnaire=mini_path)
    assert outcome.problems == [
        f"{tmp_path / 'b.yaml'}:2: answers are for questionnaire 'other', but this batch is "
        "scored with 'mini' 2.0 (score them separately, with -q)"
    ]
    assert outcome.results.respondents == 1


def test_other_version_accepted_with_warning_when_items_exist(
    tmp_path: Path, mini_path: Path
) -> None:
    (tmp_path / "a.yaml").write_text((GOOD % "r1").replace('"2.0"', '"1.0"'))
    (tmp_path / "b.yaml").write_text((GOOD % "r2").replace('"2.0"', '"1.0"') + "  old.item: 1\n")
    outcome = score_inputs([tmp_path], questionnaire=mini_path)
    assert outcome.results.respondents == 1
    assert outcome.problems == [
        f"{tmp_path / 'b.yaml'}:7: unknown item 'old.item' (not in mini 2.0)"
    ]
    assert (
        "1 answer file(s) are for mini 1.0; scored with mini 2.0 (every answered item exists in it)"
        in outcome.warnings
    )


def test_directories_in_sorted_path_order_and_no_such_file(tmp_path: Path) -> None:
    for name in ("b/2.yaml", "a/z.json", "a-c.csv", ".hidden/x.yaml", "notes.txt", "a/y.YML"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    sources, _ = expand_inputs([tmp_path])
    assert [Path(s.display).relative_to(tmp_path).as_posix() for s in sources] == [
        "a/y.YML",
        "a/z.json",
        "a-c.csv",
        "b/2.yaml",
    ]
    with pytest.raises(UsageError, match="nope: no such file or directory"):
        expand_inputs([tmp_path / "a", "nope"])
    (tmp_path / "empty").mkdir()
    with pytest.raises(UsageError, match="no answer files found"):
        expand_inputs([tmp_path / "empty"])


def test_stdin_document(mini_path: Path) -> None:
    outcome = score_inputs(["-"], questionnaire=mini_path, stdin=io.StringIO(GOOD % "r9"))
    assert outcome.results.respondents == 1
    outcome = score_inputs(["-"], questionnaire=mini_path, stdin=io.StringIO('{"answers": 3}'))
    assert outcome.problems[0].startswith("<stdin>:1: 'format: tra-answers/1' is missing")


def test_questionnaire_defaults_to_the_one_the_answers_name(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(GOOD % "r1")
    with pytest.raises(
        UsageError, match="the answers are for questionnaire 'mini', which is not built in"
    ):
        score_inputs([tmp_path])


@pytest.mark.parametrize(
    "text",
    [
        "a: 010\nb: 0x1f\nc: yes\nd: 1.5\ne: -3\nf: 2026-11-22\ng: '3'\nh: ~\ni: [1, x]\nj: 1_0\n",
        "a: !!str 3\nb: 2026-1-5\nc: Null\nd: |\n  text\n",
        "3: x\n? [a]\n: b\n",
        "a: 1\nb: 0\nc: 00\n",
        "- 1\n- {a: 2}\n",
    ],
)
def test_fast_yaml_reader_agrees_with_the_safe_loader(text: str) -> None:
    fast = yamlfast.load(text)
    if fast is not yamlfast.FALLBACK:
        assert repr(fast) == repr(yaml.load(text, Loader=yaml.CSafeLoader))



def test_a_rejected_huge_number_leaves_the_good_file_scored(
    tmp_path: Path, mini_path: Path
) -> None:
    (tmp_path / "a.json").write_text('{"answers": {"alpha.one": ' + "7" * 5000 + "}}")
    (tmp_path / "b.yaml").write_text(GOOD % "r2")
    outcome = score_inputs([tmp_path], questionnaire=mini_path)
    assert outcome.results.respondents == 1
    assert outcome.problems == [
        f"{tmp_path / 'a.json'}:1: invalid JSON: a number with far too many digits"
    ]


def test_escaped_pairs_and_backslashes_are_text(tmp_path: Path, mini_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text(
        '{"format": "tra-answers/1", "questionnaire": {"id": "mini"}, '
        '"organization": "C:\\\\ud800 \\ud83d\\ude00", "answers": {"alpha.one": 3}}'
    )
    outcome = score_inputs([path], questionnaire=mini_path)
    assert outcome.problems == []
    assert outcome.results.organizations == ["C:\\ud800 \U0001f600"]


def test_inputs_that_are_not_files_say_what_they_are(tmp_path: Path) -> None:
    loop = tmp_path / "loop"
    loop.symlink_to(tmp_path / "loop")
    with pytest.raises(UsageError) as caught:
        expand_inputs([loop])
    assert caught.value.message == f"{loop}: a link that leads nowhere (or round in a loop)"
    if hasattr(os, "mkfifo"):
        fifo = tmp_path / "pipe"
        os.mkfifo(fifo)
        with pytest.raises(UsageError) as caught:
            expand_inputs([fifo])
        assert caught.value.message == (
            f"{fifo}: not a file or folder (a device or a pipe); save the answers to a file"
        )
