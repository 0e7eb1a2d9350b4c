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
from tra_assess.common.textsafe import fold_key, shows_text
from tra_assess.sources.answers import NA, UNKNOWN, Participants, Response
from tra_assess.walk import lockfile, metadata, recap, screen, store
from tra_assess.walk.inputs import LineInput, LineStream, Stop
from tra_assess.walk.keys import Answer, Hint, read_key
from tra_assess.walk.session import WalkSession, plan_visits, route_domains, select_domains

if TYPE_CHECKING:
    from rich.console import Console

    from tra_assess.questionnaire.model import Domain, Questionnaire

__all__ = ["WalkOptions", "run_walk"]


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
    all_items: bool = False


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
    selected: list[Domain] = field(default_factory=list)  # --domain, before role routing
    all_items: bool = False
    show_help: bool = False  # h unfolds the help and keys under the item, h again folds them
    lock: lockfile.AnswersLock | None = None

    @property
    def consensus(self) -> bool:
        return self.session.response.mode == "consensus"

    def routed_ids(self) -> list[str]:
        """Items of the questionnaire this respondent's role is asked (all without a role)."""
        role = None if self.all_items else self.session.response.respondent.get("role")
        return [item.id for item in self.q.items if item.in_audience(role)]

    def routed_total(self) -> int:
        return len(self.routed_ids())

    def routed_answered(self) -> int:
        values = self.session.response.values
        return sum(1 for item_id in self.routed_ids() if item_id in values)


def run_walk(options: WalkOptions, stream: LineStream, console: Console) -> int:
    """Walk the questionnaire; return the exit code (0 done or quit, 130 interrupted)."""
    walk = _prepare(options, stream, console)
    try:
        return _run(walk, options)
    finally:
        if walk.lock is not None:
            walk.lock.release()


def _run(walk: _Walk, options: WalkOptions) -> int:
    console = walk.console
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
            metadata.ask_metadata(walk.ui, walk.session.response, walk.q, options)
        except Stop as stop:
            stopped = stop
        _route(walk, options)
    _open_file(walk, options)
    _say_routing(walk)
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
    lock = None
    if options.resume is not None:
        lock = _lock(options.resume, console)
        try:
            response, warning = store.load_for_resume(options.resume, q)
        except BaseException:
            lock.release()
            raise
        response.assessed_on = response.assessed_on or clock.today_iso()
        if warning:
            console.print(screen.safe(warning, "italic"))
    else:
        if options.out is not None:
            store.check_new_path(options.out, qref)
            lock = _lock(options.out, console)  # before any question: a second walk stops now
        response = Response(
            source="run",
            questionnaire_id=q.id,
            questionnaire_version=q.version,
            assessed_on=clock.today_iso(),
        )
    metadata.apply_options(response, options)
    try:
        session = _session(q, response, domains, options)
    except BaseException:
        if lock is not None:
            lock.release()
        raise
    walk = _Walk(
        q,
        qref,
        session,
        LineInput(stream, console),
        console,
        options.notes,
        options.resume,
        selected=domains,
        all_items=options.all_items,
        lock=lock,
    )
    return walk


def _lock(path: Path, console: Console) -> lockfile.AnswersLock:
    """Hold the answers file's lock (exit 2 naming the holder when another walk has it) and
    remove what an interrupted save of it left behind."""
    lock = lockfile.AnswersLock(path).acquire()
    if lock.taken_over:
        console.print(screen.safe(lock.taken_over, "italic"))
    removed = lockfile.remove_leftover_temps(path)
    if removed:
        console.print(
            screen.safe(f"removed {removed} temporary file(s) an interrupted save left", "italic")
        )
    return lock


def _session(
    q: Questionnaire, response: Response, domains: list[Domain], options: WalkOptions
) -> WalkSession:
    """The walk over ``domains``, routed to the response's role (SPEC section 3, "Audience")."""
    role = response.respondent.get("role")
    routed = route_domains(domains, role, all_items=options.all_items)
    if domains and not routed:
        where = " in the chosen domains" if options.domains else ""
        raise UsageError(
            f"no item of {q.id}{where} is for the role {role!r}: give another --role, "
            "or ask every item with --all-items"
        )
    visits = plan_visits(routed, response, resume=options.resume is not None, review=options.review)
    return WalkSession(q, response, routed, visits, review=options.review)


def _route(walk: _Walk, options: WalkOptions) -> None:
    """Route again once the metadata questions have given a role."""
    walk.session = _session(walk.q, walk.session.response, walk.selected, options)


