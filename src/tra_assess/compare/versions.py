"""Which items of two results can be compared when they were scored against different versions
of one questionnaire.

The questionnaire's ``changes`` list says what happened to item ids from one version to the
next. :func:`pair_items` follows it from the earlier version to the later (through every
version between, in either order of the two files):

- an id that stays, or is ``moved`` to a new id, is the same practice: it is compared (with
  its new id when it moved);
- an item ``split`` into several, several ``merged`` into one, a ``removed`` item and an
  ``added`` one are not the same practice on both sides: they are left out, each with a
  :class:`NotCompared` note that says why ("crisis.restraint-last-resort was split into ... in
  1.1.0: not compared"). An old id kept by one of the items it was split or merged into is
  left out too, since the item no longer means what it meant;
- an id on one side only that no entry explains is left out as "not in the baseline" or "not
  in the follow-up".

Without a ``changes`` list that covers both versions, items are paired by id, and a warning
says that a split or merged item that kept its id cannot be told apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, ConfigDict

from tra_assess.common.errors import TraAssessError, UsageError
from tra_assess.questionnaire.model import Change, Questionnaire
from tra_assess.results.model import Results

__all__ = [
    "NotCompared",
    "Pairing",
    "changes_between",
    "find_changes",
    "pair_items",
    "review_pairing",
]

Why = Literal[
    "split", "merged", "removed", "added", "not-in-baseline", "not-in-followup", "no-shared-items"
]


class NotCompared(BaseModel):
    """Items (or a domain) left out of a comparison, and why, in words."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["item", "domain"] = "item"
    why: Why
    ids: list[str]
    version: str | None = None
    text: str


