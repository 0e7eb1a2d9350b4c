"""The walk engine without a terminal: navigation, visit plans, stores, Ctrl-C handling."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import yaml
from rich.console import Console

from tra_assess.common.errors import UsageError
from tra_assess.questionnaire.model import Questionnaire
from tra_assess.sources.answers import Response, parse_answers_document
from tra_assess.walk.loop import WalkOptions, run_walk
from tra_assess.walk.screen import estimate, fmt_score, progress_bar
from tra_assess.walk.session import WalkSession, plan_visits, select_domains
from tra_assess.walk.store import default_out_path, render, slugify


def new_session(q: Questionnaire, values: dict[str, object] | None = None, *,
                resume: bool = False, review: bool = False,
                domains: list[str] | None = None) -> WalkSession:
    response = Response(source="t", questionnaire_id=q.id, questionnaire_version=q.version,
                        values=dict(values or {}))  # type: ignore[arg-type]
    chosen = select_domains(q, domains or [])
    visits = plan_visits(chosen, response, resume=resume, review=review)
    return WalkSession(q, response, chosen, visits, review=review)


def test_forward_back_and_change(mini: Questionnaire) -> None:
    s = new_session(mini)
    assert s.at_start and s.item.id == "alpha.one"
    assert s.back() is False
    s.record(3)
    s.advance()
    s.record(1)
    s.advance()
    assert s.item.id == "alpha.three"
    assert s.back() is True
    assert s.item.id == "alpha.two" and s.current_value() == 1 and s.enter_keeps()
    s.record(2)
    s.advance()
    assert s.item.id == "alpha.three" and not s.enter_keeps()
    s.skip()
    assert s.item.id == "beta.one"
    assert s.response.values == {"alpha.one": 3, "alpha.two": 2}


def test_answers_are_kept_in_questionnaire_order(mini: Questionnaire) -> None:
    s = new_session(mini)
    s.pos = 6
    s.record(0)
    s.pos = 0
    s.record(4)
    s.set_note("why")
    assert list(s.response.values) == ["alpha.one", "gamma.two"]
    s.set_note(None)
    assert s.response.notes == {}


def test_position_counts(mini: Questionnaire) -> None:
    s = new_session(mini, {"alpha.one": 2, "beta.one": "na"}, resume=True)
    assert s.visits == ["alpha.two", "alpha.three", "beta.two", "gamma.one", "gamma.two"]
    where = s.position()
    assert (where.domain_index, where.domain_count) == (1, 3)
    assert (where.item_index, where.item_count) == (2, 3)
    assert (where.visit_index, where.visit_count) == (1, 5)
    assert (where.answered, where.total) == (2, 7)


def test_review_visits_everything_and_enter_moves_on(mini: Questionnaire) -> None:
    s = new_session(mini, {"alpha.one": 2}, resume=True, review=True)
    assert len(s.visits) == 7
    s.advance()
    assert s.current_value() is None and s.enter_keeps()


def test_domain_selection(mini: Questionnaire) -> None:
    assert [d.id for d in select_domains(mini, ["gamma", "alpha", "gamma"])] == ["alpha", "gamma"]
    with pytest.raises(KeyError):
        select_domains(mini, ["delta"])
    s = new_session(mini, {"beta.one": 1}, resume=True, domains=["beta"])
    assert s.visits == ["beta.two"]
    assert s.unanswered_selected() == ["beta.two"]
    s.record(4)
    s.advance()
    assert s.done


def test_names_and_small_helpers(tmp_path: Path) -> None:
    assert slugify("Riverbend Family Services") == "riverbend-family-services"
    assert slugify("Ærø  Kommune / Børn & Unge") == "aero-kommune-born-unge"
    assert slugify("  !!  ") == ""
    assert default_out_path(None, "2026-11-22", tmp_path) == tmp_path / "answers-2026-11-22.yaml"
    (tmp_path / "x-2026-11-22.yaml").write_text("")
    assert default_out_path("X", "2026-11-22", tmp_path).name == "x-2026-11-22-2.yaml"
    assert progress_bar(1, 4, 12) == "[███░░░░░░░░░]  25%"
    assert progress_bar(4, 4, 10, unicode=False) == "[##########] 100%"
    assert estimate(7, "consensus") == "about 21 minutes as a team reaching consensus"
    assert estimate(71, "consensus") == "about 3.5 hours as a team reaching consensus"
    assert fmt_score(2.125) == "2.13" and fmt_score(None) == "-"


def test_render_json_and_yaml(mini: Questionnaire, tmp_path: Path) -> None:
    response = Response(source="t", questionnaire_id="mini", questionnaire_version="2.0",
                        assessed_on="2026-11-22", values={"alpha.one": 3},
                        notes={"alpha.one": "ünïcode: note"})
    text = render(response, tmp_path / "a.yaml")
    assert "assessed_on: 2026-11-22\n" in text and "ünïcode" in text
    doc = yaml.safe_load(text)
    assert parse_answers_document(doc, "a", mini).notes == {"alpha.one": "ünïcode: note"}
    assert render(response, tmp_path / "a.json").startswith("{\n")


class _Keys:
    """A stdin that raises KeyboardInterrupt (Ctrl-C) once its lines are used up."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines(keepends=True)

    def readline(self) -> str:
        if not self.lines:
            raise KeyboardInterrupt
        return self.lines.pop(0)

    def isatty(self) -> bool:
        return False


def test_ctrl_c_saves_and_exits_130(mini_path: Path, mini: Questionnaire, tmp_path: Path) -> None:
    out = tmp_path / "c.yaml"
    console = Console(file=io.StringIO(), width=80, no_color=True)
    options = WalkOptions(questionnaire=str(mini_path), out=out, organization="O",
                          role="lead", respondent="", mode="individual")
    code = run_walk(options, _Keys("2\nnote one\n3\n"), console)
    assert code == 130
    response = parse_answers_document(yaml.safe_load(out.read_text()), "c", mini)
    assert response.values == {"alpha.one": 2, "alpha.two": 3}
    assert response.notes == {"alpha.one": "note one"}
    printed = console.file.getvalue()  # type: ignore[attr-defined]
    assert (f"Saved 2 of 7 answers to {out}. Resume with: tra-assess run --resume {out} "
            f"-q {mini_path}") in printed


def test_resume_and_out_must_agree(mini_path: Path, tmp_path: Path) -> None:
    options = WalkOptions(questionnaire=str(mini_path), resume=tmp_path / "a.yaml",
                          out=tmp_path / "b.yaml")
    with pytest.raises(UsageError):
        run_walk(options, io.StringIO(""), Console(file=io.StringIO()))


def test_saving_answers_makes_the_file_private_again(tmp_path: Path) -> None:
    import stat

    from tra_assess.walk.store import save

    path = tmp_path / "answers.yaml"
    path.write_text("old\n")
    path.chmod(0o644)
    save(Response("answers.yaml", questionnaire_id="mini", values={"alpha.one": 3}), path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "alpha.one: 3" in path.read_text()
