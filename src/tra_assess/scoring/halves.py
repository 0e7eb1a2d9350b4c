"""A large table read as two halves: the second one in another process when a core is free.

A plain CSV of at least :data:`~tra_assess.sources.exports.blocks.SPLIT_ROWS` lines is coded
column by column (:mod:`~tra_assess.sources.exports.columnar`). Its reader cuts the rows in
two at a piece boundary and hands the second half to :func:`offload`, which starts reading
it (a forked process, when the batch has a core for it) while the reader goes on with the
first half. The second half's clean blocks are accumulated on their own accumulator; what
comes back is that accumulator and, in row order, one :class:`Scored` stand-in per block
(its row count and respondent ids) and every row that must be read row by row. The reader
yields those after the first half, so the chunk numbers, checks and words them in row
order exactly as if the table had been read in one go; the accumulator is merged (tallies
are exact integers).

The cut depends only on the table, never on ``--jobs``: without a free core (``--jobs 1``,
a worker of a batch of many inputs, a platform without ``fork``) the same second half is
read the same way in this process, so the results are the same whatever ``--jobs`` is. If
the other process fails in any way, the half is read here instead.
"""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from tra_assess.sources.exports.blocks import MetaBlock

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

    from tra_assess.scoring.scorer import Accumulator
    from tra_assess.sources.answers import Source
    from tra_assess.sources.exports.blocks import Rest
    from tra_assess.sources.exports.columnar import CodeBlock, Part
    from tra_assess.sources.exports.tables import TableReader

__all__ = ["Half", "Scored", "offload"]


class _Result(Protocol):
    accumulator: Accumulator
    ids: list[Any]
    fields: set[str]
    group_seen: bool


class _Chunk(Protocol):
    """What a half needs of the chunk reading the table (:mod:`tra_assess.scoring.chunk`)."""

    @property
    def result(self) -> _Result: ...

    @property
    def halves(self) -> list[Half]: ...

    def sub_chunk(self) -> _Chunk: ...

    def block(self, source: Source, block: MetaBlock, seq: int) -> bool: ...


@dataclass
class Scored(MetaBlock):
    """A block of the second half, already accumulated: its rows and respondent ids."""

    numbers: range
    meta: dict[str, list[str]]
    assessed_on: str | None
    run: Any  # its IdRun (None: no ids), numbered from the block's start: the chunk places it


@dataclass
class _HalfResult:
    accumulator: Accumulator
    items: list[Scored | Part | Rest]
    fields: set[str]
    group_seen: bool
    date_warnings: list[str]


def _read(
    chunk: _Chunk,
    source: Source,
    reader: TableReader,
    parts: Callable[[], Iterator[CodeBlock | Part | Rest]],
) -> _HalfResult:
    """Read and accumulate a second half on a chunk of its own (same settings, no ids left
    out: a chunk that leaves respondents out reads its tables in one go)."""
    sub = chunk.sub_chunk()
    items: list[Scored | Part | Rest] = []
    ids = sub.result.ids
    for part in parts():
        if isinstance(part, MetaBlock):
            before = len(ids)
            if sub.block(source, part, 0):
                run = ids.pop() if len(ids) > before else None
                items.append(Scored(part.numbers, {}, None, run))
            else:  # too large for exact sums: row by row, in the chunk
                items.extend(zip(part.numbers, part.rows(), strict=True))
        else:  # a row to read row by row, or the rest of the table (the last part)
            items.append(part)
    result = sub.result
    return _HalfResult(
        result.accumulator, items, result.fields, result.group_seen, reader.date_warnings()
    )


class Half:
    """The second half of a table, being read (see the module docstring); iterating gives
    its parts, once the first half has been read."""

    def __init__(self, chunk: _Chunk, source: Source, reader: TableReader, read: Any) -> None:
        self._chunk = chunk
        self._reader = reader
        self._read: Callable[[], _HalfResult] = read
        self._process: BaseProcess | None = None
        self._pipe: Connection | None = None

    def start(self) -> None:
        """Read the half in a forked process (Linux; nothing when it cannot start)."""
        import multiprocessing
        import sys

        if not sys.platform.startswith("linux"):
            return
        try:
            context = multiprocessing.get_context("fork")
            receive, send = context.Pipe(duplex=False)
            process = context.Process(target=_child, args=(self._read, send), daemon=True)
            process.start()
        except (OSError, ValueError, AssertionError):  # no fork; a daemon's child
            return
        send.close()
        self._process, self._pipe = process, receive

    def _result(self) -> _HalfResult:
        found: _HalfResult | None = None
        if self._pipe is not None:
            try:
                status, value = self._pipe.recv()
            except (EOFError, OSError):  # the process died: read the half here
                status, value = "failed", None
            if status == "ok":
                found = value  # its accumulator is detached: merging needs no questionnaire
            self.close()
        return found if found is not None else self._read()

    def __iter__(self) -> Iterator[Scored | Part | Rest]:
        half = self._result()
        result = self._chunk.result
        result.accumulator.merge(half.accumulator)
        result.fields.update(half.fields)
        result.group_seen = result.group_seen or half.group_seen
        self._reader.add_date_warnings(half.date_warnings)
        yield from half.items

    def close(self) -> None:
        """Stop the process if it still runs (the first half failed: its half is not used)."""
        if self._pipe is not None:
            self._pipe.close()
            self._pipe = None
        process = self._process
        if process is not None:
            if process.is_alive():
                process.terminate()
            process.join()
            self._process = None


def _child(read: Callable[[], _HalfResult], send: Connection) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    try:
        message: tuple[str, _HalfResult | None] = ("ok", read())
    except BaseException:  # the parent reads the half itself and meets the same problem
        message = ("failed", None)
    try:
        send.send(message)
    except Exception:  # an unpicklable result: the parent reads the half itself
        send.send(("failed", None))
    finally:
        send.close()


def offload(
    chunk: _Chunk,
    source: Source,
    reader: TableReader,
    parts: Callable[[], Iterator[CodeBlock | Part | Rest]],
    *,
    parallel: bool,
) -> Iterable[MetaBlock | Part | Rest]:
    """The second half of ``reader``'s table, read by ``parts``: started in another process
    when ``parallel``; its parts come when iterated (see the module docstring)."""
    import functools

    half = Half(chunk, source, reader, functools.partial(_read, chunk, source, reader, parts))
    chunk.halves.append(half)
    if parallel:
        half.start()
    return half
