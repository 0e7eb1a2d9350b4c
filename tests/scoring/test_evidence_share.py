"""Evidence behind the ratings (SPEC section 9.1), hand-computed on tests/data/mini.yaml.

mini's target is high (min_score 2.5): ratings of 3 and 4 are "claimed"; those with a note
are "evidenced". Also: anchors and every candidate carried into the results.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from tra_assess.questionnaire.load import load_questionnaire_file
from tra_assess.questionnaire.model import Questionnaire
from tra_assess.results.model import Results
from tra_assess.scoring.columns import add_columns
from tra_assess.scoring.retarget import retarget
from tra_assess.scoring.scorer import score_responses
from tra_assess.scoring.tally import Tally, build_plan
from tra_assess.sources.answers import Response

MINI_PATH = Path(__file__).parents[1] / "data" / "mini.yaml"
_ids = iter(range(1_000_000))


def resp(values: dict[str, Any], notes: dict[str, str] | None = None) -> Response:
    return Response(source=f"e{next(_ids)}.yaml", values=values, notes=notes or {})


def _scored(mini: Questionnaire) -> Results:
    return score_responses(
        mini,
        [
            resp({"alpha.one": 4, "alpha.two": 3, "alpha.three": 1}, {"alpha.one": "Audit, May"}),
            resp({"alpha.one": 3, "alpha.two": 2, "alpha.three": 3}, {"alpha.two": "pilot"}),
            resp({"alpha.one": 3, "alpha.two": "na", "alpha.three": 4},
                 {"alpha.two": "not here", "alpha.three": "  "}),
            resp({"beta.one": 1, "gamma.one": 2}, {"beta.one": "a note on a low rating"}),
        ],
    )


def test_claimed_and_evidenced_counts(mini: Questionnaire) -> None:
    results = _scored(mini)
    alpha = results.domain("alpha")
    # ratings >= 2.5: alpha.one 4, 3, 3; alpha.two 3; alpha.three 3, 4 -> 6 claimed;
    # with a note: alpha.one's 4 only (alpha.two's note is on a 2, the third's is on na,
    # the blank note on alpha.three is no note)
    assert (alpha.evidenced, alpha.claimed) == (1, 6)
    assert alpha.evidenced_share == 1 / 6
    beta = results.domain("beta")
    assert (beta.evidenced, beta.claimed, beta.evidenced_share) == (0, 0, None)
    items = {item.id: item for item in results.items}
    assert items["alpha.one"].noted == {"4": 1}
    assert items["alpha.two"].noted == {"2": 1}
    assert items["beta.one"].noted == {"1": 1}
    assert results.evidence_counted is True


def test_retarget_recomputes_the_share(mini: Questionnaire) -> None:
    results = _scored(mini)
    lower = retarget(results, "mid", 10)  # min_score 1.5: ratings of 2, 3, 4
    alpha = lower.domain("alpha")
    # alpha.one 4,3,3; alpha.two 3,2; alpha.three 3,4 -> 7 claimed; noted: the 4 and the 2
    assert (alpha.evidenced, alpha.claimed) == (2, 7)
    beta = lower.domain("beta")
    assert (beta.evidenced, beta.claimed) == (0, 0)
    gamma = lower.domain("gamma")
    assert (gamma.evidenced, gamma.claimed, gamma.evidenced_share) == (0, 1, 0.0)


def test_an_older_file_keeps_an_unknown_share(mini: Questionnaire) -> None:
    data = _scored(mini).model_dump(mode="json")
    data.pop("evidence_counted")
    for domain in data["domains"]:
        domain.update(evidenced_share=None, evidenced=0, claimed=0)
    for item in data["items"]:
        item.pop("noted")
    old = Results.model_validate(data)
    assert retarget(old, "mid", 10).domain("alpha").evidenced_share is None


def test_anchors_and_kind_carried(mini: Questionnaire) -> None:
    results = _scored(mini)
    items = {item.id: item for item in results.items}
    assert items["alpha.one"].anchors == {
        "0": "never", "1": "known", "2": "piloted", "3": "routine", "4": "measured"
    }
    assert items["alpha.two"].anchors == {}
    assert [d.kind for d in results.domains] == ["practice", "practice", "practice"]


def test_candidates_hold_every_candidate_in_rank_order(mini: Questionnaire) -> None:
    results = score_responses(
        mini,
        [resp({"alpha.one": 1, "alpha.two": 1, "alpha.three": 2, "beta.one": 0, "beta.two": 1,
               "gamma.one": 3, "gamma.two": 3})],
        top=2,
    )
    assert [p.item for p in results.priorities] == [c.item for c in results.candidates[:2]]
    assert {c.item for c in results.candidates} == {
        "alpha.one", "alpha.two", "alpha.three", "beta.one", "beta.two"
    }
    assert [c.rank for c in results.candidates] == [1, 2, 3, 4, 5]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.lists(st.sampled_from([None, 0, 1, 2, 3, 4, "na", "unknown"]), min_size=7,
                     max_size=7),
            st.lists(st.sampled_from([None, "", "x", " y "]), min_size=7, max_size=7),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_column_path_counts_notes_as_the_row_path(
    rows: list[tuple[list[Any], list[Any]]],
) -> None:
    mini = load_questionnaire_file(MINI_PATH)
    plan = build_plan(mini)
    by_rows, by_columns = Tally(plan.key), Tally(plan.key)
    for values, notes in rows:
        answers = {plan.item_ids[i]: v for i, v in enumerate(values) if v is not None}
        by_rows.add_checked(answers, plan)
        noted = [i for i, note in enumerate(notes) if note and note.strip()]
        by_rows.add_noted(answers, noted, plan)
    columns = [[values[i] for values, _ in rows] for i in range(plan.n_items)]
    note_columns = [[notes[i] for _, notes in rows] for i in range(plan.n_items)]
    translate = {v: v for v in [None, 0, 1, 2, 3, 4, "na", "unknown"]}
    add_columns(by_columns, plan, columns, translate, len(rows), notes=note_columns)
    assert by_columns.noted == by_rows.noted
    assert by_columns.dist == by_rows.dist


def test_builtin_questionnaires_mark_their_training_domain() -> None:
    from tra_assess.questionnaire.load import load_questionnaire

    for name in ("tra-core", "tra-quick"):
        questionnaire = load_questionnaire(name)
        first = questionnaire.items[0]
        results = score_responses(questionnaire, [resp({first.id: 3})])
        kinds = {d.id: d.kind for d in results.domains}
        assert kinds.pop("training") == "training", name
        assert set(kinds.values()) == {"practice"}, name
