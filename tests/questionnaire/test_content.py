"""The built-in questionnaires as content: structure (SPEC 2, 3, 11), wording rules, the
frozen item ids, readability, and what `questionnaires validate` says about broken copies."""

from __future__ import annotations

import functools
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tra_assess.cli.app import app
from tra_assess.common.resources import builtin_questionnaires
from tra_assess.questionnaire.load import load_questionnaire
from tra_assess.questionnaire.model import PRINCIPLES, Item, Questionnaire

DOMAINS = {  # SPEC section 11, in order
    "intake": "Intake, screening and assessment",
    "supervision": "Supervision and reflective practice",
    "leadership": "Leadership, governance and policy",
    "crisis": "Crisis response, de-escalation and repair",
    "environment": "Physical and sensory environment",
    "wellness": "Staff wellness and secondary traumatic stress",
    "training": "Training and in-role implementation",
    "voice": "Voice, choice and collaboration",
    "equity": "Cultural, historical and gender responsiveness",
    "improvement": "Measurement and continuous improvement",
}

# Frozen on purpose: an item id is how answers and earlier results are matched. Changing or
# removing one breaks comparisons with earlier assessments; add new ids instead.
TRA_CORE_IDS = [
    "intake.first-contact", "intake.why-asked", "intake.decline-disclosure", "intake.pacing",
    "intake.confidentiality", "intake.choices", "intake.screening-response",
    "supervision.reflective-time", "supervision.case-consultation", "supervision.sts-response",
    "supervision.learning-to-cases", "supervision.peer-consultation",
    "supervision.supervisors-supported", "supervision.culture-and-power",
    "leadership.plan-goals", "leadership.budget", "leadership.decisions-explained",
    "leadership.policy-review", "leadership.learning-not-blame",
    "leadership.people-served-governance", "leadership.staff-voice",
    "crisis.prevention-plan", "crisis.de-escalation", "crisis.restraint-last-resort",
    "crisis.debrief-people-served", "crisis.debrief-staff", "crisis.incident-review",
    "crisis.repair",
    "environment.welcome", "environment.private-rooms", "environment.noise",
    "environment.lighting", "environment.calming-space", "environment.signage",
    "environment.site-safety", "environment.review-with-people",
    "wellness.workload", "wellness.recovery-time", "wellness.sts-check-ins",
    "wellness.peer-support", "wellness.leaders-model", "wellness.support-access",
    "wellness.return-to-work",
    "training.all-roles", "training.onboarding", "training.coaching", "training.practice-routines",
    "training.refreshers", "training.lived-experience", "training.practice-evaluation",
    "voice.decision-seats", "voice.you-said-we-did", "voice.service-choices",
    "voice.decisions-explained", "voice.peer-roles", "voice.safe-complaints", "voice.shared-plans",
    "equity.culture-in-plans", "equity.historical-harm", "equity.interpreters",
    "equity.worker-gender", "equity.bias-review", "equity.data-by-group",
    "equity.community-partners",
    "improvement.practice-measures", "improvement.staff-review",
    "improvement.people-served-review", "improvement.repeat-assessment",
    "improvement.action-owners", "improvement.learning-from-complaints", "improvement.small-tests",
]

QUICK_MUST_HAVE = {  # the critical practices a quick check cannot leave out
    "crisis.restraint-last-resort",
    "crisis.debrief-people-served",
    "intake.decline-disclosure",
    "wellness.recovery-time",
}

LEVELS = [  # SPEC section 2
    ("not-yet", "Not yet trauma aware", 0.0),
    ("aware", "Trauma aware", 1.0),
    ("sensitive", "Trauma sensitive", 2.0),
    ("responsive", "Trauma responsive", 3.0),
    ("informed", "Trauma informed", 3.5),
]

BUILTINS = ["tra-core", "tra-quick"]
_load = functools.cache(load_questionnaire)


@pytest.fixture(scope="module")
def core() -> Questionnaire:
    return _load("tra-core")


@pytest.fixture(scope="module")
def quick() -> Questionnaire:
    return _load("tra-quick")


@pytest.fixture(scope="module", params=BUILTINS)
def builtin(request: pytest.FixtureRequest) -> Questionnaire:
    return _load(request.param)


def _all_items() -> list[tuple[str, Item]]:
    return [(qid, item) for qid in BUILTINS for item in _load(qid).items]


# -- structure ------------------------------------------------------------------------------


def test_both_builtins_are_found() -> None:
    assert {"tra-core", "tra-quick"} <= set(builtin_questionnaires())


