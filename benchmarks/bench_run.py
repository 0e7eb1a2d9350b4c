"""`tra-assess run`: time from an answer to the next prompt, autosave included (SPEC section 10).

Two measurements over full walks of the built-in tra-core questionnaire (~70 items):

* in process: the real walk (:func:`tra_assess.walk.loop.run_walk`) reads keys from a stream that
  records when each line is handed over and when the next prompt asks for one; output goes
  to an 80-column terminal console writing to /dev/null; every answer is saved with fsync.
* through a pseudo-terminal (``--pty``): the installed ``tra-assess run`` is driven with
  pexpect; the time runs from sending a key to seeing the next prompt on the terminal.

Target: the next prompt within 50 ms (median and p95 are printed, and the worst case).
Usage: python benchmarks/bench_run.py [--walks 3] [--pty]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

TARGET_MS = 50.0


class TimedKeys:
    """A stdin that notes when each line is returned and when the next one is asked for."""

    def __init__(self, text: str) -> None:
        self.lines = iter(text.splitlines(keepends=True))
        self.given: list[float] = []
        self.asked: list[float] = []

    def readline(self) -> str:
        self.asked.append(time.perf_counter())
        line = next(self.lines, "")
        self.given.append(time.perf_counter())
        return line

    def isatty(self) -> bool:
        return False

    def latencies_ms(self) -> list[float]:
        """Answer -> next prompt, for every line but the last (whose answer ends the walk)."""
        return [(self.asked[i + 1] - self.given[i]) * 1000 for i in range(len(self.given) - 2)]


def in_process(walks: int, notes: bool) -> list[float]:
    from rich.console import Console

    from tra_assess.questionnaire.load import load_questionnaire
    from tra_assess.walk.loop import WalkOptions, run_walk

    items = load_questionnaire("tra-core").items
    samples: list[float] = []
    for walk in range(walks):
        with tempfile.TemporaryDirectory() as tmp, open(os.devnull, "w") as sink:
            keys = "".join(f"{i % 5}\n" + ("evidence seen\n" if notes else "")
                           for i in range(len(items)))
            stream = TimedKeys(keys)
            console = Console(file=sink, width=80, force_terminal=True, highlight=False,
                              markup=False, emoji=False)
            options = WalkOptions(out=Path(tmp) / f"walk-{walk}.yaml", organization="Bench",
                                  role="frontline", respondent="", mode="individual",
                                  notes=notes)
            code = run_walk(options, stream, console)
            assert code == 0, code
            samples.extend(stream.latencies_ms())
    return samples


def through_pty(walks: int) -> list[float]:
    import pexpect

    from tra_assess.questionnaire.load import load_questionnaire

    n = len(load_questionnaire("tra-core").items)
    exe = shutil.which("tra-assess", path=str(Path(sys.executable).parent))
    command = [exe] if exe else [sys.executable, "-m", "tra_assess"]
    env = dict(os.environ, NO_COLOR="1", TERM="xterm", COLUMNS="80")
    samples: list[float] = []
    for walk in range(walks):
        with tempfile.TemporaryDirectory() as tmp:
            child = pexpect.spawn(
                command[0],
                [*command[1:], "run", "--out", f"{tmp}/pty-{walk}.yaml", "--no-notes",
                 "--organization", "Bench", "--role", "frontline", "--respondent", "",
                 "--mode", "individual"],
                env=env, encoding="utf-8", timeout=30, dimensions=(24, 80))
            child.delaybeforesend = None  # pexpect sleeps 50 ms before each send by default
            child.expect(r"Rating \(0-4")
            for i in range(n - 1):
                start = time.perf_counter()
                child.sendline(str(i % 5))
                child.expect(r"Rating \(0-4")
                samples.append((time.perf_counter() - start) * 1000)
            child.sendline("3")
            child.expect(pexpect.EOF)
            child.close()
    return samples


def report(name: str, samples: list[float]) -> bool:
    ordered = sorted(samples)
    median = statistics.median(ordered)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    ok = p95 <= TARGET_MS
    print(f"{name:<34} n={len(ordered):4d}  median {median:6.1f} ms  p95 {p95:6.1f} ms  "
          f"max {ordered[-1]:6.1f} ms  target {TARGET_MS:.0f} ms  {'ok' if ok else 'SLOW'}")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--walks", type=int, default=3, help="full walks per measurement")
    parser.add_argument("--pty", action="store_true", help="also drive a pseudo-terminal")
    args = parser.parse_args()
    ok = report("in process, answer -> next prompt", in_process(args.walks, notes=False))
    ok &= report("in process, with evidence notes", in_process(args.walks, notes=True))
    if args.pty:
        ok &= report("pseudo-terminal, key -> prompt", through_pty(args.walks))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
