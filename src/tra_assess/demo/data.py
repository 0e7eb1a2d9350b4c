"""The fictional organisation of ``tra-assess demo``: who answered, and how practice stands.

Riverbend Family Services is invented: a community family-services agency with intake,
family-support, youth and outreach teams. Its profile is fixed (the same story for every
seed); the seed only changes the individual respondents' answers:

- training and the physical environment are ahead, crisis debriefs and staff wellness behind;
- a critical intake item (not pressing people to disclose) lags its domain, so it caps it;
- leadership rates practice higher than frontline staff, who rate it higher than the people
  served and peer workers (a perception gap);
- frontline staff and people served often "don't know" about leadership and improvement;
- people served and peers "don't know" about staff supervision, wellness and training, which
  they cannot see (apart from two training items), so their groups are not rated there;
- since the baseline a year earlier most domains moved up; supervision fell back after both
  senior supervisors left;
- the first assessment, a year before the baseline, came just after a training drive: training
  was rated responsive while practice elsewhere had not changed (the training illusion); by
  the baseline, with staff turnover and no coaching in role, training had fallen back.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from tra_assess.questionnaire.model import Questionnaire
from tra_assess.sources.answers import NA, UNKNOWN, Response, Value

ORGANIZATION = "Riverbend Family Services"

# Follow-up ("this year") practice level per domain, on the 0-4 scale.
DOMAIN_LEVEL: dict[str, float] = {
    "intake": 3.3,
    "supervision": 2.3,
    "leadership": 2.6,
    "crisis": 2.35,
    "environment": 3.45,
    "wellness": 1.4,
    "training": 3.6,
    "voice": 2.05,
    "equity": 2.25,
    "improvement": 1.85,
}
# Change since the baseline a year earlier (baseline = follow-up - change).
DOMAIN_CHANGE: dict[str, float] = {
    "intake": 0.6,
    "supervision": -0.2,
    "leadership": 0.3,
    "crisis": 0.35,
    "environment": 0.75,
    "wellness": 0.25,
    "training": 0.95,
    "voice": 0.45,
    "equity": 0.3,
    "improvement": 0.6,
}
# The first assessment (a year before the baseline): practice level per domain, just after
# an organisation-wide training drive (training ahead, practice behind everywhere else).
FIRST_LEVEL: dict[str, float] = {
    "intake": 2.25,
    "supervision": 2.4,
    "leadership": 2.0,
    "crisis": 1.6,
    "environment": 2.2,
    "wellness": 1.0,
    "training": 3.75,
    "voice": 1.4,
    "equity": 1.7,
    "improvement": 1.0,
}
YEARS = ("first", "baseline", "followup")  # the three assessments, oldest first
# Items that tell the story, as offsets from their domain's level (this year, baseline).
ITEM_OFFSET: dict[str, tuple[float, float]] = {
    "intake.decline-disclosure": (-0.9, -0.7),  # critical: caps intake
    "crisis.debrief-people-served": (-0.8, -0.7),  # critical: holds crisis back
    "crisis.debrief-staff": (-1.0, -0.9),
    "crisis.de-escalation": (0.6, 0.4),
    "training.all-roles": (0.4, 0.4),
    "training.practice-evaluation": (-0.8, -0.6),
    "environment.review-with-people": (-0.9, -0.7),
    "wellness.workload": (-0.4, -0.2),
    "supervision.reflective-time": (-0.4, 0.3),
    "improvement.repeat-assessment": (0.6, -0.5),
}
_WOBBLE = (0.15, -0.1, 0.05, -0.15, 0.1, 0.0, -0.05, 0.2)

ROLE_SHARE: tuple[tuple[str, float], ...] = (
    ("leadership", 0.10),
    ("supervisor", 0.13),
    ("frontline", 0.40),
    ("support-staff", 0.13),
    ("people-served", 0.14),
    ("peer", 0.10),
)
ROLE_BIAS = {
    "leadership": 0.55,
    "supervisor": 0.25,
    "frontline": 0.0,
    "support-staff": -0.1,
    "people-served": -0.55,
    "peer": -0.4,
}
ROLE_TEAMS = {
    "leadership": ("leadership-team",),
    "supervisor": ("intake", "family-support", "youth-programs", "outreach"),
    "frontline": ("intake", "family-support", "youth-programs", "outreach"),
    "support-staff": ("administration", "facilities"),
    "people-served": ("family-support", "youth-programs"),
    "peer": ("peer-support",),
}
# Domains whose practice a role often cannot see ("don't know"), and how often.
UNKNOWN_RATE: dict[str, dict[str, float]] = {
    "frontline": {"leadership": 0.3, "improvement": 0.3},
    "support-staff": {"leadership": 0.2, "improvement": 0.25, "supervision": 0.3},
    "people-served": {"leadership": 0.3, "improvement": 0.3},
    "peer": {"leadership": 0.2, "improvement": 0.2},
}
# People served and peers cannot see staff-only practice (staff supervision, wellness and
# training): they say "don't know" there, except on the few items whose effect they meet
# themselves, which half of them rate. Their groups thus cover too few items of these domains
# to be rated on them (whatever the number of respondents), and most of their answers there
# (about 95%) are "don't know".
OUTSIDERS = ("people-served", "peer")
STAFF_ONLY = ("supervision", "wellness", "training")
SEEN_FROM_OUTSIDE: dict[str, float] = {  # item -> "don't know" rate for outsiders
    "training.lived-experience": 0.5,
    "training.practice-routines": 0.5,
}
BASE_UNKNOWN = 0.03
NA_RATE: dict[str, float] = {
    "crisis.restraint-safe-use": 0.35,
    "crisis.restraint-recorded": 0.35,
    "crisis.restraint-reduction": 0.35,
    "equity.interpreters": 0.1,
}
BASE_NA = 0.01

# Evidence notes: (item, year, note). Plain, fictional, no real names.
NOTES: tuple[tuple[str, str, str], ...] = (
    (
        "intake.information-use",
        "followup",
        "Intake script revised in spring; the 'why we ask' sheet is handed out at first visit.",
    ),
    (
        "training.onboarding",
        "followup",
        "All new starters since March completed the two-day orientation before a home visit.",
    ),
    (
        "environment.calming-space",
        "followup",
        "The family room was repainted and now has a quiet corner with soft lighting.",
    ),
    (
        "crisis.debrief-staff",
        "followup",
        "Debriefs happen after < 50% of incidents & only if the on-call manager remembers "
        "| see the incident log, Q3",
    ),
    (
        "wellness.workload",
        "followup",
        "Family-support caseloads are 22-25 against a target of 15; two posts vacant since autumn.",
    ),
    (
        "supervision.reflective-time",
        "followup",
        "Reflective supervision paused for two months after both senior supervisors left.",
    ),
    (
        "improvement.practice-measures",
        "followup",
        "We count training attendance; we don't yet track whether practice changed.",
    ),
    (
        "voice.you-said-we-did",
        "baseline",
        "No feedback board yet; suggestions go to the front desk and are not answered.",
    ),
    (
        "training.all-roles",
        "baseline",
        "Reception and facilities staff have not had the introductory training.",
    ),
)


@dataclass(frozen=True)
class Person:
    number: int
    role: str
    team: str
    lean: float  # this person's general tendency to rate higher or lower


def item_level(questionnaire: Questionnaire, item_id: str, year: str) -> float:
    """The organisation's 'true' practice level for one item in one year."""
    domain = questionnaire.item_domain[item_id]
    index = [i.id for i in questionnaire.domain(domain).items].index(item_id)
    level = DOMAIN_LEVEL.get(domain, 2.0) + _WOBBLE[index % len(_WOBBLE)]
    offsets = ITEM_OFFSET.get(item_id, (0.0, 0.0))
    if year == "first":
        wobble = _WOBBLE[index % len(_WOBBLE)]
        return FIRST_LEVEL.get(domain, 1.8) + wobble + min(offsets[1], 0.0) / 2
    if year == "baseline":
        return level - DOMAIN_CHANGE.get(domain, 0.3) + offsets[1]
    return level + offsets[0]


