"""The built-in questionnaires as content: structure (SPEC 2, 3, 11), the ladder in every anchor
set, coverage of the SAMHSA principles and implementation domains, who can rate what, the
item ids across versions, readability, and what `questionnaires validate` says about broken
copies."""

from __future__ import annotations

import functools
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from tra_assess.cli.app import app
from tra_assess.common.resources import builtin_questionnaires
from tra_assess.questionnaire.load import load_questionnaire
from tra_assess.questionnaire.model import PRINCIPLES, Change, Item, Questionnaire

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

# The item ids of tra-core 1.0.0, as published. Answers and earlier results are matched by
# item id, so an id may only disappear through the current version's `changes` entry
# (removed, split, merged or moved); see test_ids_are_stable_across_versions.
TRA_CORE_1_0_0_IDS = (
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
)

# The item ids of tra-core 1.1.0, frozen: changing one needs a new version with a `changes`
# entry that names it (and an update of this list).
TRA_CORE_IDS = [
    "intake.first-contact", "intake.information-use", "intake.decline-disclosure",
    "intake.pacing", "intake.choices", "intake.screening-response", "intake.disclosure-response",
    "intake.safeguarding-with-person", "intake.treatment-access",
    "supervision.reflective-time", "supervision.consultation", "supervision.sts-response",
    "supervision.learning-to-cases", "supervision.supervisors-supported",
    "supervision.culture-and-power",
    "leadership.plan-goals", "leadership.budget", "leadership.decision-reasons",
    "leadership.policy-review", "leadership.learning-not-blame",
    "leadership.people-served-governance", "leadership.staff-decisions",
    "leadership.partner-agencies", "leadership.hiring",
    "crisis.prevention-plan", "crisis.de-escalation", "crisis.restraint-safe-use",
    "crisis.restraint-recorded", "crisis.restraint-reduction", "crisis.searches",
    "crisis.restrictive-practices", "crisis.exclusion-review", "crisis.debrief-people-served",
    "crisis.debrief-staff", "crisis.incident-review", "crisis.repair",
    "environment.arrival", "environment.private-rooms", "environment.sensory",
    "environment.calming-space", "environment.site-safety", "environment.sexual-safety",
    "environment.review-with-people",
    "wellness.workload", "wellness.recovery-time", "wellness.lone-working",
    "wellness.sts-check-ins", "wellness.peer-support", "wellness.leaders-model",
    "wellness.support-access", "wellness.return-to-work",
    "training.all-roles", "training.onboarding", "training.coaching", "training.practice-routines",
    "training.refreshers", "training.lived-experience", "training.practice-evaluation",
    "training.appraisal",
    "voice.shared-plans", "voice.strengths-in-plans", "voice.consent-to-touch",
    "voice.service-choices", "voice.transitions", "voice.families", "voice.decision-seats",
    "voice.you-said-we-did", "voice.peer-roles", "voice.safe-complaints",
    "equity.culture-in-plans", "equity.historical-harm", "equity.interpreters",
    "equity.worker-gender", "equity.unequal-treatment", "equity.community-partners",
    "improvement.practice-measures", "improvement.people-served-review",
    "improvement.repeat-assessment", "improvement.action-owners",
    "improvement.learning-from-complaints",
]