def _say_routing(walk: _Walk) -> None:
    """One line when the role leaves items out, so nobody wonders where they went."""
    role = walk.session.response.respondent.get("role")
    if walk.all_items or role is None:
        return
    asked = walk.routed_total()
    total = len(walk.q.items)
    if asked == total:
        return
    line = (
        f"For the role {role!r}: {asked} of {total} items (the others are for other roles; "
        "--all-items asks every item)."
    )
    if walk.q.roles and fold_key(role) not in {fold_key(known) for known in walk.q.roles}:
        line += f" {role!r} is not one of this questionnaire's roles ({', '.join(walk.q.roles)})."
    walk.console.print(screen.safe(line))


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
        walk.lock = walk.lock or _lock(walk.path, walk.console)
        store.check_new_path(walk.path, walk.qref)
        if store.is_empty_file(walk.path):
            walk.console.print(
                Text(f"{walk.path} is empty (a walk was stopped before its first save); "
                     "the walk starts in it.")
            )
            store.save(response, walk.path, walk.qref)
        else:
            store.create(response, walk.path, walk.qref)
    walk.console.print()
    response = walk.session.response
    who = [
        response.organization or "no organisation named",
        response.mode or "mode not set",
        f"role: {response.respondent.get('role') or '-'}",
    ]
    if response.participants is not None:
        if response.respondent.get("id"):
            who.append(f"respondent: {response.respondent['id']}")
        who.append(_participants_words(response.participants))
    else:
        who.append(f"respondent: {response.respondent.get('id') or 'anonymous'}")
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
            Text(f"{walk.routed_answered()} of {walk.routed_total()} answered; {what}.")
        )


def _participants_words(participants: Participants) -> str:
    count = participants.count
    words = f"{count} taking part" if count is not None else "taking part"
    return f"{words}: {', '.join(participants.roles)}" if participants.roles else words


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
        _show_item(walk)
        action = _read_action(walk)
        if isinstance(action, Answer):
            session.record(action.value, split=action.split)
            _save(walk)
            if action.value == NA and session.item.critical:
                _ask_na_reason(walk)
            elif walk.notes:
                _ask_note(walk)
            _advance(walk)
        elif action == "back":
            walk.show_help = False
            session.back()
        else:  # skip, or Enter keeping the answer
            _advance(walk)


def _show_item(walk: _Walk) -> None:
    session = walk.session
    screen.item_screen(
        walk.console,
        walk.q,
        session.item,
        session.position(),
        session.current_value(),
        session.current_note(),
        split=session.current_split(),
        show_help=walk.show_help,
        consensus=walk.consensus,
    )


def _advance(walk: _Walk) -> None:
    """Go on (the help folds away); when that leaves a domain, recap its answers and its level
    so far."""
    session = walk.session
    leaving = session.domain
    walk.show_help = False
    session.advance()
    if session.done or session.domain.id != leaving.id:
        _recap(walk, leaving)


def _recap(walk: _Walk, domain: Domain) -> None:
    from tra_assess.scoring.scorer import score_responses

    results = score_responses(walk.q, [walk.session.response])
    result = next((d for d in results.domains if d.id == domain.id), None)
    recap.domain_recap(walk.console, walk.q, domain, walk.session.response, result, walk.consensus)


def _read_action(walk: _Walk) -> str | Answer:
    """One valid key: a value to record (and whether the room was split on it), or 'back',
    'skip', 'keep'. ``h`` shows the item again with its help and the keys unfolded under it
    (or folded away again)."""
    session, ui, q = walk.session, walk.ui, walk.q
    keeps = session.enter_keeps()
    while True:
        typed = ui.ask(screen.prompt_text(q, keeps, walk.consensus))
        action = read_key(
            typed, q, keeps=keeps, consensus=walk.consensus, at_start=session.at_start
        )
        if isinstance(action, Hint):
            ui.hint(action.message)
        elif isinstance(action, Answer):
            return action
        elif action == "quit":
            raise Stop("quit")
        elif action == "help":
            walk.show_help = not walk.show_help
            _show_item(walk)
        else:
            return action


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
    if shows_text(text):
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
    store.save(walk.session.response, walk.path, walk.qref)


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
    done = walk.routed_answered()
    return f"Saved {done} of {walk.routed_total()} answers to {walk.path}."


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
    recap.summary(console, results, [d.id for d in session.domains])
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