def allocate_roles(count: int) -> list[str]:
    """Roles for ``count`` respondents by ROLE_SHARE (largest remainder), in a fixed order."""
    quotas = [(role, share * count) for role, share in ROLE_SHARE]
    sizes = {role: int(q) for role, q in quotas}
    by_remainder = sorted(quotas, key=lambda rq: (-(rq[1] - int(rq[1])), rq[0]))
    for role, _ in by_remainder[: count - sum(sizes.values())]:
        sizes[role] += 1
    return [role for role, _ in ROLE_SHARE for _ in range(sizes[role])]


def make_people(count: int, rng: random.Random) -> list[Person]:
    roles = allocate_roles(count)
    rng.shuffle(roles)
    return [
        Person(n + 1, role, rng.choice(ROLE_TEAMS[role]), rng.gauss(0.0, 0.3))
        for n, role in enumerate(roles)
    ]


def _answer(
    questionnaire: Questionnaire, item_id: str, person: Person, year: str, rng: random.Random
) -> Value:
    domain = questionnaire.item_domain[item_id]
    if rng.random() < NA_RATE.get(item_id, BASE_NA):
        return NA
    unknown_rate = UNKNOWN_RATE.get(person.role, {}).get(domain, BASE_UNKNOWN)
    if person.role in OUTSIDERS and domain in STAFF_ONLY:
        unknown_rate = SEEN_FROM_OUTSIDE.get(item_id, 1.0)
    if rng.random() < unknown_rate:
        return UNKNOWN
    raw = item_level(questionnaire, item_id, year) + ROLE_BIAS[person.role] + person.lean
    raw += rng.gauss(0.0, 0.55)
    values = questionnaire.scale_values
    return min(max(round(raw), values[0]), values[-1])


def make_responses(
    questionnaire: Questionnaire,
    people: list[Person],
    year: str,
    assessed_on: str,
    rng: random.Random,
) -> list[Response]:
    """One individual answers file per person for ``year`` (one of :data:`YEARS`)."""
    prefix = "rb" + assessed_on[:4]
    responses: list[Response] = []
    for person in people:
        response = Response(
            source=f"{prefix}-{person.number:03d}",
            questionnaire_id=questionnaire.id,
            questionnaire_version=questionnaire.version,
            organization=ORGANIZATION,
            assessed_on=assessed_on,
            mode="individual",
            respondent={
                "id": f"{prefix}-{person.number:03d}",
                "role": person.role,
                "team": person.team,
            },
        )
        for item in questionnaire.items:
            response.values[item.id] = _answer(questionnaire, item.id, person, year, rng)
        responses.append(response)
    _add_notes(responses, year)
    return responses


def _add_notes(responses: list[Response], year: str) -> None:
    """Each note goes to a staff respondent who gave that item a number (spread out)."""
    staff = [r for r in responses if r.respondent.get("role") in ("frontline", "supervisor")]
    for number, (item_id, note_year, text) in enumerate(NOTES):
        if note_year != year or not staff:
            continue
        start = (number * 3) % len(staff)
        for response in staff[start:] + staff[:start]:
            if isinstance(response.values.get(item_id), int) and item_id not in response.notes:
                response.notes[item_id] = text
                break