# The harm-related practices of issue 15, each a critical item of tra-core.
HARM_CRITICAL = {
    "intake.safeguarding-with-person": "safeguarding and mandated reports made with the person",
    "intake.disclosure-response": "a disclosure of abuse, danger, suicide or self-harm risk",
    "crisis.searches": "searches, including strip searches",
    "crisis.restrictive-practices": "locked doors, removing belongings, police calls",
    "crisis.exclusion-review": "exclusion, suspension, withdrawal of service as a sanction",
    "environment.sexual-safety": "sexual safety where people stay overnight",
    "voice.consent-to-touch": "consent before touch, examination or intimate care",
    "wellness.lone-working": "staff physical safety: lone working and home visits",
    "crisis.restraint-safe-use": "restraint and seclusion: last resort, no prone holds",
    "crisis.restraint-recorded": "restraint and seclusion: every use recorded and reviewed",
    "crisis.restraint-reduction": "restraint and seclusion: use tracked and reduced",
}
# Issue 15's first two bullets, each practice asked by the stem of an item (the words a
# respondent reads), not only in its help: item -> patterns its stem must match.
ISSUE_15_PRACTICES = {
    # missing harm-related practices (all critical: HARM_CRITICAL)
    "intake.safeguarding-with-person": (r"safeguarding report", r"tell the person",
                                        r"involve them"),
    "intake.disclosure-response": (r"abuse", r"current danger", r"suicide", r"self-harm"),
    "crisis.searches": (r"Searches of people or rooms", r"Strip searches"),
    "crisis.restrictive-practices": (r"lock doors", r"call the police"),
    "crisis.exclusion-review": (r"exclude", r"suspend", r"stop a service"),
    "environment.sexual-safety": (r"stay overnight", r"sexual harm"),
    "voice.consent-to-touch": (r"touch", r"examination", r"intimate care", r"say stop"),
    "wellness.lone-working": (r"work alone", r"home visits"),
    # coverage gaps
    "voice.families": (r"family or carers", r"partners in planning"),
    "leadership.partner-agencies": (r"partner agencies", r"schools, health, housing, police"),
    "voice.transitions": (r"moves to another service", r"support ends", r"planned with them"),
    "intake.treatment-access": (r"therapy made for trauma", r"refer"),
    "voice.strengths-in-plans": (r"strengths", r"helped them cope"),
    "leadership.hiring": (r"job advert", r"interview"),
    "training.appraisal": (r"appraisal",),
    "training.all-roles": (r"every role", r"as deep as their role needs"),
}

# Items that apply only where the practice exists at all; the setting section names them.
SECTOR_SPECIFIC = (
    "crisis.restraint-safe-use", "crisis.restraint-recorded", "crisis.restraint-reduction",
    "crisis.searches", "environment.sexual-safety", "voice.consent-to-touch",
)

QUICK_MUST_HAVE = {  # the critical practices a quick check cannot leave out
    "intake.decline-disclosure",
    "intake.disclosure-response",
    "crisis.de-escalation",
    "crisis.debrief-people-served",
    "voice.safe-complaints",
    "wellness.recovery-time",
    "voice.shared-plans",
}
QUICK_LEFT_TO_THE_PROFILE = {  # used in few settings: tra-core with a profile handles them
    "crisis.restraint-safe-use", "crisis.restraint-recorded", "crisis.restraint-reduction",
    "crisis.searches", "environment.sexual-safety",
}

SAMHSA_DOMAINS = (  # SAMHSA (2014): the ten implementation domains
    "governance-leadership", "policy", "physical-environment", "engagement-involvement",
    "cross-sector-collaboration", "screening-assessment-treatment", "training-workforce",
    "progress-monitoring-qa", "financing", "evaluation",
)

LEVELS = [  # SPEC section 2
    ("not-yet", "Not yet trauma aware", 0.0),
    ("aware", "Trauma aware", 1.0),
    ("sensitive", "Trauma sensitive", 2.0),
    ("responsive", "Trauma responsive", 3.0),
    ("informed", "Trauma informed", 3.5),
]

BUILTINS = ["tra-core", "tra-quick"]
_load = functools.cache(load_questionnaire)
PROFILE = Path(__file__).resolve().parents[2] / "questionnaires" / "tra-core" / "profiles" / (
    "community-outpatient.yaml")


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


def _flat(text: str | None) -> str:
    return " ".join((text or "").split())


def _current_change(q: Questionnaire) -> Change:
    entries = [c for c in q.changes if c.version == q.version]
    assert len(entries) == 1, f"{q.id}: one `changes` entry for {q.version}"
    return entries[0]


# -- structure ------------------------------------------------------------------------------


def test_both_builtins_are_found() -> None:
    assert {"tra-core", "tra-quick"} <= set(builtin_questionnaires())


def test_domains_are_those_of_spec_11_in_order(core: Questionnaire, quick: Questionnaire) -> None:
    assert [(d.id, d.title) for d in core.domains] == list(DOMAINS.items())
    shown = [(d.id, d.title) for d in quick.domains]  # a short form may leave a domain out
    assert shown == [(i, t) for i, t in DOMAINS.items() if i in {d.id for d in quick.domains}]


def test_tra_core_size(core: Questionnaire) -> None:
    assert (core.id, core.version) == ("tra-core", "1.1.0")
    sizes = {d.id: len(d.items) for d in core.domains}
    assert {d: n for d, n in sizes.items() if not 5 <= n <= 12} == {}, "5 to 12 items per domain"
    assert 70 <= len(core.items) <= 80