def test_domains_are_those_of_spec_11_in_order(builtin: Questionnaire) -> None:
    assert [(d.id, d.title) for d in builtin.domains] == list(DOMAINS.items())


def test_tra_core_size(core: Questionnaire) -> None:
    assert core.id == "tra-core"
    sizes = {d.id: len(d.items) for d in core.domains}
    assert {d: n for d, n in sizes.items() if not 6 <= n <= 8} == {}, "6 to 8 items per domain"
    assert 60 <= len(core.items) <= 80


def test_tra_core_item_ids_are_frozen(core: Questionnaire) -> None:
    assert [item.id for item in core.items] == TRA_CORE_IDS


def test_ids_are_unique_and_domain_prefixed(builtin: Questionnaire) -> None:
    ids = [item.id for item in builtin.items]
    assert [i for i, n in Counter(ids).items() if n > 1] == []
    for domain in builtin.domains:
        for item in domain.items:
            pattern = rf"{re.escape(domain.id)}\.[a-z0-9]+(-[a-z0-9]+)*"
            assert re.fullmatch(pattern, item.id), item.id


def test_levels_and_scale_are_those_of_spec_2(builtin: Questionnaire) -> None:
    assert [(lv.id, lv.label, lv.min_score) for lv in builtin.levels] == LEVELS
    assert builtin.scale_values == [0, 1, 2, 3, 4]
    assert builtin.scale[0].label == "Not in place"
    assert builtin.scale[-1].label == "Embedded and measured"
    assert all(point.description for point in builtin.scale)
    assert builtin.default_target == "responsive"


def test_purpose_and_limits_are_stated(builtin: Questionnaire) -> None:
    text = " ".join((builtin.description or "").split())
    assert "not a validated" in text
    assert "certification" in text
    assert "improvement planning" in text


def test_references_cover_the_frameworks(builtin: Questionnaire) -> None:
    titles = " ".join(ref.title for ref in builtin.references)
    for needle in ("SAMHSA (2014)", "Missouri Model", "Six Core Strategies", "NCTSN",
                   "Fallot", "Harris"):
        assert needle in titles, needle


# -- tra-quick ------------------------------------------------------------------------------


def test_tra_quick_is_a_short_form_of_tra_core(quick: Questionnaire, core: Questionnaire) -> None:
    assert (quick.id, quick.version) == ("tra-quick", "1.0.0")
    assert 12 <= len(quick.items) <= 15
    assert all(1 <= len(d.items) <= 2 for d in quick.domains)
    assert set(quick.item_by_id) >= QUICK_MUST_HAVE
    assert "tra-core" in (quick.description or "")


def test_tra_quick_items_are_identical_to_tra_core(
    quick: Questionnaire, core: Questionnaire
) -> None:
    for item in quick.items:
        assert item.id in core.item_by_id, item.id
        assert quick.item_domain[item.id] == core.item_domain[item.id]
        assert item.text == core.item_by_id[item.id].text, item.id
        assert item == core.item_by_id[item.id], f"{item.id}: copy it verbatim from tra-core"
    order = [item.id for item in core.items if item.id in quick.item_by_id]
    assert [item.id for item in quick.items] == order


def test_tra_quick_shares_scale_levels_and_references(quick: Questionnaire,
                                                      core: Questionnaire) -> None:
    for field in ("scale", "levels", "target", "references", "roles", "min_coverage",
                  "min_group_size"):
        assert getattr(quick, field) == getattr(core, field), field
    for domain in quick.domains:
        assert domain.description == core.domain(domain.id).description


# -- every item -----------------------------------------------------------------------------


@pytest.mark.parametrize(("qid", "item"), _all_items(), ids=lambda v: getattr(v, "id", v))
def test_item_is_complete(qid: str, item: Item) -> None:
    q = _load(qid)
    assert len(item.text.split()) <= 32
    assert sorted(item.anchors) == q.scale_values
    assert sorted(item.actions) == sorted(q.level_ids[:-1]), "an action for every level below top"
    assert item.principles, "at least one principle tag"
    assert item.help


def test_critical_items(core: Questionnaire) -> None:
    critical = [item for item in core.items if item.critical]
    domains = {core.item_domain[item.id] for item in critical}
    assert {"crisis", "intake", "wellness"} <= domains
    assert len(critical) <= len(core.items) / 4


def test_every_principle_is_tagged_in_three_domains(core: Questionnaire) -> None:
    matrix = {
        tag: {d.id for d in core.domains if any(tag in i.principles for i in d.items)}
        for tag in PRINCIPLES
    }
    assert {tag: len(ds) >= 3 for tag, ds in matrix.items()} == dict.fromkeys(PRINCIPLES, True)


