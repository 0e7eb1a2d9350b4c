"""Scoring (SPEC section 4): respondents in, a ``tra-results/1`` document out.

>>> acc = Accumulator(questionnaire, group_by="role")      # doctest: +SKIP
>>> for response in responses:                            # doctest: +SKIP
...     acc.add(response)
>>> results = acc.finalize(target="responsive")            # doctest: +SKIP

The accumulator keeps only integer statistics (see :mod:`tra_assess.scoring.tally`), never the
responses, so memory does not grow with respondents (the deduplicated evidence notes, the
organisation names and the group values excepted). Merging is exact: scoring the halves of a
batch and merging them gives the same results, bit for bit, as scoring the whole, in any order.
"""

from __future__ import annotations

import datetime as _dt
import operator
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from tra_assess.common.errors import InvalidInputError, Problem, UsageError
from tra_assess.common.textsafe import quoted, shows_text
from tra_assess.questionnaire.model import Questionnaire
from tra_assess.results.model import (
    Inputs,
    LevelInfo,
    NaReason,
    Note,
    QuestionnaireInfo,
    Results,
    ScaleInfo,
)
from tra_assess.scoring.columns import Cell, add_columns, add_rows, mask_audience
from tra_assess.scoring.groups import (
    UNSPECIFIED,
    Figures,
    GroupMerge,
    build_groups,
    fold_group_value,
    hidden_only_items,
    pool_groups,
)
from tra_assess.scoring.rules import Evaluation, Target, evaluate, principles, priorities
from tra_assess.scoring.tally import (
    NA_NOTED,
    Plan,
    Tally,
    build_plan,
    check_values,
    marked_values,
    plan_key,
)
from tra_assess.sources.answers import Response, Value

__all__ = ["UNSPECIFIED", "Accumulator", "score_responses"]

# In a block, groups of fewer respondents than this on average are added row by row: a
# column pass has a fixed cost per group (a few dict look-ups per distinct cell and item).
GROUP_ROWS_FOR_COLUMNS = 16
MAX_GROUPS = 2_000  # each group keeps its own tallies (about 20 KB for tra-core)


def latest_date(current: str | None, candidate: str | None) -> str | None:
    """The later of two ``YYYY-MM-DD`` dates, compared as dates (None: not recorded)."""
    if not candidate or candidate == current:
        return current
    if current is None:
        return candidate
    later = _dt.date.fromisoformat(candidate) > _dt.date.fromisoformat(current)
    return candidate if later else current


