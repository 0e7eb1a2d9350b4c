"""The facilitated walk, ``tra-assess run`` (SPEC section 8): the terminal loop.

:func:`run_walk` prepares a :class:`~tra_assess.walk.session.WalkSession` (new, resumed or
reviewed), asks for the metadata that options did not give, then shows one item at a time
and reads one key per line. Every answer is saved at once (:mod:`tra_assess.walk.store`);
``q``, end of input and Ctrl-C save and say how to resume.
"""

from __future__ import annotations

import shlex
import signal
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text

from tra_assess.common.errors import EXIT_INTERRUPTED, EXIT_OK, UsageError
from tra_assess.sources.answers import NA, UNKNOWN, Response, Value, parse_value_text
from tra_assess.walk import screen, store
from tra_assess.walk.inputs import LineInput, LineStream, Stop
from tra_assess.walk.session import WalkSession, plan_visits, select_domains

if TYPE_CHECKING:
    from rich.console import Console

    from tra_assess.questionnaire.model import Questionnaire

__all__ = ["WalkOptions", "run_walk"]

_KEY_WORDS = {"n": NA, "?": UNKNOWN}


@dataclass
class WalkOptions:
    """The options of ``tra-assess run`` (None: not given)."""

    questionnaire: str | None = None
    out: Path | None = None
    resume: Path | None = None
    review: bool = False
    organization: str | None = None
    role: str | None = None
    respondent: str | None = None
    mode: str | None = None
    domains: list[str] = field(default_factory=list)
    notes: bool = True


@dataclass
class _Walk:
    """Everything one running walk needs."""

    q: Questionnaire
    qref: str | None  # -q to repeat in printed commands (None for a built-in)
    session: WalkSession
    ui: LineInput
    console: Console
    notes: bool
    path: Path | None = None


def run_walk(options: WalkOptions, stream: LineStream, console: Console) -> int:
    """Walk the questionnaire; return the exit code (0 done or quit, 130 interrupted)."""
    walk = _prepare(options, stream, console)
    session = walk.session
    resumed = options.resume is not None
    unanswered = None
    if resumed:
        unanswered = {
            d.id: sum(1 for i in d.items if i.id not in session.response.values)
            for d in session.domains
        }
    screen.start_screen(
        console, walk.q, session.domains, len(session.visits), session.response.mode, unanswered
    )
    stopped: Stop | None = None
    if not resumed:
        try:
            _ask_metadata(walk, options)
        except Stop as stop:
            stopped = stop
    _open_file(walk, options)
    if stopped is not None:
        return _stopped(walk, stopped)
    try:
        _walk_items(walk)
    except Stop as stop:
        return _stopped(walk, stop)
    except KeyboardInterrupt:
        console.print()
        return _stopped(walk, Stop("interrupt"))
    return _finish(walk)


# -- setting up ------------------------------------------------------------------------------


def _prepare(options: WalkOptions, stream: LineStream, console: Console) -> _Walk:
    from tra_assess.common import clock
    from tra_assess.common.resources import builtin_questionnaires
    from tra_assess.questionnaire.load import load_questionnaire

    if options.review and options.resume is None:
        raise UsageError("--review walks an existing answers file: use it with --resume FILE")
    if options.resume is not None and options.out is not None and options.out != options.resume:
        raise UsageError("--resume saves to the file it continues; leave out --out")
    ref = options.questionnaire
    if ref is None and options.resume is not None:
        ref = store.answers_questionnaire_id(options.resume)
    ref = ref or "tra-core"
    try:
        q = load_questionnaire(ref)
    except UsageError as exc:
        if options.questionnaire is None:
            raise UsageError(
                f"{options.resume} names questionnaire {ref!r}, which is not "
                "built in: give its file with -q PATH"
            ) from None
        raise exc
    try:
        domains = select_domains(q, options.domains)
    except KeyError as exc:
        ids = ", ".join(d.id for d in q.domains)
        raise UsageError(
            f"unknown domain {exc.args[0]!r} for --domain; the domains of {q.id} are: {ids}"
        ) from None
    qref = None if ref in builtin_questionnaires() else ref
    if options.resume is not None:
        response, warning = store.load_for_resume(options.resume, q)
        response.assessed_on = response.assessed_on or clock.today_iso()
        if warning:
            console.print(screen.safe(warning, "italic"))
    else:
        if options.out is not None:
            store.check_new_path(options.out, qref)
        response = Response(
            source="run",
            questionnaire_id=q.id,
            questionnaire_version=q.version,
            assessed_on=clock.today_iso(),
        )
    _apply_options(response, options)
    visits = plan_visits(
        domains, response, resume=options.resume is not None, review=options.review
    )
    session = WalkSession(q, response, domains, visits, review=options.review)
    return _Walk(
        q, qref, session, LineInput(stream, console), console, options.notes, options.resume
    )


