"""Benchmark: `tra-assess report RESULTS` against the command's own start-up.

Target: rendering a report from a results file takes under 1.5x the report command's own
start-up, `tra-assess report --help` (the same process with the same command machinery
loaded, which includes pydantic because typer imports it to run a command). The tool's bare
start-up, `tra-assess --version`, is printed too, for reference. All are run as real
subprocesses, side by side (interleaved, so machine load hits them alike), and compared by
their medians.

Usage: python benchmarks/bench_report.py [--runs N] [--format md|html] [--results FILE]
Without --results it makes a results file with `tra-assess demo` (tra-core, 60 respondents,
grouped, with a baseline) in a temporary folder. The first report run (which fills the
template cache) is a warm-up and not counted.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_RATIO = 1.5


def _exe() -> list[str]:
    found = shutil.which("tra-assess", path=str(Path(sys.executable).parent))
    return [found] if found else [sys.executable, "-m", "tra_assess"]


def _time(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env,
                          check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed: {done.stderr.decode(errors='replace')}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--format", choices=["md", "html"], default="html")
    parser.add_argument("--results", type=Path)
    args = parser.parse_args()
    env = dict(os.environ, NO_COLOR="1", SOURCE_DATE_EPOCH="1700000000")
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # measure an ordinary install: bytecode is cached
    exe = _exe()
    with tempfile.TemporaryDirectory() as tmp:
        results = args.results
        baseline: Path | None = None
        if results is None:
            subprocess.run([*exe, "demo", "--out", f"{tmp}/demo"], check=True, env=env,
                           stdout=subprocess.DEVNULL)
            results = Path(tmp) / "demo" / "results.json"
            baseline = Path(tmp) / "demo" / "results-baseline.json"
        report = [*exe, "report", str(results), "--format", args.format]
        if baseline is not None:
            report += ["--baseline", str(baseline)]
        version = [*exe, "--version"]
        command_help = [*exe, "report", "--help"]
        _time(report, env)  # warm-up: fills the compiled-template cache
        _time(version, env)
        _time(command_help, env)
        bare: list[float] = []
        startup: list[float] = []
        rendering: list[float] = []
        for _ in range(args.runs):
            bare.append(_time(version, env))
            startup.append(_time(command_help, env))
            rendering.append(_time(report, env))
    tool, base = statistics.median(bare), statistics.median(startup)
    render = statistics.median(rendering)
    ratio = render / base
    print(f"tra-assess --version:            median {tool * 1000:7.1f} ms over {args.runs} runs")
    print(f"tra-assess report --help:        median {base * 1000:7.1f} ms (the command's start-up)")
    print(f"tra-assess report ({args.format}):       median {render * 1000:7.1f} ms")
    print(f"ratio to the command's start-up: {ratio:.2f} (target under {TARGET_RATIO}) "
          f"{'OK' if ratio < TARGET_RATIO else 'OVER TARGET'}")
    print(f"ratio to --version:              {render / tool:.2f} (for reference)")
    return 0 if ratio < TARGET_RATIO else 1


if __name__ == "__main__":
    raise SystemExit(main())