_US_OR_OFF_STYLE = re.compile(  # British spelling; "frontline"; "people served"
    r"\b((organ|recogn|priorit|minim|apolog|traumat|summar|emphas|real|util|stabil|normal|"
    r"standard|categor|special|author|anonym)iz\w*|behavior\w*|color\b|center\w*|"
    r"counseling|program\b|front-line|people we serve|service-users?|clients?)",
    re.IGNORECASE,
)


def test_one_spelling_throughout(builtin: Questionnaire) -> None:
    texts = [builtin.title, builtin.description or ""]
    texts += [t for d in builtin.domains for t in (d.title, d.description or "")]
    for item in builtin.items:
        texts += [item.text, item.help or "", *item.anchors.values(), *item.actions.values()]
    found = sorted({m.group(0) for t in texts for m in _US_OR_OFF_STYLE.finditer(t)})
    assert found == []


# -- readability: Flesch-Kincaid grade ---------------------------------------------------------


def syllables(word: str) -> int:
    letters = re.sub(r"[^a-z]", "", word.lower())
    if not letters:
        return 0
    count = len(re.findall(r"[aeiouy]+", letters))
    if letters.endswith("e") and not letters.endswith(("le", "ee")) and count > 1:
        count -= 1  # silent e: "make", "practice"
    return max(count, 1)


def fk_grade(text: str) -> float:
    words = re.findall(r"[A-Za-z][A-Za-z'-]*", text)
    sentences = max(len(re.findall(r"[.!?]+(?:\s|$)", text)), 1)
    per_sentence = len(words) / sentences
    per_word = sum(syllables(w) for w in words) / len(words)
    return 0.39 * per_sentence + 11.8 * per_word - 15.59


def test_syllable_counter() -> None:
    assert [syllables(w) for w in ("staff", "make", "people", "decline", "every", "the")] == [
        1, 1, 2, 2, 3, 1]
    assert round(fk_grade("The cat sat on the mat."), 2) == round(0.39 * 6 + 11.8 - 15.59, 2)


def test_item_texts_are_plain_language(builtin: Questionnaire) -> None:
    grades = {item.id: fk_grade(item.text) for item in builtin.items}
    assert {i: round(g, 1) for i, g in grades.items() if g > 12} == {}
    assert sum(grades.values()) / len(grades) <= 10


# -- `questionnaires validate` on broken copies ------------------------------------------------


def _quick_text() -> str:
    return builtin_questionnaires()["tra-quick"].read_text(encoding="utf-8")


def _write_broken(tmp_path: Path, name: str, old: str, new: str) -> tuple[Path, int]:
    """A copy of tra-quick with the first ``old`` replaced; returns the path and that line."""
    text = _quick_text()
    assert old in text
    at = text.index(old)
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path, text.count("\n", 0, at) + 1


def _validate(runner: CliRunner, *paths: Path) -> tuple[int, list[str]]:
    result = runner.invoke(app, ["questionnaires", "validate", *map(str, paths)])
    return result.exit_code, result.output.splitlines()


def test_valid_builtins_pass(runner: CliRunner) -> None:
    paths = builtin_questionnaires()
    code, lines = _validate(runner, paths["tra-core"], paths["tra-quick"])
    assert code == 0, lines
    assert lines == [
        f"{paths['tra-core']}: ok (tra-core 1.0.0: 10 domains, 71 items)",
        f"{paths['tra-quick']}: ok (tra-quick 1.0.0: 10 domains, 14 items)",
    ]


def test_bad_indentation_is_invalid_yaml(runner: CliRunner, tmp_path: Path) -> None:
    path, line = _write_broken(
        tmp_path, "indent.yaml", "\n    title: Intake,", "\n      title: Intake,"
    )
    code, lines = _validate(runner, path)
    assert code == 1
    assert len(lines) == 1
    assert lines[0].startswith(f"{path}:{line + 1}: invalid YAML: ")


def test_unknown_key_suggests_the_right_one(runner: CliRunner, tmp_path: Path) -> None:
    path, line = _write_broken(tmp_path, "typo.yaml", "critical: true", "critcal: true")
    code, lines = _validate(runner, path)
    assert code == 1
    assert lines == [f"{path}:{line}: item 'intake.decline-disclosure': unknown key 'critcal' "
                     "(did you mean 'critical'?)"]


