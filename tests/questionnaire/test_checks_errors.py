"""Each check of a questionnaire file, reached through a broken copy of the test questionnaire:
every problem is one ``FILE:LINE: what is wrong`` line pointing at the offending line."""

from __future__ import annotations

from pathlib import Path

import pytest

from tra_assess.common.errors import InvalidInputError
from tra_assess.questionnaire.load import load_questionnaire_file

MINI = (Path(__file__).parents[1] / "data" / "mini.yaml").read_text(encoding="utf-8")
GAMMA_TWO = "      - id: gamma.two\n"
ROLES = "roles: [lead, staff]\n"
CHANGES = ROLES + "changes:\n"


def _problems(tmp_path: Path, old: str, new: str) -> list[str]:
    assert old in MINI, old
    path = tmp_path / "q.yaml"
    path.write_text(MINI.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(InvalidInputError) as caught:
        load_questionnaire_file(path, display="q.yaml")
    return caught.value.lines()


SCALE_AND_LEVELS = [
    (
        "{value: 2, label: Half}",
        "{value: 1, label: Half}",
        [
            "q.yaml:10: scale value 1 appears twice",
            "q.yaml:30: item 'alpha.one': anchor 2 is not a scale value (0, 1, 3, 4)",
        ],
    ),
    (
        "  - {value: 3, label: Most}\n  - {value: 4, label: All}",
        "  - {value: 4, label: All}\n  - {value: 3, label: Most}",
        ["q.yaml:12: scale values must ascend: 3 after 4"],
    ),
    (
        "{value: 2, label: Half}",
        "{value: 0.5, label: Half}",
        [
            "q.yaml:10: scale entry 3: 'value' must be a whole number",
            "q.yaml:30: item 'alpha.one': anchor 2 is not a scale value (0, 1, 3, 4)",
        ],
    ),
    (
        "{value: 1, label: Some}",
        "{value: 1, label: N/A}",
        ["q.yaml:9: scale label 'N/A' is a word for not applicable or don't know"],
    ),
    (
        "{value: 2, label: Half}",
        "{value: 2, label: '3'}",
        ["q.yaml:10: scale label '3' is another scale value's number"],
    ),
    (
        "{value: 2, label: Half}",
        "{value: 2, label: ' some '}",
        ["q.yaml:10: scale label ' some ' is the label of another scale value"],
    ),
    (
        "{value: 0, label: None}",
        "{value: 0, label: None, colour: red}",
        [
            "q.yaml:8: scale entry 1: unknown key 'colour' "
            "(expected one of: value, label, description)"
        ],
    ),
    ("{value: 0, label: None}", "{value: 0}", ["q.yaml:8: scale entry 1: 'label' is required"]),
    (
        "{id: low, label: Low, min_score: 0}",
        "{id: low, label: Low, min_score: 0.5}",
        ["q.yaml:14: level 'low': the first level's min_score must be 0"],
    ),
    (
        "{id: low, label: Low, min_score: 0}",
        "{id: low, label: Low, min_score: -1}",
        [
            "q.yaml:14: level 'low': the first level's min_score must be 0",
            "q.yaml:14: level 'low': 'min_score' must be at least 0.0",
        ],
    ),
    (
        "{id: high, label: High, min_score: 2.5}",
        "{id: high, label: High, min_score: 1.5}",
        [
            "q.yaml:16: level 'high': min_score 1.5 must be greater than the previous "
            "level's 1.5 (levels ascend)"
        ],
    ),
    (
        "{id: top, label: Top, min_score: 3.5}",
        "{id: top, label: Top, min_score: 4.5}",
        ["q.yaml:17: level 'top': min_score 4.5 is above the top of the scale (4)"],
    ),
    (
        "{id: top, label: Top, min_score: 3.5}",
        "{label: Top, min_score: 3.5}",
        ["q.yaml:17: level entry 4: 'id' is required"],
    ),
    (
        "  - {id: top, label: Top, min_score: 3.5}",
        "  - {id: top, label: Top, min_score: 3.5}\n  - just text",
        ["q.yaml:18: level entry 5: value must be a mapping (key: value lines)"],
    ),
    (
        "{id: low, label: Low, min_score: 0}",
        "{id: low, label: Low, min_score: 0, extra: 1}",
        [
            "q.yaml:14: level 'low': unknown key 'extra' "
            "(expected one of: id, label, min_score, description)"
        ],
    ),
    (
        "target: high",
        "target: highest",
        ["q.yaml:18: target 'highest' is not a level (one of: low, mid, high, top)"],
    ),
    ("target: high", "target: 3", ["q.yaml:18: 'target' must be text: quote it"]),
]


@pytest.mark.parametrize(("old", "new", "expected"), SCALE_AND_LEVELS)
def test_scale_and_level_problems(
    tmp_path: Path, old: str, new: str, expected: list[str]
) -> None:
    assert _problems(tmp_path, old, new) == expected


def test_a_level_id_used_twice_is_named_once_in_the_list_of_levels(tmp_path: Path) -> None:
    lines = _problems(
        tmp_path,
        "{id: mid, label: Middle, min_score: 1.5}",
        "{id: low, label: Middle, min_score: 1.5}",
    )
    assert lines == [
        "q.yaml:15: level 'low': id appears twice",
        "q.yaml:31: item 'alpha.one': action key 'mid' is not a level id (low, high, top)",
        "q.yaml:37: item 'alpha.two': action key 'mid' is not a level id (low, high, top)",
    ]


TOP_LEVEL = [
    ("min_coverage: 0.5", "min_coverage: 1.5", ["q.yaml:19: 'min_coverage' must be at most 1.0"]),
    (
        "min_coverage: 0.5",
        "min_coverage: 0",
        ["q.yaml:19: 'min_coverage' must be greater than 0.0"],
    ),
    ("min_coverage: 0.5", "min_coverage: lots", ["q.yaml:19: 'min_coverage' must be a number"]),
    (
        "min_coverage: 0.5",
        "min_coverage: 0.5\ncritical_dissent: 2",
        ["q.yaml:20: 'critical_dissent' must be at most 1.0"],
    ),
    ("min_group_size: 3", "min_group_size: 0", ["q.yaml:20: 'min_group_size' must be at least 1"]),
    (
        "min_group_size: 3",
        "min_group_size: 2.5",
        ["q.yaml:20: 'min_group_size' must be a whole number"],
    ),
    (
        "id: mini",
        "id: Mini Q",
        [
            "q.yaml:3: 'id' must be an id: lowercase letters, digits, '-', '_' or '.', "
            "starting with a letter or digit"
        ],
    ),
    ("title: Mini test questionnaire", "title: ''", ["q.yaml:5: 'title' must not be empty"]),
    ("roles: [lead, staff]", "roles: lead", ["q.yaml:21: 'roles' must be a list"]),
    (
        ROLES,
        ROLES + "references: [just text]\n",
        ["q.yaml:22: reference entry 1: value must be a mapping (key: value lines)"],
    ),
    (
        ROLES,
        ROLES + "references: [{url: x}]\n",
        ["q.yaml:22: reference entry 1: 'title' is required"],
    ),
    (
        "format: tra-questionnaire/1",
        "format: tra-questionnaire/2",
        ["q.yaml:2: 'format' must be 'tra-questionnaire/1'"],
    ),
]


@pytest.mark.parametrize(("old", "new", "expected"), TOP_LEVEL)
def test_top_level_problems(tmp_path: Path, old: str, new: str, expected: list[str]) -> None:
    assert _problems(tmp_path, old, new) == expected


@pytest.mark.parametrize(
    ("old", "new", "line"),
    [
        (
            "{id: top, label: Top, min_score: 3.5}",
            "{id: top, label: Top, min_score: yes}",
            "q.yaml:17: level 'top': 'min_score' must be a number",
        ),
        (
            "min_coverage: 0.5",
            "min_coverage: true",
            "q.yaml:19: 'min_coverage' must be a number",
        ),
        (
            "min_coverage: 0.5",
            "min_coverage: 0.5\ncritical_dissent: no",
            "q.yaml:20: 'critical_dissent' must be a number",
        ),
        (
            "    weight: 2\n    items",
            "    weight: yes\n    items",
            "q.yaml:25: domain 'alpha': 'weight' must be a number",
        ),
        (
            GAMMA_TWO,
            GAMMA_TWO + "        weight: true\n",
            "q.yaml:58: item 'gamma.two': 'weight' must be a number",
        ),
    ],
)
def test_an_unquoted_yes_or_true_is_not_read_as_the_number_one(
    tmp_path: Path, old: str, new: str, line: str
) -> None:
    # YAML reads yes/true as a boolean; a number field must not take it as 1.0 (a level
    # 'top' at min_score 1.0 after 'high' at 2.5 would break the ascending levels)
    assert _problems(tmp_path, old, new) == [line]


def test_whole_numbers_are_still_numbers_for_weights_and_scores(tmp_path: Path) -> None:
    path = tmp_path / "q.yaml"
    text = MINI.replace("min_score: 1.5}", "min_score: 2}")
    text = text.replace("min_coverage: 0.5", "min_coverage: 1")
    path.write_text(text, encoding="utf-8")
    q = load_questionnaire_file(path)
    assert [level.min_score for level in q.levels] == [0.0, 2.0, 2.5, 3.5]
    assert q.min_coverage == 1.0
    assert q.domains[0].weight == 2.0


DOMAINS_AND_ITEMS = [
    (
        "  - id: gamma\n",
        "  - just a domain\n  - id: gamma\n",
        ["q.yaml:51: domain 2: value must be a mapping (key: value lines)"],
    ),
    (
        "  - id: gamma\n",
        "  - id: alpha\n",
        ["q.yaml:51: domain id 'alpha' is used twice (first at q.yaml:23)"],
    ),
    (
        "  - id: gamma\n",
        "  - title: no id\n    items: [{id: g.x, text: X}]\n  - id: gamma\n",
        ["q.yaml:51: domain 2: 'id' is required"],
    ),
    (
        "  - id: gamma\n",
        "  - id: delta\n    title: Delta\n    itemz: []\n  - id: gamma\n",
        [
            "q.yaml:51: domain 'delta': 'items' is required",
            "q.yaml:53: domain 'delta': unknown key 'itemz' (did you mean 'items'?)",
        ],
    ),
    (
        "  - id: gamma\n",
        "  - id: gamma\n    weight: 0\n",
        ["q.yaml:52: domain 'gamma': 'weight' must be greater than 0.0"],
    ),
    (
        "    title: Gamma practices\n",
        "    title: Gamma practices\n    kind: theory\n",
        ["q.yaml:53: domain 'gamma': 'kind' must be 'practice' or 'training'"],
    ),
    (
        "        principles: [cultural]",
        "        principles: [cultural]\n        audience: [lead, boss]",
        [
            "q.yaml:57: item 'gamma.one': audience 'boss' is not one of the questionnaire's "
            "roles (lead, staff)"
        ],
    ),
    (
        "anchors: {0: never,",
        "anchors: {7: never,",
        ["q.yaml:30: item 'alpha.one': anchor 7 is not a scale value (0, 1, 2, 3, 4)"],
    ),
    (
        "actions: {low: Start alpha one.,",
        "actions: {lowest: Start alpha one.,",
        [
            "q.yaml:31: item 'alpha.one': action key 'lowest' is not a level id "
            "(low, mid, high, top)"
        ],
    ),
    (
        "        principles: [collaboration]",
        "        principles: [colaboration]",
        [
            "q.yaml:40: item 'alpha.three': unknown principle 'colaboration' "
            "(did you mean 'collaboration'?)"
        ],
    ),
    (
        "        principles: [collaboration]",
        "        principles: [zzzz]",
        [
            "q.yaml:40: item 'alpha.three': unknown principle 'zzzz' (one of: safety, "
            "trustworthiness, peer-support, collaboration, empowerment, cultural)"
        ],
    ),
    (
        GAMMA_TWO + "        text: Gamma two happens.\n",
        GAMMA_TWO + "        text: 12\n",
        ["q.yaml:58: item 'gamma.two': 'text' must be text: quote it"],
    ),
    (
        GAMMA_TWO + "        text: Gamma two happens.\n",
        GAMMA_TWO + "        text: [a]\n",
        ["q.yaml:58: item 'gamma.two': 'text' must be text"],
    ),
    (
        GAMMA_TWO + "        text: Gamma two happens.\n",
        "      - text: Gamma.\n",
        ["q.yaml:57: domain 2 item 1: 'id' is required"],
    ),
    (
        GAMMA_TWO,
        GAMMA_TWO + "        weight: .nan\n",
        ["q.yaml:58: item 'gamma.two': 'weight' must be a number"],
    ),
    (
        GAMMA_TWO,
        GAMMA_TWO + "        weight: -1\n",
        ["q.yaml:58: item 'gamma.two': 'weight' must be greater than 0.0"],
    ),
    (
        GAMMA_TWO,
        GAMMA_TWO + "        crosswalk: [a]\n",
        ["q.yaml:58: item 'gamma.two': 'crosswalk' must be a mapping (key: value lines)"],
    ),
    (
        GAMMA_TWO,
        GAMMA_TWO + "        help: {a: 1}\n",
        ["q.yaml:58: item 'gamma.two': 'help' must be text"],
    ),
    (
        GAMMA_TWO,
        GAMMA_TWO + "        critical: 'yes'\n",
        ["q.yaml:58: item 'gamma.two': 'critical' must be true or false"],
    ),
    (
        GAMMA_TWO,
        GAMMA_TWO + "        anchors: {0: ''}\n",
        ["q.yaml:58: item 'gamma.two': 'anchors.0' must not be empty"],
    ),
    (
        GAMMA_TWO,
        GAMMA_TWO + "        principles: safety\n",
        ["q.yaml:58: item 'gamma.two': 'principles' must be a list"],
    ),
    (
        GAMMA_TWO,
        GAMMA_TWO + "        zzzzqqq: 1\n",
        [
            "q.yaml:58: item 'gamma.two': unknown key 'zzzzqqq' (expected one of: id, text, "
            "help, principles, critical, weight, audience, setting, crosswalk, anchors, actions)"
        ],
    ),
]


@pytest.mark.parametrize(("old", "new", "expected"), DOMAINS_AND_ITEMS)
def test_domain_and_item_problems(
    tmp_path: Path, old: str, new: str, expected: list[str]
) -> None:
    assert _problems(tmp_path, old, new) == expected


CHANGE_ENTRIES = [
    (
        "  - version: '1.0'\n    added: [nothing.here]\n"
        "  - version: '2.0'\n    added: [alpha.one, new.one]\n    reworded: [old.one]\n"
        "    removed: [beta.two, gone.one]\n",
        [
            # only this version's entry is checked against the items
            "q.yaml:26: changes 2.0: added item 'new.one' is not in the questionnaire",
            "q.yaml:27: changes 2.0: reworded item 'old.one' is not in the questionnaire",
            "q.yaml:28: changes 2.0: removed item 'beta.two' is still in the questionnaire",
        ],
    ),
    (
        "  - version: '2.0'\n    split: {old.big: [alpha.one, alpha.nine], beta.one: beta.two}\n",
        [
            "q.yaml:24: changes 2.0: split names 'alpha.nine', which is not in the questionnaire",
            "q.yaml:24: changes 2.0: split old item 'beta.one' is still in the questionnaire",
            "q.yaml:24: change entry 1: 'split.beta.one' must be a list",
        ],
    ),
    (
        "  - version: '2.0'\n    merged: {gamma.one: [gamma.two, old.x], new.whole: [old.y]}\n",
        [
            "q.yaml:24: changes 2.0: merged old item 'gamma.two' is still in the questionnaire",
            "q.yaml:24: changes 2.0: merged names 'new.whole', which is not in the questionnaire",
        ],
    ),
    (
        "  - version: '2.0'\n    added: [new.one]\n  - just text\n",
        [
            "q.yaml:24: changes 2.0: added item 'new.one' is not in the questionnaire",
            "q.yaml:25: change entry 2: value must be a mapping (key: value lines)",
        ],
    ),
    (
        "  - version: '2.0'\n    summary: [x]\n",
        ["q.yaml:24: change entry 1: 'summary' must be text"],
    ),
    (
        "  - version: 2\n",
        ["q.yaml:23: change entry 1: 'version' must be a string: quote it, for example "
         "version: \"1.0\""],
    ),
]


@pytest.mark.parametrize(("entries", "expected"), CHANGE_ENTRIES)
def test_change_entry_problems(tmp_path: Path, entries: str, expected: list[str]) -> None:
    assert _problems(tmp_path, ROLES, CHANGES + entries) == expected


def test_an_item_split_into_itself_and_another_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "q.yaml"
    entry = "  - version: '2.0'\n    split: {gamma.one: [gamma.one, gamma.two]}\n"
    path.write_text(MINI.replace(ROLES, CHANGES + entry), encoding="utf-8")
    q = load_questionnaire_file(path)
    assert q.changes[0].split == {"gamma.one": ["gamma.one", "gamma.two"]}


def test_changes_are_not_checked_while_another_problem_hides_items(tmp_path: Path) -> None:
    # a duplicate item id is reported; the entry naming that id is not reported as well
    text = MINI.replace(ROLES, CHANGES + "  - version: '2.0'\n    added: [new.one]\n")
    text = text.replace("      - id: gamma.two\n", "      - id: gamma.one\n")
    path = tmp_path / "q.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidInputError) as caught:
        load_questionnaire_file(path, display="q.yaml")
    assert caught.value.lines() == [
        "q.yaml:60: item 'gamma.one': id is used twice (first at q.yaml:57)"
    ]
