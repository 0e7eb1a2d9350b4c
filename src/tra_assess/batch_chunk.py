"""One chunk of a batch: read, check and accumulate its inputs (in a worker or in-process).

A chunk's result is small and picklable: the accumulator (sent without its questionnaire),
the respondent ids in input order (for the parent's duplicate check), the rejected inputs
and rows with their problems, warnings, and what the group-by check needs.
"""

from __future__ import annotations

import signal
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from tra_assess.answers import Response
from tra_assess.errors import InvalidInputError, Problem
from tra_assess.inputs import Source, load_response, problems_of
from tra_assess.questionnaire import Questionnaire
from tra_assess.scoring import Accumulator

Key = tuple[int, int]  # (input index, respondent number within the input)


@dataclass(frozen=True)
class IdEntry:
    key: Key
    rid: str
    path: str
    row: int | None

    @property
    def place(self) -> str:
        return self.path if self.row is None else f"{self.path} row {self.row}"


@dataclass
class RejectedEntry:
    key: Key
    path: str
    problems: list[Problem]


@dataclass
class ChunkResult:
    accumulator: Accumulator
    ids: list[IdEntry] = field(default_factory=list)
    rejected: list[RejectedEntry] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    versions: dict[str, int] = field(default_factory=dict)
    fields: set[str] = field(default_factory=set)
    group_seen: bool = False


class _Chunk:
    def __init__(self, q: Questionnaire, group_by: str | None, exclude: frozenset[Key]) -> None:
        self.q = q
        self.group_by = group_by
        self.exclude = exclude
        self.result = ChunkResult(Accumulator(q, group_by=group_by))

    def add(self, key: Key, response: Response, path: str, row: int | None) -> None:
        if key in self.exclude:
            return
        try:
            # the readers checked every answer against self.q: no second check
            self.result.accumulator.add(response, validated=True)
        except InvalidInputError as exc:
            self.reject(key, path, problems_of(exc, path))
            return
        result = self.result
        rid = response.respondent.get("id")
        if rid:
            result.ids.append(IdEntry(key, rid, path, row))
        version = response.questionnaire_version
        if version is not None and version != self.q.version:
            result.versions[version] = result.versions.get(version, 0) + 1
        if self.group_by is not None:
            result.fields.update(response.respondent)
            if response.organization:
                result.fields.add("organization")
            if response.mode:
                result.fields.add("mode")
            if not result.group_seen and response.group_value(self.group_by) is not None:
                result.group_seen = True

    def reject(self, key: Key, path: str, problems: list[Problem]) -> None:
        self.result.rejected.append(RejectedEntry(key, path, problems))

    def document(self, source: Source) -> None:
        try:
            response = load_response(source, self.q)
        except InvalidInputError as exc:
            self.reject((source.index, 1), source.display, problems_of(exc, source.display))
            return
        except RecursionError:
            self.reject(
                (source.index, 1),
                source.display,
                [Problem(source.display, "nested too deeply; not an answers file")],
            )
            return
        self.add((source.index, 1), response, source.display, None)

    def table(self, source: Source) -> None:
        from tra_assess.csvimport import TableReader

        reader = TableReader(source, self.q)
        seq = 0
        try:
            for row, outcome in reader:
                seq += 1
                key = (source.index, seq)
                if isinstance(outcome, Response):
                    self.add(key, outcome, source.display, row)
                else:
                    self.reject(key, source.display, outcome)
        except InvalidInputError as exc:
            self.reject((source.index, seq + 1), source.display, problems_of(exc, source.display))
        self.result.warnings.extend(reader.warnings)


def score_chunk(
    q: Questionnaire,
    group_by: str | None,
    sources: Iterable[Source],
    exclude: frozenset[Key] = frozenset(),
) -> ChunkResult:
    """Read and accumulate ``sources``, leaving out the respondents in ``exclude``."""
    chunk = _Chunk(q, group_by, exclude)
    for source in sources:
        if source.tabular:
            chunk.table(source)
        else:
            chunk.document(source)
    return chunk.result


# -- worker processes --------------------------------------------------------------------------

_WORKER: dict[str, Any] = {}


def init_worker(q: Questionnaire, group_by: str | None) -> None:
    """Worker start-up: keep the questionnaire; Ctrl-C is the parent's to handle."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _WORKER["q"] = q
    _WORKER["group_by"] = group_by


def worker_chunk(sources: list[Source]) -> ChunkResult:
    return score_chunk(_WORKER["q"], _WORKER["group_by"], sources)