def test_tra_core_item_ids_are_frozen(core: Questionnaire) -> None:
    assert [item.id for item in core.items] == TRA_CORE_IDS


def test_ids_are_stable_across_versions(core: Questionnaire) -> None:
    change = _current_change(core)
    now, before = set(core.item_by_id), set(TRA_CORE_1_0_0_IDS)
    gone = set(change.removed) | set(change.split) | set(change.moved)
    gone |= {old for olds in change.merged.values() for old in olds}
    arrived = set(change.added) | set(change.merged) | set(change.moved.values())
    arrived |= {new for news in change.split.values() for new in news}
    assert sorted(before - now - gone) == [], "1.0.0 ids that vanished unannounced"
    assert sorted(now - before - arrived) == [], "new ids the changes entry does not name"
    assert sorted(gone - before) == [] and sorted(gone & now) == []
    assert sorted(arrived - now) == [] and sorted(arrived & before) == []
    assert set(change.reworded) <= now & before, "reworded items keep their 1.0.0 id"
    assert {c.version: (c.added, c.removed, c.split, c.merged) for c in core.changes
            if c.version == "1.0.0"} == {"1.0.0": ([], [], {}, {})}


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


def test_purpose_limits_and_cumulative_ratings_are_stated(builtin: Questionnaire) -> None:
    text = _flat(builtin.description)
    assert "not a validated" in text
    assert "certification" in text
    assert "improvement planning" in text
    assert "each rating includes everything in the ratings below it" in text.casefold()
    for point in builtin.scale[2:]:  # each scale description builds on the one below
        previous = builtin.scale[builtin.scale.index(point) - 1].label
        assert _flat(point.description).startswith(f"Everything in {previous}, and ")


def test_setting_section_names_the_sector_specific_items(core: Questionnaire) -> None:
    text = _flat(core.description)
    setting = text[text.index("Setting:"):]
    for needle in ("format: tra-profile/1", "not_applicable: {ITEM_ID: reason}",
                   "score --profile FILE", "profiles/community-outpatient.yaml"):
        assert needle in setting, needle
    for item_id in SECTOR_SPECIFIC:
        assert item_id in setting, item_id
        assert "setting profile" in _flat(core.item_by_id[item_id].help), item_id
    # the items say so themselves, for the document's setting section
    assert tuple(item.id for item in core.items if item.setting) == SECTOR_SPECIFIC


def test_example_profile_marks_only_sector_specific_items(core: Questionnaire) -> None:
    doc = yaml.safe_load(PROFILE.read_text(encoding="utf-8"))
    assert set(doc) <= {"format", "organization", "not_applicable"}
    assert doc["format"] == "tra-profile/1"
    reasons = doc["not_applicable"]
    assert set(reasons) <= set(SECTOR_SPECIFIC)
    assert {"crisis.restraint-safe-use", "crisis.restraint-recorded",
            "crisis.restraint-reduction", "environment.sexual-safety"} <= set(reasons)
    assert all(isinstance(r, str) and len(r.split()) >= 5 for r in reasons.values())


def test_references_cover_the_frameworks(builtin: Questionnaire) -> None:
    titles = [_flat(ref.title) for ref in builtin.references]
    joined = " ".join(titles)
    for needle in ("SAMHSA (2014)", "HHS Publication No. (SMA) 14-4884", "Missouri Model",
                   "(2014)", "Six Core Strategies", "NASMHPD", "STSI-OA", "Fallot", "Harris",
                   "NHS Education for Scotland (2017)", "Transforming Psychological Trauma",
                   "Office for Health Improvement and Disparities (2022)",
                   "Working definition of trauma-informed practice"):
        assert needle in joined, needle
    stsi = [t for t in titles if "STSI-OA" in t]
    assert len(stsi) == 1 and stsi[0].startswith("Sprang, G., Ross, L., Miller, B. C.")
    assert "(2014)" in stsi[0]


# -- tra-quick ------------------------------------------------------------------------------