def _apply_options(response: Response, options: WalkOptions) -> None:
    if options.organization is not None:
        response.organization = options.organization.strip() or None
    if options.mode is not None:
        response.mode = options.mode
    for key, value in (("id", options.respondent), ("role", options.role)):
        if value is not None:
            _set_field(response, key, value)


def _set_field(response: Response, key: str, value: str) -> None:
    value = value.strip()
    if value:
        response.respondent[key] = value
    else:
        response.respondent.pop(key, None)
    order = {"id": 0, "role": 1}
    response.respondent = dict(
        sorted(response.respondent.items(), key=lambda kv: order.get(kv[0], 2))
    )


def _ask_metadata(walk: _Walk, options: WalkOptions) -> None:
    """Ask for what the options did not give (Enter leaves a field blank)."""
    ui, response = walk.ui, walk.session.response
    if options.organization is None:
        response.organization = ui.ask("Organisation (Enter to leave blank): ") or None
    if options.mode is None:
        response.mode = _ask_mode(ui)
    if options.role is None:
        _set_field(response, "role", _ask_role(ui, walk.q.roles))
    if options.respondent is None:
        _set_field(response, "id", ui.ask("Respondent id (optional; Enter stays anonymous): "))


def _ask_mode(ui: LineInput) -> str:
    choices = {
        "1": "individual",
        "2": "consensus",
        "i": "individual",
        "c": "consensus",
        "individual": "individual",
        "consensus": "consensus",
        "": "individual",
    }
    while True:
        answer = ui.ask(
            "Mode: 1 individual, 2 consensus (a team agreeing together) [1]: "
        ).casefold()
        if answer in choices:
            return choices[answer]
        ui.hint("Type 1 (individual) or 2 (consensus).")


def _ask_role(ui: LineInput, roles: list[str]) -> str:
    if not roles:
        return ui.ask("Role (optional; Enter to leave blank): ")
    listed = " · ".join(f"{i} {role}" for i, role in enumerate(roles, start=1))
    while True:
        answer = ui.ask(f"Role: {listed}, or type one (Enter to leave blank): ")
        if not answer.isdigit():
            return answer
        if 1 <= int(answer) <= len(roles):
            return roles[int(answer) - 1]
        ui.hint(f"Choose 1-{len(roles)}, or type a role.")


def _open_file(walk: _Walk, options: WalkOptions) -> None:
    """Create the new answers file (never over an existing one) and save the first state."""
    taken: Path | None = None  # the default name, when a file already has it
    if walk.path is None:
        response = walk.session.response
        if options.out is not None:
            walk.path = options.out
        else:
            date = response.assessed_on or ""
            walk.path = store.default_out_path(response.organization, date)
            base = store.default_name(response.organization, date)
            taken = base if walk.path != base else None
        store.check_new_path(walk.path, walk.qref)
        store.reserve(walk.path, walk.qref)
        store.save(response, walk.path)
    walk.console.print()
    response = walk.session.response
    who = [
        response.organization or "no organisation named",
        response.mode or "mode not set",
        f"role: {response.respondent.get('role') or '-'}",
        f"respondent: {response.respondent.get('id') or 'anonymous'}",
    ]
    walk.console.print(screen.safe(" · ".join(who)))
    verb = "Continuing" if options.resume is not None else "Answers are saved to"
    walk.console.print(Text(f"{verb} {walk.path}", style="bold"))
    if taken is not None:
        walk.console.print(
            Text(
                f"{taken} already exists and is left as it is. To continue it instead, "
                f"quit (q) and run: {store.resume_command(taken, walk.qref)}"
            )
        )
    if options.resume is not None:
        session = walk.session
        what = (
            "walking every item again (Enter keeps an answer)"
            if options.review
            else f"{len(session.visits)} unanswered item(s) to visit"
        )
        walk.console.print(
            Text(f"{session.answered_total()} of {len(walk.q.items)} answered; {what}.")
        )


# -- the walk --------------------------------------------------------------------------------


def _walk_items(walk: _Walk) -> None:
    session, console = walk.session, walk.console
    shown_domain: str | None = None
    while not session.done:
        domain = session.domain
        if domain.id != shown_domain:
            where = session.position()
            screen.domain_intro(console, domain, where.domain_index, where.domain_count)
            shown_domain = domain.id
        screen.item_screen(
            console,
            walk.q,
            session.item,
            session.position(),
            session.current_value(),
            session.current_note(),
        )
        action = _read_action(walk)
        if action == "back":
            session.back()
        elif action in ("skip", "keep"):
            session.advance()
        else:
            session.record(action[1])
            _save(walk)
            if action[1] == NA and session.item.critical:
                _ask_na_reason(walk)
            elif walk.notes:
                _ask_note(walk)
            session.advance()


