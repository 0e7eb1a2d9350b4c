"""Batch scoring, the library entry point of ``tra-assess score``: inputs in, results out.

Inputs are cut into chunks that depend only on the list of inputs (never on ``jobs``).
Workers read, check and accumulate one chunk each and send back an
:class:`~tra_assess.scoring.scorer.Accumulator` (pickled without its questionnaire) with the
respondent ids they saw, in input order. The parent merges the chunks in order and keeps the
ids: the same respondent id twice means the later one is rejected; a chunk holding such a
duplicate is re-scored without it (duplicates are rare), so a rejected respondent is never
counted. Merging is exact, so results are identical whatever ``jobs`` is.
"""

from __future__ import annotations

import heapq
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING

from tra_assess.common.errors import TraAssessError, UsageError
from tra_assess.questionnaire.load import load_questionnaire
from tra_assess.questionnaire.model import Questionnaire
from tra_assess.results.model import Inputs, Rejected, Results
from tra_assess.scoring.chunk import (
    MAX_LISTED,
    WHOLE_INPUT,
    ChunkResult,
    IdEntry,
    IdRun,
    RejectedEntry,
    score_chunk,
)
from tra_assess.scoring.groups import parse_merges
from tra_assess.scoring.scorer import Accumulator
from tra_assess.sources.answers import Source
from tra_assess.sources.documents import peek_questionnaire
from tra_assess.sources.inputs import expand_inputs
from tra_assess.sources.options import DEFAULT, ReadOptions

if TYPE_CHECKING:
    from multiprocessing.context import BaseContext

__all__ = ["BatchOutcome", "score_inputs"]

CHUNK_FILES = 100  # fewest answer files per chunk (a CSV or xlsx file is a chunk of its own)
CHUNK_FILES_MAX = 1000
CHUNKS_WANTED = 20  # big batches: about this many chunks (each costs ~1 ms of hand-over)
PARALLEL_MIN_WEIGHT = 200  # below this many files' worth of work, stay in one process
TABLE_BYTES_PER_FILE = 4096  # a CSV's weight: its size in "answer files"
STANDARD_FIELDS = ("organization", "mode", "id", "role", "team", "site")
MAX_PROBLEMS_PER_INPUT = 10


@dataclass
class BatchOutcome:
    """What a batch gave: the results, the problem lines to print, the warnings."""

    results: Results
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def rejected(self) -> int:
        inputs = self.results.inputs
        return len(inputs.rejected) + inputs.rejected_unlisted