class Accumulator:
    """Mergeable statistics of a batch of respondents (and of each group when grouping).

    **Sending between processes.** The questionnaire is not part of the pickled state:
    ``pickle.dumps(acc)`` carries only compact integer arrays (and the notes, organisation
    names and modes), and the unpickled accumulator is *detached*. A detached accumulator can
    be merged, and merged into (``parent.merge(child)`` needs nothing more); to ``add`` to it
    or ``finalize`` it, call ``acc.attach(questionnaire)`` first. Tallies of a different
    questionnaire (id, version or shape) refuse to merge or attach.
    """

    def __init__(
        self,
        questionnaire: Questionnaire,
        group_by: str | None = None,
        not_applicable: Mapping[str, str] | None = None,
    ) -> None:
        """``not_applicable``: a setting profile's items (id -> reason), SPEC section 4."""
        self.not_applicable = dict(not_applicable or {})
        self._questionnaire: Questionnaire | None = questionnaire
        self._plan: Plan | None = build_plan(questionnaire, self.not_applicable)
        self._key = self._plan.key
        self.group_by = group_by
        self._tally = Tally(self._key)
        self._groups: dict[str, Tally] = {}  # by folded value
        self._spellings: dict[str, dict[str, int]] = {}  # folded value -> spelling -> count
        self._notes: dict[int, set[str]] = {}
        self._na_reasons: dict[tuple[int, str], int] = {}  # critical item, note -> count
        # roles given that are not the questionnaire's (scored on every item; warned about)
        self.unknown_roles: set[str] = set()
        self._organizations: set[str] = set()
        self._modes: dict[str, int] = {}
        self._assessed_on: str | None = None

    # -- pickling and attaching ------------------------------------------------------------

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_questionnaire"] = None
        state["_plan"] = None
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)

    def attach(self, questionnaire: Questionnaire) -> None:
        """Give an unpickled accumulator its questionnaire back (needed by add and finalize)."""
        if plan_key(questionnaire, self.not_applicable) != self._key:
            raise ValueError(
                f"accumulator is for {self._key[0]} {self._key[1]}, "
                f"not {questionnaire.id} {questionnaire.version}"
            )
        self._questionnaire = questionnaire
        self._plan = build_plan(questionnaire, self.not_applicable)

    def _attached(self) -> tuple[Questionnaire, Plan]:
        if self._questionnaire is None or self._plan is None:
            raise RuntimeError("accumulator is detached: call attach(questionnaire) first")
        return self._questionnaire, self._plan

    # -- adding and merging ------------------------------------------------------------------

    @property
    def respondents(self) -> int:
        return self._tally.n

    def add(self, response: Response, *, validated: bool = False) -> None:
        """Add one respondent. An unknown item or a value off the scale is an
        :class:`InvalidInputError` naming the response's source; nothing is added then.

        ``validated=True`` is the input readers' fast path: they have already checked every
        answer against this questionnaire (known item ids; values on the scale, ``"na"`` or
        ``"unknown"``; no None), so the answers go to the tallies without a second check.
        """
        _, plan = self._attached()
        values: Mapping[str, Value] = response.values
        if not validated:
            message = check_values(values, plan)
            if message is not None:
                raise InvalidInputError(message, [Problem(response.source, message)])
            if None in values.values():
                values = {k: v for k, v in values.items() if v is not None}
        notes = self._checked_notes(response, plan) if response.notes else ()
        role = response.respondent.get("role") or None
        if plan.unknown_role(role) and len(self.unknown_roles) < 20:
            self.unknown_roles.add(str(role))
        if notes or (role is not None and plan.audiences):
            values = marked_values(values, plan, role, [plan.item_ids[i] for i, _ in notes])
        self._tally.add_checked(values, plan)
        if notes:
            self._tally.add_noted(values, (i for i, _ in notes), plan)
        if self.group_by is not None:
            self._group(self._group_key(response.group_value(self.group_by))).add_checked(
                values, plan
            )
        for i, text in notes:
            self._notes.setdefault(i, set()).add(text)
            if values.get(plan.item_ids[i]) == NA_NOTED and plan.critical[i]:
                key = (i, text)
                self._na_reasons[key] = self._na_reasons.get(key, 0) + 1
        if response.organization:
            self._organizations.add(response.organization)
        if response.mode:
            self._modes[response.mode] = self._modes.get(response.mode, 0) + 1
        self._assessed_on = latest_date(self._assessed_on, response.assessed_on)

    def add_columns(
        self,
        columns: Sequence[Sequence[Cell] | None],
        translate: Mapping[Cell, Value | None],
        rows: int,
        *,
        counts: Sequence[Mapping[Cell, int] | None] | None = None,
        notes: Sequence[Sequence[Cell] | None] | None = None,
        groups: Sequence[str | None] | None = None,
        roles: Sequence[str | None] | None = None,
        organizations: Iterable[str] = (),
        modes: Mapping[str, int] | None = None,
        assessed_on: str | None = None,
    ) -> None:
        """Add ``rows`` respondents given column by column (a wide table's fast path).

        ``columns[i]`` holds questionnaire item ``i``'s cell for each respondent (None: the
        item has no column); ``translate`` maps each cell to its checked answer (None for
        unanswered); ``counts[i]`` may give ``Counter(columns[i])`` already computed;
        ``notes[i]`` may give item ``i``'s evidence note per respondent. When
        grouping, ``groups`` is each respondent's group value (None: unspecified); ``roles``
        is each respondent's role, for the items' audiences (None: nobody has one). The rest
        is what the respondents' responses would add: organisations, mode counts, the latest
        assessment date. The state reached is the one ``add`` would reach row by row.
        """
        _, plan = self._attached()
        if roles is not None and plan.audiences:
            for role in set(roles):
                if plan.unknown_role(role) and len(self.unknown_roles) < 20:
                    self.unknown_roles.add(str(role))
            columns, translate, counts = mask_audience(plan, columns, translate, counts, roles)
        add_columns(self._tally, plan, columns, translate, rows, counts, notes)
        if self.group_by is not None:
            self._add_group_columns(plan, columns, translate, rows, groups)
        self._organizations.update(organizations)
        for mode, count in (modes or {}).items():
            self._modes[mode] = self._modes.get(mode, 0) + count
        self._assessed_on = latest_date(self._assessed_on, assessed_on)

    def add_codes(
        self,
        codes: Any,
        meanings: Sequence[Value | None],
        *,
        groups: Sequence[str | None] | None = None,
        roles: Sequence[str | None] | None = None,
        organizations: Iterable[str] = (),
        modes: Mapping[str, int] | None = None,
        assessed_on: str | None = None,
    ) -> bool:
        """Add the respondents of a code matrix (a large table's numpy path): ``codes`` is a
        rows x items uint8 array of codes into ``meanings`` (checked answers, None for
        unanswered); the rest as for :meth:`add_columns`. False, with nothing added, when
        the block is too large for exact int64 sums (the caller reads it row by row)."""
        from tra_assess.scoring import arrays

        _, plan = self._attached()
        rows = int(codes.shape[0])
        if not arrays.fits(plan, rows):
            return False
        table: list[arrays.Code] = list(meanings)
        if roles is not None and plan.audiences:
            for role in set(roles):
                if plan.unknown_role(role) and len(self.unknown_roles) < 20:
                    self.unknown_roles.add(str(role))
            codes, table = arrays.mask_audience(plan, codes, table, roles)
        arrays.add_codes(self._tally, plan, codes, table)
        if self.group_by is not None:
            members: dict[str, list[int]] = {}
            for row, value in enumerate(groups if groups is not None else [None] * rows):
                members.setdefault(value or "", []).append(row)
            for value, positions in members.items():
                tally = self._group(self._group_key(value, len(positions)))
                part = codes if len(positions) == rows else codes[positions]
                arrays.add_codes(tally, plan, part, table)
        self._organizations.update(organizations)
        for mode, count in (modes or {}).items():
            self._modes[mode] = self._modes.get(mode, 0) + count
        self._assessed_on = latest_date(self._assessed_on, assessed_on)
        return True

    def _group_key(self, raw: str | None, count: int = 1) -> str:
        """The folded value a respondent's group value is compared by (its spelling is
        counted, so the most common one is displayed); no value: ``(unspecified)``."""
        key = fold_group_value(raw) if raw else ""
        spelling = raw if key and raw else UNSPECIFIED
        key = key or UNSPECIFIED
        spellings = self._spellings.setdefault(key, {})
        spellings[spelling] = spellings.get(spelling, 0) + count
        return key

    def _group(self, value: str) -> Tally:
        """The tally of one group; a field that splits people into too many groups (an id,
        a date-time) is refused before their tallies fill the memory."""
        group = self._groups.get(value)
        if group is None:
            if len(self._groups) >= MAX_GROUPS:
                raise UsageError(
                    f"--group-by {self.group_by!r} makes more than {MAX_GROUPS:,} groups; "
                    "group by a field that people share (role, team, site ...)"
                )
            group = self._groups[value] = Tally(self._key)
        return group

    def _add_group_columns(
        self,
        plan: Plan,
        columns: Sequence[Sequence[Cell] | None],
        translate: Mapping[Cell, Value | None],
        rows: int,
        groups: Sequence[str | None] | None,
    ) -> None:
        """Each group's respondents into its tally: column by column when the groups are
        big enough for that to pay, else row by row."""
        members: dict[str, list[int]] = {}
        for row, value in enumerate(groups if groups is not None else [None] * rows):
            members.setdefault(value or "", []).append(row)
        by_rows = len(members) * GROUP_ROWS_FOR_COLUMNS > rows
        for value, positions in members.items():
            tally = self._group(self._group_key(value, len(positions)))
            if by_rows:
                add_rows(tally, plan, columns, translate, positions)
            elif len(positions) == rows:
                add_columns(tally, plan, columns, translate, rows)
            else:
                pick = operator.itemgetter(*positions, positions[0])  # a tuple even for one
                size = len(positions)
                part = [None if c is None else pick(c)[:size] for c in columns]
                add_columns(tally, plan, part, translate, size)

    @staticmethod
    def _checked_notes(response: Response, plan: Plan) -> list[tuple[int, str]]:
        notes: list[tuple[int, str]] = []
        for item_id, text in response.notes.items():
            i = plan.index.get(item_id)
            if i is None:
                message = f"note for unknown item {quoted(item_id)}"
                raise InvalidInputError(message, [Problem(response.source, message)])
            cleaned = text.strip()
            if shows_text(cleaned):
                notes.append((i, cleaned))
        return notes

    def merge(self, other: Accumulator) -> None:
        """Add ``other``'s respondents (``other`` may be detached; it is not changed)."""
        if other._key != self._key:
            raise ValueError(f"cannot merge accumulators of {other._key} and {self._key}")
        if other.group_by != self.group_by:
            raise ValueError(f"cannot merge group_by={other.group_by!r} into {self.group_by!r}")
        self._tally.merge(other._tally)
        room = max(0, 20 - len(self.unknown_roles))
        self.unknown_roles.update(sorted(other.unknown_roles)[:room])
        for value, theirs in other._groups.items():
            self._group(value).merge(theirs)
        for value, spellings in other._spellings.items():
            mine = self._spellings.setdefault(value, {})
            for spelling, count in spellings.items():
                mine[spelling] = mine.get(spelling, 0) + count
        for i, texts in other._notes.items():
            self._notes.setdefault(i, set()).update(texts)
        for key, count in other._na_reasons.items():
            self._na_reasons[key] = self._na_reasons.get(key, 0) + count
        self._organizations.update(other._organizations)
        for mode, count in other._modes.items():
            self._modes[mode] = self._modes.get(mode, 0) + count
        self._assessed_on = latest_date(self._assessed_on, other._assessed_on)

    # -- results ------------------------------------------------------------------------------

    def finalize(
        self,
        *,
        target: str | None = None,
        min_group_size: int | None = None,
        top: int = 10,
        inputs: Inputs | None = None,
        merges: Sequence[GroupMerge] = (),
    ) -> Results:
        """The results document. An unknown ``target`` level id is a :class:`UsageError`.

        ``merges`` pool groups before suppression (``--merge-groups``); a group size below
        the questionnaire's is marked (``allow_small_groups``), not refused: refusing it
        unless asked is the command's part (:func:`tra_assess.scoring.batch.score_inputs`).
        """
        from tra_assess import __version__
        from tra_assess.common.clock import now_iso

        questionnaire, plan = self._attached()
        chosen = _target(questionnaire, target)
        if min_group_size is not None and min_group_size < 1:
            raise UsageError(f"--min-group-size must be at least 1, not {min_group_size}")
        min_size = min_group_size if min_group_size is not None else questionnaire.min_group_size
        evaluation = evaluate(self._tally, plan, questionnaire, chosen)
        groups = None
        modes = dict(sorted(self._modes.items()))
        info = inputs if inputs is not None else Inputs(files=0)
        if self.group_by is not None:
            pool = pool_groups(self._groups, self._spellings, merges)
            tallies = {value: _pooled(members) for value, members in pool.members.items()}
            sizes = {value: tally.n for value, tally in tallies.items()}

            def score_group(value: str) -> Evaluation:
                return evaluate(tallies[value], plan, questionnaire, chosen)

            figures = Figures(evaluation, self._tally, tallies)
            groups = build_groups(
                self.group_by, min_size, sizes, score_group, figures, pool.merged_from
            )
            if self.group_by == "mode":  # no count of a suppressed group anywhere
                hidden = {group.value for group in groups.groups if group.suppressed}
                modes = {
                    mode: count
                    for mode, count in modes.items()
                    if pool.value_of.get(fold_group_value(mode) or UNSPECIFIED) not in hidden
                }
            elif any(group.suppressed for group in groups.groups):
                # counts by answer mode, with the groups' sizes, could give back the size of a
                # suppressed group (a small team that all answered in consensus): not shown
                modes = {}
            item_ids = [item.id for domain in questionnaire.domains for item in domain.items]
            alone = hidden_only_items(groups.groups, min_size, figures, item_ids)
            extra = [*pool.warnings, *([alone] if alone else [])]
            if extra:
                info = info.model_copy(update={"warnings": [*info.warnings, *extra]})
        return Results(
            tool_version=__version__,
            questionnaire=QuestionnaireInfo(
                id=questionnaire.id,
                version=questionnaire.version,
                title=questionnaire.title,
                description=questionnaire.description,
            ),
            generated_at=now_iso(),
            assessed_on=self._assessed_on,
            organizations=sorted(self._organizations),
            target=chosen.id,
            levels=[LevelInfo(**level.model_dump()) for level in questionnaire.levels],
            scale=[ScaleInfo(value=p.value, label=p.label) for p in questionnaire.scale],
            min_coverage=questionnaire.min_coverage,
            min_group_size=min_size,
            allow_small_groups=min_size < questionnaire.min_group_size,
            respondents=self._tally.n,
            modes=modes,
            inputs=info,
            overall=evaluation.overall,
            domains=evaluation.domains,
            items=evaluation.items,
            priorities=priorities(questionnaire, evaluation, chosen, top),
            candidates=priorities(questionnaire, evaluation, chosen, len(questionnaire.items)),
            principles=principles(questionnaire, evaluation),
            groups=groups,
            notes=self._note_list(questionnaire, plan),
            evidence_counted=True,
            na_reasons=self._na_reason_list(plan),
            critical_dissent=questionnaire.critical_dissent,
        )

    def _na_reason_list(self, plan: Plan) -> list[NaReason]:
        """The setting profile's reasons, then the notes given with na on critical items."""
        reasons: list[NaReason] = []
        by_item: dict[int, list[tuple[str, int]]] = {}
        for (i, text), count in self._na_reasons.items():
            by_item.setdefault(i, []).append((text, count))
        for i, item_id in enumerate(plan.item_ids):
            if item_id in self.not_applicable:
                reason = self.not_applicable[item_id].strip()
                reasons.append(NaReason(item=item_id, reason=reason, source="profile", count=1))
            for text, count in sorted(by_item.get(i, [])):
                reasons.append(NaReason(item=item_id, reason=text, source="note", count=count))
        return reasons

    def _note_list(self, questionnaire: Questionnaire, plan: Plan) -> list[Note]:
        notes: list[Note] = []
        for i in sorted(self._notes):
            domain = questionnaire.domains[plan.item_domain[i]].id
            for text in sorted(self._notes[i]):
                notes.append(Note(item=plan.item_ids[i], domain=domain, text=text))
        return notes