@dataclass
class Pairing:
    """Follow-up item id -> the baseline item id it is compared with, and what was left out."""

    pairs: dict[str, str] = field(default_factory=dict)
    left_out: list[NotCompared] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _and(words: Sequence[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"


# -- finding the changes ------------------------------------------------------------------------


def changes_between(
    questionnaire: Questionnaire, earlier: str, later: str
) -> tuple[list[Change], bool] | None:
    """The ``changes`` entries that lead from one version to the other, and whether they run
    backwards (``earlier`` is the later version); None when the list lacks either version."""
    versions = [change.version for change in questionnaire.changes]
    if earlier == later:
        return [], False
    if earlier not in versions or later not in versions:
        return None
    i, j = versions.index(earlier), versions.index(later)
    if i < j:
        return list(questionnaire.changes[i + 1 : j + 1]), False
    return list(questionnaire.changes[j + 1 : i + 1]), True


def find_changes(
    baseline: Results, followup: Results, questionnaire: Questionnaire | None = None
) -> tuple[list[Change], bool] | None:
    """The changes between the two results' versions, from ``questionnaire`` or else from the
    built-in questionnaire of that id; None when no list covers both versions."""
    info_b, info_f = baseline.questionnaire, followup.questionnaire
    if info_b.version == info_f.version:
        return [], False
    if questionnaire is not None:
        if questionnaire.id != info_f.id:
            raise UsageError(
                f"the questionnaire given is {questionnaire.id!r}, but the results are of "
                f"{info_f.id!r}"
            )
        return changes_between(questionnaire, info_b.version, info_f.version)
    builtin = _builtin(info_f.id)
    return changes_between(builtin, info_b.version, info_f.version) if builtin else None


def _builtin(qid: str) -> Questionnaire | None:
    from tra_assess.common.resources import builtin_questionnaires
    from tra_assess.questionnaire.load import load_questionnaire

    try:
        return load_questionnaire(qid) if qid in builtin_questionnaires() else None
    except (TraAssessError, OSError):
        return None


# -- following ids through the changes --------------------------------------------------------


@dataclass
class _Lineage:
    now: dict[str, str] = field(default_factory=dict)  # earlier id -> its later id (moved)
    gone: dict[str, NotCompared] = field(default_factory=dict)  # earlier ids left out
    new: dict[str, NotCompared] = field(default_factory=dict)  # later ids left out
    origin: dict[str, str] = field(default_factory=dict)  # later id -> earlier id (moved)

    def end(self, old: str, note: NotCompared) -> None:
        self.gone.setdefault(self.origin.pop(old, old), note)

    def step(self, change: Change) -> None:
        v = change.version
        for old, new_id in change.moved.items():
            first = self.origin.pop(old, old)
            self.now[first] = new_id
            self.origin[new_id] = first
        for old, news in change.split.items():
            text = f"{old} was split into {_and(news)} in {v}: not compared"
            note = NotCompared(why="split", ids=[old, *news], version=v, text=text)
            self.end(old, note)
            self.new.update(dict.fromkeys(news, note))
        for new_id, olds in change.merged.items():
            text = f"{_and(olds)} were merged into {new_id} in {v}: not compared"
            note = NotCompared(why="merged", ids=[*olds, new_id], version=v, text=text)
            for old in olds:
                self.end(old, note)
            if new_id not in olds:
                self.end(new_id, note)  # an id re-used for the merged item
            self.new[new_id] = note
        if change.removed:
            verb = "was" if len(change.removed) == 1 else "were"
            text = f"{_and(change.removed)} {verb} removed in {v}: not compared"
            note = NotCompared(why="removed", ids=list(change.removed), version=v, text=text)
            for old in change.removed:
                self.end(old, note)
        if change.added:
            text = f"new in {v}, so not compared: {', '.join(change.added)}"
            note = NotCompared(why="added", ids=list(change.added), version=v, text=text)
            self.new.update(dict.fromkeys(change.added, note))


def pair_items(
    baseline: Results, followup: Results, changes: tuple[list[Change], bool] | None
) -> Pairing:
    """Pair the two results' items (see the module docstring)."""
    base_ids = [item.id for item in baseline.items]
    follow_ids = [item.id for item in followup.items]
    steps, backwards = changes if changes is not None else ([], False)
    lineage = _Lineage()
    for change in steps:
        lineage.step(change)
    earlier, later = (follow_ids, base_ids) if backwards else (base_ids, follow_ids)
    later_set = set(later)
    found: dict[str, str] = {}  # later id -> earlier id
    for old in earlier:
        new_id = lineage.now.get(old, old)
        if old not in lineage.gone and new_id in later_set and new_id not in lineage.new:
            found[new_id] = old
    pairs = {old: new for new, old in found.items()} if backwards else found
    pairing = Pairing(pairs={f: pairs[f] for f in follow_ids if f in pairs})
    unpaired_earlier = [i for i in earlier if i not in set(found.values())]
    unpaired_later = [i for i in later if i not in found]
    pairing.left_out = _notes(lineage, unpaired_earlier, unpaired_later)
    _unexplained(pairing, baseline, followup, known=changes is not None)
    moved = [(b, f) for f, b in pairing.pairs.items() if f != b]
    if moved:
        pairing.notes.append(
            "compared as the same practice under a new id: "
            + ", ".join(f"{b} (now {f})" for b, f in moved)
        )
    reworded = sorted({i for c in steps for i in c.reworded} & set(pairing.pairs))
    if reworded:
        pairing.notes.append(
            f"{len(reworded)} items reworded between the versions are compared as the same practice"
        )
    return pairing


def _notes(lineage: _Lineage, earlier: list[str], later: list[str]) -> list[NotCompared]:
    """The notes that explain the unpaired ids, once each, in the order of the first id each
    explains; notes on added and removed items name only the items these results have."""
    notes: dict[int, NotCompared] = {}
    for old in earlier:
        note = lineage.gone.get(old) or lineage.new.get(lineage.now.get(old, old))
        if note is not None:
            notes.setdefault(id(note), note)
    for new_id in later:
        note = lineage.new.get(new_id) or lineage.gone.get(lineage.origin.get(new_id, new_id))
        if note is not None:
            notes.setdefault(id(note), note)
    present = set(earlier) | set(later)
    return [_restricted(note, present) for note in notes.values()]


def _restricted(note: NotCompared, present: set[str]) -> NotCompared:
    if note.why not in ("added", "removed"):
        return note
    ids = [i for i in note.ids if i in present]
    if note.why == "added":
        text = f"new in {note.version}, so not compared: {', '.join(ids)}"
    else:
        verb = "was" if len(ids) == 1 else "were"
        text = f"{_and(ids)} {verb} removed in {note.version}: not compared"
    return note.model_copy(update={"ids": ids, "text": text})


def _unexplained(pairing: Pairing, baseline: Results, followup: Results, known: bool) -> None:
    """Ids on one side only that no change explains."""
    explained = {i for note in pairing.left_out for i in note.ids}
    paired_base = set(pairing.pairs.values())
    only_base = [i.id for i in baseline.items if i.id not in paired_base and i.id not in explained]
    only_follow = [
        i.id for i in followup.items if i.id not in pairing.pairs and i.id not in explained
    ]
    vb, vf = baseline.questionnaire.version, followup.questionnaire.version
    if only_base:
        text = f"not in the follow-up ({vf}), so not compared: {', '.join(only_base)}"
        pairing.left_out.append(NotCompared(why="not-in-followup", ids=only_base, text=text))
    if only_follow:
        text = f"not in the baseline ({vb}), so not compared: {', '.join(only_follow)}"
        pairing.left_out.append(NotCompared(why="not-in-baseline", ids=only_follow, text=text))
    if not known:
        pairing.notes.append(
            f"no changes list leading from {vb} to {vf} was found, so items are paired by id: "
            "an item split or merged under its old id would be compared as if it were the same"
        )


def review_pairing(
    baseline: Results, followup: Results, questionnaire: Questionnaire | None = None
) -> tuple[dict[str, str], dict[str, str]]:
    """For reviewing the baseline's priorities now: baseline item id -> the follow-up id it
    is the same practice as, and baseline item id -> why it has no counterpart (split, merged,
    removed), in words. Same version: every id is itself."""
    changes = find_changes(baseline, followup, questionnaire)
    pairing = pair_items(baseline, followup, changes)
    same = {base: follow for follow, base in pairing.pairs.items()}
    why = {
        item_id: note.text
        for note in pairing.left_out
        if note.why in ("split", "merged", "removed", "not-in-followup")
        for item_id in note.ids
        if item_id not in same
    }
    return same, why