def score_inputs(
    inputs: Sequence[str | Path],
    *,
    questionnaire: Questionnaire | str | Path | None = None,
    group_by: str | None = None,
    target: str | None = None,
    min_group_size: int | None = None,
    top: int = 10,
    jobs: int | None = None,
    stdin: IO[str] | None = None,
    options: ReadOptions = DEFAULT,
    merge_groups: Sequence[str] = (),
    allow_small_groups: bool = False,
    profile: str | Path | None = None,
) -> BatchOutcome:
    """Score answer files, directories and ``-`` (stdin); see the module docstring.

    ``profile`` is a setting profile file (``tra-profile/1``): the items that do not apply.
    Raises :class:`UsageError` for no such file, no answer files, an unknown questionnaire,
    target level or ``group_by`` field (a close misspelling of a field respondents have), a
    bad ``merge_groups`` value (``"A,B=NAME"``), and a ``min_group_size`` below the
    questionnaire's unless ``allow_small_groups``;
    :class:`~tra_assess.common.errors.InvalidInputError` for an invalid profile.
    """
    merges = parse_merges(merge_groups)
    if merges and group_by is None:
        raise UsageError("--merge-groups pools groups: give --group-by FIELD too")
    sources, warnings = expand_inputs(inputs, stdin)
    q = _questionnaire(questionnaire, sources, options, warnings)
    if min_group_size is not None and min_group_size < q.min_group_size and not allow_small_groups:
        raise UsageError(
            f"--min-group-size {min_group_size} is below {q.id}'s {q.min_group_size}, which "
            "protects respondents in small groups; add --allow-small-groups to do it anyway "
            "(every output will say so)"
        )
    options = options.checked(q)
    not_applicable: dict[str, str] = {}
    if profile is not None:
        from tra_assess.questionnaire.profile import load_profile

        not_applicable = load_profile(profile, q).not_applicable
    if target is not None and target not in q.level_ids:
        raise UsageError(
            f"unknown target level {target!r} (levels of {q.id}: {', '.join(q.level_ids)})"
        )
    if group_by is not None and not group_by.strip():
        raise UsageError("--group-by needs a field name (organization, role, team, site ...)")
    if jobs is not None and jobs < 1:
        raise UsageError(f"--jobs must be at least 1, not {jobs}")
    merged = _run(q, group_by, sources, jobs or os.cpu_count() or 1, options, not_applicable)
    warnings.extend(merged.warnings)
    warnings.extend(_identical_rows(merged.fingerprints))
    warnings.extend(_version_warnings(q, merged.versions))
    unknown = sorted(merged.accumulator.unknown_roles)
    if unknown:
        shown = ", ".join(repr(role) for role in unknown[:5]) + (" ..." if len(unknown) > 5 else "")
        warnings.append(
            f"role {shown} is not one of {q.id}'s roles ({', '.join(q.roles)}): those "
            "respondents' answers are scored on every item; to route them by audience, use the "
            "questionnaire's role ids in the role column"
        )
    if group_by is not None and not merged.group_seen:
        warnings.append(_check_group_field(group_by, merged.fields, merged.accumulator))
    for heap in merged.listed.values():
        merged.rejected.extend(entry for *_, entry in heap)
    merged.rejected.sort(key=lambda entry: entry.key)
    problems: list[str] = []
    rejected: list[Rejected] = []
    for entry in merged.rejected:
        lines = [str(p) for p in entry.problems]
        if len(lines) > MAX_PROBLEMS_PER_INPUT:
            extra = len(lines) - MAX_PROBLEMS_PER_INPUT
            lines = [
                *lines[:MAX_PROBLEMS_PER_INPUT],
                f"{entry.path}: ... and {extra} more problems",
            ]
        problems.extend(lines)
        rejected.append(Rejected(path=entry.path, error="; ".join(_unplaced(entry.path, lines))))
    unlisted = 0
    for path, (_, count) in sorted(merged.unlisted.items(), key=lambda item: item[1][0]):
        problems.append(
            f"{path}: ... and {count:,} more rejected (only the first {MAX_LISTED:,} of an "
            "input are listed)"
        )
        unlisted += count
    info = Inputs(
        files=len(sources), rejected=rejected, rejected_unlisted=unlisted, warnings=warnings
    )
    results = merged.accumulator.finalize(
        target=target, min_group_size=min_group_size, top=top, inputs=info, merges=merges
    )
    return BatchOutcome(results=results, problems=problems, warnings=list(results.inputs.warnings))


def _unplaced(path: str, lines: list[str]) -> list[str]:
    """Problem lines without the leading file name (the path is in its own field)."""
    out = []
    for line in lines:
        rest = line[len(path) :] if line.startswith(path) else line
        out.append(rest.lstrip(":").strip() if rest.startswith(":") else rest.strip())
    return out


def _questionnaire(
    ref: Questionnaire | str | Path | None,
    sources: list[Source],
    options: ReadOptions = DEFAULT,
    warnings: list[str] | None = None,
) -> Questionnaire:
    if isinstance(ref, Questionnaire):
        return ref
    named = peek_questionnaire(sources) if ref is None else None
    if ref is None and named is None and any(source.tabular for source in sources):
        from tra_assess.sources.fit import best_builtin

        q, lines = best_builtin(sources, options)
        if warnings is not None:
            warnings.extend(lines)
        return q
    if ref is not None and warnings is not None:
        from tra_assess.sources.fit import coverage_warning

        q = load_questionnaire(ref)
        warnings.extend(coverage_warning(q, sources, options))
        return q
    if ref is None:
        from tra_assess.common.resources import builtin_questionnaires
        from tra_assess.common.textsafe import quoted

        named = peek_questionnaire(sources)
        builtins = builtin_questionnaires()
        if named is not None and named not in builtins:
            raise UsageError(
                f"the answers are for questionnaire {quoted(named)}, which is not built in "
                f"({', '.join(sorted(builtins))}): pass its file with -q PATH"
            )
        ref = named or "tra-core"
    return load_questionnaire(ref)