def test_tra_quick_is_chosen_by_harm_and_leverage(quick: Questionnaire) -> None:
    assert (quick.id, quick.version) == ("tra-quick", "1.1.0")
    assert 12 <= len(quick.items) <= 15
    assert all(1 <= len(d.items) <= 3 for d in quick.domains)
    assert set(quick.item_by_id) >= QUICK_MUST_HAVE
    assert set(quick.item_by_id).isdisjoint(QUICK_LEFT_TO_THE_PROFILE)
    assert "voice.decision-seats" not in quick.item_by_id
    text = _flat(quick.description)
    assert "tra-core" in text and "screening snapshot" in text
    assert "item by item" in text and "critical flags" in text
    assert "do not report domain levels" in text
    assert "setting profile" in text and "Restraint" in text


def test_tra_quick_changes_name_its_items(quick: Questionnaire) -> None:
    change = _current_change(quick)
    before = {"intake.decline-disclosure", "intake.screening-response",
              "supervision.reflective-time", "leadership.learning-not-blame",
              "crisis.restraint-last-resort", "crisis.debrief-people-served",
              "environment.private-rooms", "wellness.workload", "wellness.recovery-time",
              "training.coaching", "voice.decision-seats", "voice.safe-complaints",
              "equity.interpreters", "improvement.practice-measures"}  # tra-quick 1.0.0
    now = set(quick.item_by_id)
    gone = set(change.removed) | {old for olds in change.merged.values() for old in olds}
    arrived = set(change.added) | set(change.merged)
    assert sorted(before - now - gone) == [] and sorted(now - before - arrived) == []
    assert "supervision.reflective-time" in now
    assert set(change.reworded) <= now & before


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
                  "min_group_size", "critical_dissent"):
        assert getattr(quick, field) == getattr(core, field), field
    for domain in quick.domains:
        assert domain.description == core.domain(domain.id).description
        assert domain.kind == core.domain(domain.id).kind


# -- every item -----------------------------------------------------------------------------


@pytest.mark.parametrize(("qid", "item"), _all_items(), ids=lambda v: getattr(v, "id", v))
def test_item_is_complete(qid: str, item: Item) -> None:
    q = _load(qid)
    assert len(item.text.split()) <= 32
    assert sorted(item.anchors) == q.scale_values, "an anchor for every scale value"
    assert sorted(item.actions) == sorted(q.level_ids[:-1]), "an action for every level below top"
    assert item.principles, "at least one principle tag"
    assert item.help
    assert item.audience, "who can rate it"
    assert set(item.audience) <= set(q.roles)
    assert list(item.crosswalk) == ["samhsa-domain"]
    parts = item.crosswalk["samhsa-domain"]
    assert parts and set(parts) <= set(SAMHSA_DOMAINS) and len(parts) == len(set(parts))


def test_training_domain_is_marked_training(core: Questionnaire) -> None:
    assert {d.id: d.kind for d in core.domains if d.kind != "practice"} == {"training": "training"}


# -- anchors true to the ladder (SPEC section 2), cumulative ------------------------------------
# Wording patterns a regression breaks: each level says what is new at that rung.

_ABSENT = re.compile(r"\b(no|not|never|none|nothing|nowhere|without|no one)\b", re.I)
_HARM = re.compile(r"shout|threat|force|punish|blame|shame|frown|lecture|humiliat|hurt|"
                   r"injur|abus|scream|mock", re.I)
_INTENT = re.compile(r"\b(know|knows|agree|agrees|aware|heard|value|values|say|says|tell|"
                     r"tells|told|support|supports|see|accept|describe)\b", re.I)
_PARTIAL = re.compile(r"\b(some|sometimes|a few|often|partly|most)\b", re.I)
_WRITTEN = re.compile(r"written|policy|plan|pilot|guide|template|procedure|checklist|form|"
                      r"script|route|rule|process|standard|exists|list|agreement|sheet|contract",
                      re.I)
_DEPENDS = re.compile(r"\bsome\b|depend|var(y|ies)|now and then|one-off|once|patchy|a few|"
                      r"\bfew\b|often|others", re.I)
_CONSISTENT = re.compile(r"\b(every|each|all|always|routinely)\b", re.I)
_CHECKED = re.compile(r"check|audit|review|monitor|supervis|track|observ", re.I)
_MEASURED = re.compile(r"track|measur|audit|count|rate|rating|survey|data|figure", re.I)
_WITH_WHOM = re.compile(r"people served|\bstaff\b|peer|famil|communit|partners|members", re.I)
_SUSTAINED = re.compile(r"turnover|staff changes|leader\w* changes?|manager changes|holds|"
                        r"lasts|outlast|survives?|continues?|stay", re.I)


