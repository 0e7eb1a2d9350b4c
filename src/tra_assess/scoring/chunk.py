"""One chunk of a batch: read, check and accumulate its inputs (in a worker or in-process).

A chunk's result is small and picklable: the accumulator (sent without its questionnaire),
the respondent ids in input order (for the parent's duplicate check), the rejected inputs
and rows with their problems, warnings, and what the group-by check needs.
"""

from __future__ import annotations

import functools
import signal
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from tra_assess.common.errors import InvalidInputError, Problem
from tra_assess.questionnaire.model import Questionnaire
from tra_assess.scoring import halves
from tra_assess.scoring.halves import Half
from tra_assess.scoring.scorer import Accumulator
from tra_assess.sources.answers import Response, Source
from tra_assess.sources.documents import load_response, problems_of
from tra_assess.sources.exports.blocks import (
    MetaBlock,
    WideBlock,
    mode_counts,
    organizations,
    respondent_ids,
)
from tra_assess.sources.options import DEFAULT, ReadOptions

if TYPE_CHECKING:
    from tra_assess.sources.exports.tables import Numbered

Key = tuple[int, int]  # (input index, respondent number within the input)
MAX_LISTED = 1000  # rejections listed per input; more are counted
WHOLE_INPUT = 1 << 62  # the respondent number of a problem with the input as a whole (last)


class IdEntry(NamedTuple):
    """Where a respondent id was seen (a tuple: one is made per respondent)."""

    key: Key
    rid: str
    path: str
    row: int | None

    @property
    def place(self) -> str:
        return self.path if self.row is None else f"{self.path} row {self.row}"


@dataclass(eq=False)
class IdRun:
    """The respondent ids of one block of table rows: one object per block, not one
    :class:`IdEntry` per respondent (a large table has hundreds of thousands)."""

    index: int  # the input
    seq: int  # the block's first respondent is (index, seq + 1)
    rids: list[str]
    positions: Sequence[int]  # each id's place in the block
    path: str
    numbers: Sequence[int]  # the block's row numbers

    def entries(self) -> Iterator[IdEntry]:
        for n, rid in zip(self.positions, self.rids, strict=True):
            yield IdEntry((self.index, self.seq + n + 1), rid, self.path, self.numbers[n])

    def entry(self, rid: str) -> IdEntry:
        """The entry of ``rid``'s first place in the block."""
        n = self.positions[self.rids.index(rid)]
        return IdEntry((self.index, self.seq + n + 1), rid, self.path, self.numbers[n])


def id_entries(ids: Iterable[IdEntry | IdRun]) -> list[IdEntry]:
    """Every id entry, the runs' expanded."""
    found: list[IdEntry] = []
    for item in ids:
        found.extend(item.entries() if isinstance(item, IdRun) else (item,))
    return found


@dataclass
class RejectedEntry:
    key: Key
    path: str
    problems: list[Problem]


@dataclass
class ChunkResult:
    accumulator: Accumulator
    ids: list[IdEntry | IdRun] = field(default_factory=list)
    rejected: list[RejectedEntry] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    versions: dict[str, int] = field(default_factory=dict)
    fields: set[str] = field(default_factory=set)
    group_seen: bool = False
    unlisted: dict[str, list[int]] = field(default_factory=dict)  # path -> [input, count]
    # id-less tables: (hash of a row, path, row number), for the identical-rows warning
    fingerprints: list[tuple[int, str, int]] = field(default_factory=list)