def _pooled(members: Sequence[Tally]) -> Tally:
    """One group's tally: the only member, or a new tally holding all of them."""
    if len(members) == 1:
        return members[0]
    pooled = Tally(members[0].key)
    for member in members:
        pooled.merge(member)
    return pooled


def _target(questionnaire: Questionnaire, target: str | None) -> Target:
    level_id = target if target is not None else questionnaire.default_target
    if level_id not in questionnaire.level_ids:
        known = ", ".join(questionnaire.level_ids)
        raise UsageError(f"unknown target level {level_id!r} (known levels: {known})")
    return Target(
        id=level_id,
        min_score=questionnaire.level(level_id).min_score,
        rank=questionnaire.level_rank(level_id),
    )


def score_responses(
    questionnaire: Questionnaire,
    responses: Iterable[Response],
    *,
    group_by: str | None = None,
    target: str | None = None,
    min_group_size: int | None = None,
    top: int = 10,
    inputs: Inputs | None = None,
    merges: Sequence[GroupMerge] = (),
    not_applicable: Mapping[str, str] | None = None,
) -> Results:
    """Score respondents in one go (see :class:`Accumulator` for batches and workers).
    ``not_applicable`` is a setting profile's items (id -> reason)."""
    accumulator = Accumulator(questionnaire, group_by=group_by, not_applicable=not_applicable)
    _target(questionnaire, target)  # a bad target fails before any work
    for response in responses:
        accumulator.add(response)
    return accumulator.finalize(
        target=target, min_group_size=min_group_size, top=top, inputs=inputs, merges=merges
    )