@pytest.mark.parametrize("item", _load("tra-core").items, ids=lambda i: i.id)
def test_anchors_follow_the_ladder(item: Item) -> None:
    a = {k: _flat(v) for k, v in item.anchors.items()}
    assert _ABSENT.search(a[0]) and not _HARM.search(a[0]), f"0 is absence, not harm: {a[0]}"
    assert _INTENT.search(a[1]) and re.search(r"\bbut\b", a[1]), f"1 is intent only: {a[1]}"
    assert not _PARTIAL.search(a[1]), f"1 is awareness, not partial practice: {a[1]}"
    assert _WRITTEN.search(a[2]) and _DEPENDS.search(a[2]), f"2 is written, uneven: {a[2]}"
    assert _CONSISTENT.search(a[3]) and _CHECKED.search(a[3]), f"3 names its check: {a[3]}"
    for pattern in (_MEASURED, _WITH_WHOM, _SUSTAINED):
        assert pattern.search(a[4]), f"4 is measured, reviewed with people, sustained: {a[4]}"


def test_critical_items(core: Questionnaire) -> None:
    critical = [item for item in core.items if item.critical]
    domains = {core.item_domain[item.id] for item in critical}
    assert {"crisis", "intake", "wellness", "voice", "environment"} <= domains
    assert len(critical) <= len(core.items) / 4, "critical share at most 25 %"
    assert {i: core.item_by_id[i].critical for i in HARM_CRITICAL if i in core.item_by_id} == (
        dict.fromkeys(HARM_CRITICAL, True))
    for item_id in ("environment.site-safety", "training.onboarding"):  # demoted in 1.1.0
        assert not core.item_by_id[item_id].critical


@pytest.mark.parametrize("item_id", list(ISSUE_15_PRACTICES))
def test_issue_15_practices_are_asked(core: Questionnaire, item_id: str) -> None:
    stem = _flat(core.item_by_id[item_id].text)
    missing = [p for p in ISSUE_15_PRACTICES[item_id] if not re.search(p, stem, re.IGNORECASE)]
    assert missing == [], stem


def test_restraint_split_keeps_the_debrief_separate(core: Questionnaire) -> None:
    split = _current_change(core).split["crisis.restraint-last-resort"]
    assert split == ["crisis.restraint-safe-use", "crisis.restraint-recorded",
                     "crisis.restraint-reduction"]
    assert "prone" in core.item_by_id["crisis.restraint-safe-use"].text
    for item_id in split:
        anchors = " ".join(core.item_by_id[item_id].anchors.values())
        assert "debrief" not in anchors.casefold(), item_id


def test_every_principle_is_tagged_in_three_domains(core: Questionnaire) -> None:
    matrix = {
        tag: {d.id for d in core.domains if any(tag in i.principles for i in d.items)}
        for tag in PRINCIPLES
    }
    assert {tag: len(ds) >= 3 for tag, ds in matrix.items()} == dict.fromkeys(PRINCIPLES, True)


def test_every_samhsa_domain_is_covered_by_two_items(core: Questionnaire) -> None:
    count = Counter(p for item in core.items for p in item.crosswalk["samhsa-domain"])
    assert {d: count[d] for d in SAMHSA_DOMAINS if count[d] < 2} == {}


def test_audience_routes_items_to_who_can_know(core: Questionnaire) -> None:
    assert core.roles == ["board", "leadership", "manager", "supervisor", "frontline",
                          "support-staff", "people-served", "peer"]
    for_role = {r: [i for i in core.items if r in (i.audience or [])] for r in core.roles}
    board = Counter(core.item_domain[i.id] for i in for_role["board"])
    assert 10 <= sum(board.values()) <= 30
    assert board["leadership"] + board["improvement"] >= sum(board.values()) / 2
    assert board["supervision"] == board["wellness"] == 0
    served = Counter(core.item_domain[i.id] for i in for_role["people-served"])
    assert served["supervision"] == served["wellness"] == 0
    for domain in ("intake", "environment", "voice", "crisis", "equity"):
        assert served[domain] >= len(core.domain(domain).items) / 2, domain
    assert all(len(items) >= 10 for items in for_role.values())