def _read_action(walk: _Walk) -> str | tuple[str, Value]:
    """One valid key: a value to record, or 'back', 'skip', 'keep'."""
    session, ui, q = walk.session, walk.ui, walk.q
    keeps = session.enter_keeps()
    while True:
        key = ui.ask(screen.prompt_text(q, keeps))
        folded = key.casefold()
        if folded == "" and keeps:
            return "keep"
        if folded in _KEY_WORDS:
            return ("value", _KEY_WORDS[folded])
        if folded == "q":
            raise Stop("quit")
        if folded == "h":
            screen.key_help(walk.console, q, walk.notes)
            continue
        if folded == "s":
            return "skip"
        if folded == "b":
            if not session.at_start:
                return "back"
            ui.hint("This is the first item of this walk: there is nothing to go back to.")
            continue
        if folded:
            try:
                value = parse_value_text(key, q)
            except ValueError:
                value = None
            if value is not None:
                return ("value", value)
        ui.hint(
            f"Type a rating {screen.scale_range(q)}, n, ?, b (back), s (skip), "
            "q (save and quit) or h for help."
        )


def _ask_note(walk: _Walk) -> None:
    session = walk.session
    current = session.current_note()
    prompt = (
        "Evidence note (Enter keeps the current one, - removes it): "
        if current
        else "Evidence note (Enter to skip): "
    )
    text = walk.ui.ask(prompt)
    if text == "-":  # only ever "remove the note": with no note, nothing to do
        if current is None:
            return
        session.set_note(None)
    elif text and text != current:
        session.set_note(text)
    else:
        return
    _save(walk)


def _ask_na_reason(walk: _Walk) -> None:
    """``n`` on a critical item counts only with a reason (SPEC section 4): ask for it, and
    record "don't know" when none is given (an existing note is kept as the reason)."""
    session = walk.session
    current = session.current_note()
    keeps = " (Enter keeps the current one)" if current else ""
    text = walk.ui.ask(
        f"This is a critical practice: why does it not apply here?{keeps} "
        "Enter without a reason records don't know: "
    ).strip()
    if text:
        if text != current:
            session.set_note(text)
            _save(walk)
        return
    if current:
        return
    session.record(UNKNOWN)
    _save(walk)
    walk.ui.hint("Recorded as don't know: not applicable on a critical practice needs a reason.")


def _save(walk: _Walk) -> None:
    assert walk.path is not None
    store.save(walk.session.response, walk.path)


def _save_final(walk: _Walk) -> None:
    """Save once more with Ctrl-C held off, so a second Ctrl-C cannot cut the last save."""
    if threading.current_thread() is not threading.main_thread():
        _save(walk)
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        _save(walk)
    finally:
        signal.signal(signal.SIGINT, previous)


# -- ending ----------------------------------------------------------------------------------


def _commands(walk: _Walk) -> tuple[str, list[str]]:
    """The resume command, and the report commands."""
    assert walk.path is not None
    path = shlex.quote(str(walk.path))
    q_opt = f" -q {shlex.quote(walk.qref)}" if walk.qref else ""
    reports = [
        f"tra-assess report {path}{q_opt} --format {fmt} --out report.{fmt}"
        for fmt in ("html", "md")
    ]
    return store.resume_command(walk.path, walk.qref), reports


def _saved_line(walk: _Walk) -> str:
    done = walk.session.answered_total()
    return f"Saved {done} of {len(walk.q.items)} answers to {walk.path}."


def _stopped(walk: _Walk, stop: Stop) -> int:
    _save_final(walk)
    console = walk.console
    resume, _ = _commands(walk)
    if stop.reason == "eof" and walk.ui.lines_read == 0 and not walk.ui.interactive:
        console.print(
            Text(
                "No answers on standard input, and it is not a terminal: run "
                "tra-assess run in a terminal to answer interactively, or score "
                "answer files in batch with: tra-assess score FILE..."
            )
        )
    elif stop.reason == "eof":
        console.print(Text("Input ended."))
    console.print(Text(f"{_saved_line(walk)} Resume with: {resume}"), soft_wrap=True)
    return EXIT_INTERRUPTED if stop.reason == "interrupt" else EXIT_OK


def _finish(walk: _Walk) -> int:
    from tra_assess.scoring.scorer import score_responses

    _save_final(walk)
    session, console = walk.session, walk.console
    results = score_responses(walk.q, [session.response])
    screen.summary(console, results, [d.id for d in session.domains])
    console.print()
    resume, reports = _commands(walk)
    left = len(session.unanswered_selected())
    if left:
        console.print(
            Text(f"{left} item(s) still unanswered: answer them with: {resume}"), soft_wrap=True
        )
    console.print(Text(_saved_line(walk)))
    console.print(Text("Make the report with:"))
    for command in reports:
        console.print(Text(f"  {command}"), soft_wrap=True)
    return EXIT_OK