def _version_warnings(q: Questionnaire, versions: dict[str, int]) -> list[str]:
    from tra_assess.common.textsafe import shortened

    return [
        f"{count} answer file(s) are for {q.id} {shortened(version)}; "
        f"scored with {q.id} {q.version} (every answered item exists in it)"
        for version, count in sorted(versions.items())
    ]


def _check_group_field(group_by: str, fields: set[str], accumulator: Accumulator) -> str:
    """A close misspelling of another known field is a usage error; anything else a warning.

    A standard field (``role``, ``team`` ...) or a field that respondents carry empty is
    never a misspelling: nobody has a value, so everyone is in ``(unspecified)``.
    """
    import difflib

    if group_by in STANDARD_FIELDS or group_by in fields:
        close: list[str] = []
    else:
        known = sorted(fields | set(STANDARD_FIELDS))
        close = difflib.get_close_matches(group_by, known, n=1, cutoff=0.75)
    if close and accumulator.respondents:
        raise UsageError(
            f"--group-by {group_by!r}: no respondent has this field; did you mean {close[0]!r}?"
        )
    return (
        f"--group-by {group_by!r}: no respondent has this field; all respondents are in the "
        "group '(unspecified)'"
    )


# -- chunks, workers and the ordered merge ---------------------------------------------------