class _Chunk:
    def __init__(
        self,
        q: Questionnaire,
        group_by: str | None,
        exclude: frozenset[Key],
        options: ReadOptions = DEFAULT,
        not_applicable: Mapping[str, str] | None = None,
        parallel: bool = False,
    ) -> None:
        self.q = q
        self.group_by = group_by
        self.exclude = exclude
        self.options = options
        self.not_applicable = not_applicable
        self.parallel = parallel  # a core is free: a large table's second half may use it
        self.result = ChunkResult(Accumulator(q, group_by=group_by, not_applicable=not_applicable))
        self.listed: dict[int, int] = {}  # input index -> rejections listed
        self.halves: list[Half] = []  # tables' second halves being read

    def sub_chunk(self) -> _Chunk:
        """A chunk with this one's settings and nothing read (for a table's second half)."""
        return _Chunk(self.q, self.group_by, frozenset(), self.options, self.not_applicable)

    def add(self, key: Key, response: Response, path: str, row: int | None) -> None:
        if key in self.exclude:
            return
        date = self.options.assessed_on
        if date is not None and (row is not None or response.assessed_on is None):
            response.assessed_on = date  # a whole export's date; an answers file's own wins
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
        """Keep the problems of the first :data:`MAX_LISTED` rejections of an input; count
        the rest (a file of millions of bad rows must not fill the memory)."""
        listed = self.listed.get(key[0], 0)
        if listed >= MAX_LISTED and key[1] != WHOLE_INPUT:
            self.result.unlisted.setdefault(path, [key[0], 0])[1] += 1
            return
        self.listed[key[0]] = listed + 1
        self.result.rejected.append(RejectedEntry(key, path, problems))

    def document(self, source: Source) -> None:
        if source.kind == "unsupported":
            from tra_assess.sources.inputs import unsupported_problem

            self.reject((source.index, 1), source.display, [unsupported_problem(source)])
            return
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
        if source.kind == "xlsx":
            from tra_assess.sources.forms import is_form

            if is_form(source):  # by its marker, whatever the file is called
                self.form(source)
                return
        from tra_assess.sources.exports.tables import TableReader

        reader = TableReader(source, self.q, self.options)
        if not self.exclude:  # leaving respondents out needs their numbers: one go
            reader.offload = functools.partial(
                halves.offload, self, source, reader, parallel=self.parallel
            )
        seq = 0
        try:
            for part in reader.parts():
                if isinstance(part, halves.Scored):  # accumulated with the second half
                    if part.run is not None:
                        part.run.seq = seq
                        self.result.ids.append(part.run)
                    seq += len(part)
                    continue
                if isinstance(part, MetaBlock):
                    if not self.block(source, part, seq):
                        self.rows(source, reader.rows_of(part), seq)
                    seq += len(part)
                    continue
                seq = self.rows(source, [part], seq)
        except InvalidInputError as exc:  # the file itself, or the rest of it: always listed
            self.reject(
                (source.index, WHOLE_INPUT), source.display, problems_of(exc, source.display)
            )
        else:
            if seq == 0 and not reader.empty_count:
                self.result.warnings.append(f"{source.display}: no rows below the header")
        finally:
            while self.halves:
                self.halves.pop().close()
        self.result.warnings.extend(reader.warnings)
        display = source.display
        self.result.fingerprints.extend((h, display, row) for h, row in reader.fingerprints)

    def form(self, source: Source) -> None:
        """A filled-in xlsx form: one respondent, or problems naming sheet and cell."""
        from tra_assess.sources.forms import read_form

        key = (source.index, 1)
        try:
            response = read_form(source, self.q)
        except InvalidInputError as exc:
            self.reject(key, source.display, problems_of(exc, source.display))
            return
        if response is None:
            self.result.warnings.append(f"{source.display}: no answers (an empty form); skipped")
            return
        self.add(key, response, source.display, None)

    def rows(self, source: Source, rows: Iterable[Numbered], seq: int) -> int:
        """Add (or reject) table rows read one by one; the last respondent number used."""
        for row, outcome in rows:
            seq += 1
            key = (source.index, seq)
            if isinstance(outcome, Response):
                self.add(key, outcome, source.display, row)
            else:
                self.reject(key, source.display, outcome)
        return seq

    def block(self, source: Source, block: MetaBlock, seq: int) -> bool:
        """Add a block of table rows column by column (or as a code matrix); False (nothing
        added) when one of its respondents is to be left out, or the block is too large for
        exact sums, so that the block is read row by row instead."""
        index = source.index
        if self.exclude and any((index, seq + n) in self.exclude for n in range(1, len(block) + 1)):
            return False
        result = self.result
        groups = block.group_values(self.group_by) if self.group_by is not None else None
        common: dict[str, Any] = {
            "groups": groups,
            "roles": block.group_values("role"),
            "organizations": organizations(block),
            "modes": mode_counts(block),
            "assessed_on": self.options.assessed_on or block.assessed_on,
        }
        if isinstance(block, WideBlock):
            result.accumulator.add_columns(
                block.columns, block.translate, len(block), counts=block.counts, **common
            )
        elif not result.accumulator.add_codes(
            block.codes,  # type: ignore[attr-defined]
            block.meanings,  # type: ignore[attr-defined]
            **common,
        ):
            return False
        texts = block.texts("id")
        if texts is not None:
            if "" in texts:
                pairs = respondent_ids(block)
                positions: Sequence[int] = [n for n, _ in pairs]
                texts = [rid for _, rid in pairs]
            else:
                positions = range(len(texts))
            if texts:
                run = IdRun(index, seq, texts, positions, source.display, block.numbers)
                result.ids.append(run)
        if self.group_by is not None:
            result.fields.update(block.fields())
            if not result.group_seen and groups is not None and any(groups):
                result.group_seen = True
        return True


def score_chunk(
    q: Questionnaire,
    group_by: str | None,
    sources: Iterable[Source],
    exclude: frozenset[Key] = frozenset(),
    options: ReadOptions = DEFAULT,
    not_applicable: Mapping[str, str] | None = None,
    parallel: bool = False,
) -> ChunkResult:
    """Read and accumulate ``sources``, leaving out the respondents in ``exclude``;
    ``not_applicable`` is the setting profile's items (id -> reason); ``parallel``: a core is
    free for the second half of a large table (:mod:`~tra_assess.scoring.halves`)."""
    chunk = _Chunk(q, group_by, exclude, options, not_applicable, parallel)
    for source in sources:
        if source.tabular:
            chunk.table(source)
        else:
            chunk.document(source)
    return chunk.result


# -- worker processes --------------------------------------------------------------------------

_WORKER: dict[str, Any] = {}


def init_worker(
    q: Questionnaire,
    group_by: str | None,
    options: ReadOptions = DEFAULT,
    not_applicable: Mapping[str, str] | None = None,
) -> None:
    """Worker start-up: keep the questionnaire; Ctrl-C is the parent's to handle."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _WORKER["q"] = q
    _WORKER["group_by"] = group_by
    _WORKER["options"] = options
    _WORKER["not_applicable"] = not_applicable


def worker_chunk(sources: list[Source]) -> ChunkResult:
    return score_chunk(
        _WORKER["q"],
        _WORKER["group_by"],
        sources,
        options=_WORKER.get("options", DEFAULT),
        not_applicable=_WORKER.get("not_applicable"),
    )