# -- wording --------------------------------------------------------------------------------

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


def test_stems_avoid_leading_contrasts(builtin: Questionnaire) -> None:
    pattern = re.compile(r"\b(rather than|not just|not only|instead of)\b|, not ", re.I)
    assert [i.id for i in builtin.items if pattern.search(_flat(i.text))] == []


# A term of art gets a plain-words gloss in brackets where a domain first uses it (its
# description, then its items' text and help in order): "trauma lens (asking how ...)".
GLOSSED_TERMS = (
    "trauma lens", "secondary traumatic stress", "reflective supervision", "de-escalation",
    "restraint", "seclusion", "prone", "debrief", "peer worker", "lived experience",
    "safeguarding", "trauma-specific", "critical incident", "intimate care", "strip search",
    "lone working", "historical trauma",
)


def test_terms_of_art_are_glossed_where_a_domain_first_uses_them(core: Questionnaire) -> None:
    missing = []
    for domain in core.domains:
        text = " ".join(_flat(t) for t in [domain.description or "", *(
            f"{i.text} {i.help or ''}" for i in domain.items)])
        for term in GLOSSED_TERMS:
            found = re.search(rf"\b{re.escape(term)}", text, re.IGNORECASE)
            if not found:
                continue
            inside = text[found.start() - 1:found.start()] == "("  # "face-down (prone)"
            after = re.match(r"[\w-]*( [\w-]+)? \(", text[found.end():])  # "report (a ..."
            if not (inside or after):
                missing.append(f"{domain.id}: {term}")
    assert missing == []


# -- readability: Flesch-Kincaid grade ---------------------------------------------------------
# Issue 15: every stem at most grade 9, every anchor at most grade 10, text by text (no means,
# no exemption for short texts: a short text is held to the same formula).

STEM_GRADE = 9.0
ANCHOR_GRADE = 10.0


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
    hard = "Organisational accountability necessitates comprehensive institutional evaluation."
    assert fk_grade(hard) > 12 > 9 > fk_grade("Staff ask people what they need.")


def test_every_stem_reads_at_grade_nine(builtin: Questionnaire) -> None:
    too_hard = {
        item.id: round(fk_grade(item.text), 2)
        for item in builtin.items
        if fk_grade(item.text) > STEM_GRADE
    }
    assert too_hard == {}


def test_every_anchor_reads_at_grade_ten(builtin: Questionnaire) -> None:
    too_hard = {
        f"{item.id}[{value}]": round(fk_grade(text), 2)
        for item in builtin.items
        for value, text in item.anchors.items()
        if fk_grade(text) > ANCHOR_GRADE
    }
    assert too_hard == {}


def test_grade_limits_fail_on_hard_text() -> None:
    """The limits bite: wording that 1.1.0 replaced was over them."""
    stem = ("When screening shows trauma-related needs or risks, staff discuss the results with "
            "the person and agree on a next step.")
    anchor = "Staff know trained interpreters should be used, but family members still interpret."
    assert fk_grade(stem) > STEM_GRADE and fk_grade(anchor) > ANCHOR_GRADE


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
        f"{paths['tra-core']}: ok (tra-core 1.1.0: 10 domains, 80 items)",
        f"{paths['tra-quick']}: ok (tra-quick 1.1.0: 9 domains, 14 items)",
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
    text = _quick_text()  # without its changes entry, which would name the lost id too
    text = text[:text.index("changes:\n")] + text[text.index("domains:\n"):]
    first = text.count("\n", 0, text.index("- id: crisis.de-escalation")) + 1
    line = text.count("\n", 0, text.index("- id: crisis.debrief-people-served")) + 1
    path = tmp_path / "dup.yaml"
    path.write_text(text.replace("- id: crisis.debrief-people-served",
                                 "- id: crisis.de-escalation"), encoding="utf-8")
    code, lines = _validate(runner, path)
    assert code == 1
    assert lines == [f"{path}:{line}: item 'crisis.de-escalation': id is used twice "
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
    # Without the domain, the changes entry would also name its items as missing: keep this
    # test to the include.
    text = text[:text.index("changes:\n")] + text[text.index("domains:\n"):]
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
    assert lines[-1] == f"{good}: ok (tra-quick 1.1.0: 9 domains, 14 items)"