def make_chunks(sources: list[Source]) -> list[list[Source]]:
    """Chunks that depend on the inputs only: runs of answer files, each table alone."""
    documents = sum(1 for source in sources if not source.tabular)
    size = min(CHUNK_FILES_MAX, max(CHUNK_FILES, -(-documents // CHUNKS_WANTED)))
    chunks: list[list[Source]] = []
    run: list[Source] = []
    for source in sources:
        if source.tabular:
            if run:
                chunks.append(run)
                run = []
            chunks.append([source])
            continue
        run.append(source)
        if len(run) >= size:
            chunks.append(run)
            run = []
    if run:
        chunks.append(run)
    return chunks


def _weight(sources: list[Source]) -> int:
    total = 0
    for source in sources:
        if source.tabular and source.path is not None:
            try:
                total += source.path.stat().st_size // TABLE_BYTES_PER_FILE + 1
            except OSError:
                total += 1
        else:
            total += 1
    return total


@dataclass
class _Merged:
    accumulator: Accumulator
    rejected: list[RejectedEntry] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    versions: dict[str, int] = field(default_factory=dict)
    fields: set[str] = field(default_factory=set)
    group_seen: bool = False
    listed: dict[str, list[tuple[tuple[int, int], int, RejectedEntry]]] = field(
        default_factory=dict
    )  # path -> its first rejections (a heap, last first)
    pushed: int = 0
    unlisted: dict[str, list[int]] = field(default_factory=dict)  # path -> [input, count]
    fingerprints: list[tuple[int, str, int]] = field(default_factory=list)


def _identical_rows(fingerprints: list[tuple[int, str, int]]) -> list[str]:
    """Rows of exports without respondent ids that are identical to an earlier row (the same
    response exported twice, or a form exported twice): named, at most five."""
    first: dict[int, tuple[str, int]] = {}
    pairs: list[str] = []
    count = 0
    for digest, path, row in fingerprints:
        before = first.setdefault(digest, (path, row))
        if before != (path, row):
            count += 1
            if len(pairs) < 5:
                where = f"row {before[1]}" if before[0] == path else f"{before[0]} row {before[1]}"
                pairs.append(f"{path} row {row} = {where}")
    if not count:
        return []
    more = f" and {count - len(pairs)} more" if count > len(pairs) else ""
    return [
        f"{count} row(s) without a respondent id are identical to an earlier row ("
        + "; ".join(pairs)
        + f"{more}); all are scored: if the same responses were exported twice, remove the "
        "copies"
    ]


def _run(
    q: Questionnaire,
    group_by: str | None,
    sources: list[Source],
    jobs: int,
    options: ReadOptions = DEFAULT,
    not_applicable: dict[str, str] | None = None,
) -> _Merged:
    chunks = make_chunks(sources)
    merged = _Merged(Accumulator(q, group_by=group_by, not_applicable=not_applicable))
    seen: dict[str, IdEntry | IdRun] = {}
    workers = min(jobs, len(chunks))
    if workers > 1 and _weight(sources) >= PARALLEL_MIN_WEIGHT:
        results: Iterator[ChunkResult] = _parallel(
            q, group_by, chunks, workers, options, not_applicable or {}
        )
    else:  # one process: a large table's second half may use another core
        results = (
            score_chunk(
                q, group_by, c, options=options, not_applicable=not_applicable, parallel=jobs > 1
            )
            for c in chunks
        )
    for i, result in enumerate(results):
        chunk = chunks[i]
        duplicates = _duplicates(result.ids, seen)
        if duplicates:
            exclude = frozenset(entry.key for entry, _ in duplicates)
            result = score_chunk(q, group_by, chunk, exclude, options, not_applicable)
            for n, (entry, first) in enumerate(duplicates):
                if n < MAX_LISTED:
                    result.rejected.append(_duplicate_entry(entry, first))
                else:  # counted only: _absorb keeps at most MAX_LISTED per input anyway
                    result.unlisted.setdefault(entry.path, [entry.key[0], 0])[1] += 1
        _absorb(merged, result)
    return merged


def _duplicates(
    ids: list[IdEntry | IdRun], seen: dict[str, IdEntry | IdRun]
) -> list[tuple[IdEntry, IdEntry]]:
    """The ids seen before (each with its first place); ``seen`` gains the new ones. A block's
    run of ids that are all new is taken at once (set operations in C)."""
    found: list[tuple[IdEntry, IdEntry]] = []
    for item in ids:
        if isinstance(item, IdRun):
            rids = item.rids
            if len(set(rids)) == len(rids) and seen.keys().isdisjoint(rids):
                seen.update(dict.fromkeys(rids, item))
                continue
        for entry in item.entries() if isinstance(item, IdRun) else (item,):
            first = seen.get(entry.rid)
            if first is None:
                seen[entry.rid] = entry
            else:
                found.append((entry, first.entry(entry.rid) if isinstance(first, IdRun) else first))
    return found


def _duplicate_entry(entry: IdEntry, first: IdEntry) -> RejectedEntry:
    from tra_assess.common.errors import Problem
    from tra_assess.common.textsafe import quoted

    message = (
        f"respondent id {quoted(entry.rid)} was already used in {first.place}; "
        "this one is not scored"
    )
    return RejectedEntry(entry.key, entry.path, [Problem(entry.path, message, row=entry.row)])


def _absorb(merged: _Merged, result: ChunkResult) -> None:
    merged.accumulator.merge(result.accumulator)
    for entry in result.rejected:  # the chunk's, and its duplicate ids (earlier rows)
        if entry.key[1] == WHOLE_INPUT:
            merged.rejected.append(entry)
            continue
        # keep the first MAX_LISTED rows of each input: a heap whose top is the last kept
        heap = merged.listed.setdefault(entry.path, [])
        merged.pushed += 1  # a tie-break: entries themselves do not compare
        heapq.heappush(heap, ((-entry.key[0], -entry.key[1]), -merged.pushed, entry))
        if len(heap) > MAX_LISTED:
            *_, dropped = heapq.heappop(heap)
            merged.unlisted.setdefault(dropped.path, [dropped.key[0], 0])[1] += 1
    for path, (index, count) in result.unlisted.items():
        merged.unlisted.setdefault(path, [index, 0])[1] += count
    merged.warnings.extend(result.warnings)
    for version, count in result.versions.items():
        merged.versions[version] = merged.versions.get(version, 0) + count
    merged.fields.update(result.fields)
    merged.group_seen = merged.group_seen or result.group_seen
    merged.fingerprints.extend(result.fingerprints)


def _parallel(
    q: Questionnaire,
    group_by: str | None,
    chunks: list[list[Source]],
    workers: int,
    options: ReadOptions = DEFAULT,
    not_applicable: dict[str, str] | None = None,
) -> Iterator[ChunkResult]:
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    from tra_assess.scoring import chunk as batch_chunk

    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=_start_context(),
        initializer=batch_chunk.init_worker,
        initargs=(q, group_by, options, not_applicable),
    )
    try:
        yield from pool.map(batch_chunk.worker_chunk, chunks)
    except BrokenProcessPool:
        raise TraAssessError(
            "a worker process stopped unexpectedly; run again with --jobs 1 to find the input "
            "that causes it"
        ) from None
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def _start_context() -> BaseContext | None:
    """``fork`` on Linux (a worker starts in about a millisecond, with
    everything imported and the questionnaire loaded); the platform default elsewhere."""
    import multiprocessing
    import sys

    if sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return None