def test_critical_must_be_boolean(runner: CliRunner, tmp_path: Path) -> None:
    path, line = _write_broken(tmp_path, "maybe.yaml", "critical: true", "critical: maybe")
    code, lines = _validate(runner, path)
    assert code == 1
    assert lines == [f"{path}:{line}: item 'intake.decline-disclosure': 'critical' must be "
                     "true or false"]


def test_duplicate_item_id_names_both_places(runner: CliRunner, tmp_path: Path) -> None:
    first = _quick_text().count("\n", 0, _quick_text().index("- id: crisis.restraint")) + 1
    path, line = _write_broken(tmp_path, "dup.yaml", "- id: crisis.debrief-people-served",
                               "- id: crisis.restraint-last-resort")
    code, lines = _validate(runner, path)
    assert code == 1
    assert lines == [f"{path}:{line}: item 'crisis.restraint-last-resort': id is used twice "
                     f"(first at {path}:{first})"]


def test_levels_out_of_order(runner: CliRunner, tmp_path: Path) -> None:
    path, line = _write_broken(tmp_path, "levels.yaml", "min_score: 3.0", "min_score: 1.5")
    code, lines = _validate(runner, path)
    assert code == 1
    assert lines == [f"{path}:{line}: level 'responsive': min_score 1.5 must be greater than "
                     "the previous level's 2.0 (levels ascend)"]


def test_misspelt_principle_is_named(runner: CliRunner, tmp_path: Path) -> None:
    path, line = _write_broken(tmp_path, "tag.yaml", "principles: [safety,", "principles: [safty,")
    code, lines = _validate(runner, path)
    assert code == 1
    assert lines == [f"{path}:{line}: item 'intake.decline-disclosure': unknown principle "
                     "'safty' (did you mean 'safety'?)"]


def test_missing_include_is_named(runner: CliRunner, tmp_path: Path) -> None:
    shutil.copytree(builtin_questionnaires()["tra-core"].parent, tmp_path / "core")
    main = tmp_path / "core" / "questionnaire.yaml"
    text = main.read_text(encoding="utf-8")
    line = text.count("\n", 0, text.index("domains/voice.yaml")) + 1
    main.write_text(text.replace("domains/voice.yaml", "domains/voices.yaml"), encoding="utf-8")
    code, lines = _validate(runner, main)
    assert code == 1
    assert lines == [f"{main}:{line}: included file not found: "
                     f"{tmp_path / 'core' / 'domains' / 'voices.yaml'}"]


def test_problem_in_an_included_file_names_that_file(runner: CliRunner, tmp_path: Path) -> None:
    shutil.copytree(builtin_questionnaires()["tra-core"].parent, tmp_path / "core")
    crisis = tmp_path / "core" / "domains" / "crisis.yaml"
    text = crisis.read_text(encoding="utf-8")
    line = text.count("\n", 0, text.index("critical: true")) + 1
    crisis.write_text(text.replace("critical: true", "critical: maybe", 1), encoding="utf-8")
    code, lines = _validate(runner, tmp_path / "core" / "questionnaire.yaml")
    assert code == 1
    assert lines == [f"{crisis}:{line}: item 'crisis.prevention-plan': 'critical' must be true "
                     "or false"]


def test_several_problems_are_reported_together(runner: CliRunner, tmp_path: Path) -> None:
    text = _quick_text()
    broken = (text.replace("critical: true", "critcal: true", 1)
              .replace("min_score: 3.0", "min_score: 1.5", 1)
              .replace("target: responsive", "target: top", 1))
    path = tmp_path / "multi.yaml"
    path.write_text(broken, encoding="utf-8")
    code, lines = _validate(runner, path)
    assert code == 1
    assert [re.sub(r"^.*?:(\d+): .*$", r"\1", ln) for ln in lines] == [
        str(text.count("\n", 0, text.index(s)) + 1)
        for s in ("min_score: 3.0", "target: responsive", "critical: true")
    ], lines
    assert all(ln.startswith(f"{path}:") for ln in lines)


def test_missing_file_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    code, lines = _validate(runner, tmp_path / "nope.yaml")
    assert code == 2
    assert lines == [f"error: {tmp_path / 'nope.yaml'}: no such file"]


def test_invalid_and_valid_files_together_exit_1(runner: CliRunner, tmp_path: Path) -> None:
    path, _ = _write_broken(tmp_path, "typo.yaml", "critical: true", "critcal: true")
    good = builtin_questionnaires()["tra-quick"]
    code, lines = _validate(runner, path, good)
    assert code == 1
    assert lines[-1] == f"{good}: ok (tra-quick 1.0.0: 10 domains, 14 items)"
