"""Benchmark ``tra-assess score`` against bare parse loops of the same data (SPEC section 10).

Generates N synthetic one-respondent answer files for a questionnaire (default tra-core),
then prints, side by side: the bare parse time of the files (one process: PyYAML's C
loader, json.loads, csv.reader), ``tra-assess score`` end to end (a subprocess, default
--jobs) and the ratio; and the peak RSS of scoring a 100,000-row CSV.

Both sides are timed the same way, as a whole process from start to exit (interpreter
start-up included on both sides). Targets: YAML <= 1.0, JSON and CSV <= 2.0, memory < 150 MB.

Also printed, for reading the end-to-end ratio (which is what the targets are about): the
fixed start-up of ``tra-assess score`` (the same command on one respondent of the same format:
interpreter, imports, loading the questionnaire, writing the results); the data-work ratio
= (score - that start-up) / (bare parse - bare interpreter start-up); and the Typer floor:
the bare loop itself run as the command of a minimal Typer app, over the bare loop, which is
the least any Typer command-line tool can reach on this data.

The memory figure scores ``--rows`` respondents, written as wide CSV files of 25,000 rows
(each under the 20 MB input limit), in one process (``--jobs 1``), and checks that every row
was scored.

    python benchmarks/bench_score.py [--n 10000] [-q tra-core] [--rows 100000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from tra_assess.questionnaire.load import load_questionnaire
from tra_assess.questionnaire.model import Questionnaire
from tra_assess.sources.sheets import csv_header

ROLES = ("leadership", "supervisor", "frontline", "support")
MEMORY_FILE_ROWS = 25_000

BARE = {
    "yaml": (
        "import sys, yaml\n"
        "paths = sorted(p for p in __import__('pathlib').Path(sys.argv[1]).iterdir())\n"
        "for p in paths:\n"
        "    yaml.load(p.read_text(encoding='utf-8'), Loader=yaml.CSafeLoader)\n"
    ),
    "json": (
        "import sys, json\n"
        "paths = sorted(p for p in __import__('pathlib').Path(sys.argv[1]).iterdir())\n"
        "for p in paths:\n"
        "    json.loads(p.read_text(encoding='utf-8'))\n"
    ),
    "csv": (
        "import sys, csv\n"
        "with open(sys.argv[1], encoding='utf-8-sig', newline='') as f:\n"
        "    for row in csv.reader(f):\n"
        "        pass\n"
    ),
}


# The same bare loops as the one command of a minimal Typer app (two commands, so that Typer
# builds a command group as tra-assess does): the least any Typer command-line tool can take
# for this data. Typer parses a command's parameters with its pydantic adapters, so this
# includes importing Typer and pydantic.
FLOOR_APP = """
import typer

app = typer.Typer()


@app.command()
def parse(path: str) -> None:
    import sys
    sys.argv[1:] = [path]
    exec(BARE)


@app.command()
def other() -> None:
    pass


app()
"""


def floor_app(fmt: str) -> str:
    return f"BARE = {BARE[fmt]!r}\n{FLOOR_APP}"


def _answer(q: Questionnaire, rng: random.Random) -> object:
    roll = rng.random()
    if roll < 0.03:
        return "na"
    if roll < 0.08:
        return "unknown"
    if roll < 0.11:
        return None
    return rng.choice(q.scale_values)


def _documents(q: Questionnaire, n: int, seed: int) -> list[dict[str, object]]:
    rng = random.Random(seed)
    docs = []
    for i in range(n):
        answers = {item.id: _answer(q, rng) for item in q.items}
        docs.append(
            {
                "format": "tra-answers/1",
                "questionnaire": {"id": q.id, "version": q.version},
                "organization": "Riverbend Family Services",
                "assessed_on": "2026-11-22",
                "mode": "individual",
                "respondent": {"id": f"r-{i:06d}", "role": rng.choice(ROLES), "team": f"t{i % 7}"},
                "answers": {k: v for k, v in answers.items() if v is not None},
            }
        )
    return docs


def write_files(q: Questionnaire, n: int, root: Path) -> dict[str, Path]:
    docs = _documents(q, n, seed=1)
    paths = {"yaml": root / "yaml", "json": root / "json", "csv": root / "wide.csv"}
    paths["yaml"].mkdir()
    paths["json"].mkdir()
    for i, doc in enumerate(docs):
        text = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)
        (paths["yaml"] / f"r{i:06d}.yaml").write_text(text, encoding="utf-8")
        (paths["json"] / f"r{i:06d}.json").write_text(json.dumps(doc, indent=1), encoding="utf-8")
    write_csv(q, docs, paths["csv"])
    return paths


def write_csv(q: Questionnaire, docs: list[dict[str, object]], path: Path) -> None:
    header = csv_header(q)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for doc in docs:
            who: dict[str, str] = doc["respondent"]  # type: ignore[assignment]
            answers: dict[str, object] = doc["answers"]  # type: ignore[assignment]
            meta = [who["id"], "Riverbend Family Services", who["role"], who["team"], "", ""]
            writer.writerow(
                meta + ["" if answers.get(i.id) is None else str(answers[i.id]) for i in q.items]
            )


# Measure an ordinary installation: Python caches compiled modules (pip compiles a wheel's
# modules at install time). A container that sets PYTHONDONTWRITEBYTECODE would otherwise
# recompile every tra-assess module on every run of an editable checkout.
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed(cmd: list[str], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        done = subprocess.run(
            cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=CHILD_ENV
        )
        elapsed = time.perf_counter() - start
        if done.returncode not in (0, 1):
            raise SystemExit(f"failed ({done.returncode}): {' '.join(cmd)}\n{done.stderr}")
        best = min(best, elapsed)
    return best


def _load() -> str:
    try:
        return " ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        return "unknown"


def peak_rss_mb(cmd: list[str]) -> tuple[float, int, str]:
    """Peak RSS of ``cmd`` (one process: run it with --jobs 1), its exit code and stdout."""
    probe = (
        "import resource, subprocess, sys\n"
        "done = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
        "sys.stdout.write(done.stdout)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe, *cmd], capture_output=True, text=True, env=CHILD_ENV
    )
    first, _, rest = out.stdout.partition("\n")
    code, kib = first.split()
    return int(kib) / 1024, int(code), rest  # Linux reports KiB


def write_memory_csvs(q: Questionnaire, rows: int, root: Path) -> Path:
    """``rows`` respondents as wide CSV files of 25,000 rows (each under the 20 MB limit)."""
    folder = root / "memory"
    folder.mkdir()
    docs = _documents(q, rows, seed=2)
    for n, start in enumerate(range(0, rows, MEMORY_FILE_ROWS)):
        write_csv(q, docs[start : start + MEMORY_FILE_ROWS], folder / f"part-{n:03d}.csv")
    return folder


def write_fixed(paths: dict[str, Path], root: Path) -> dict[str, Path]:
    """One respondent of each format: what ``score`` costs before any data work."""
    fixed = {"yaml": root / "one-yaml", "json": root / "one-json", "csv": root / "one.csv"}
    for fmt in ("yaml", "json"):
        fixed[fmt].mkdir()
        first = min(paths[fmt].iterdir())
        shutil.copy(first, fixed[fmt] / first.name)
    with paths["csv"].open(encoding="utf-8", newline="") as handle:
        fixed["csv"].write_text(handle.readline() + handle.readline(), encoding="utf-8")
    return fixed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="answer files to generate")
    parser.add_argument("-q", "--questionnaire", default="tra-core")
    parser.add_argument("--rows", type=int, default=100_000, help="rows of the memory CSV")
    parser.add_argument("--repeat", type=int, default=3, help="best of this many runs")
    args = parser.parse_args()
    q = load_questionnaire(args.questionnaire)
    exe = shutil.which("tra-assess") or str(Path(sys.executable).parent / "tra-assess")
    root = Path(tempfile.mkdtemp(prefix="bench-score-"))
    try:
        paths = write_files(q, args.n, root)
        print(
            f"{q.id} {q.version}: {len(q.items)} items; {args.n} respondents; "
            f"{os.cpu_count()} cores; best of {args.repeat}"
        )
        fixed = write_fixed(paths, root)
        timed([exe, "score", str(fixed["yaml"]), "-q", args.questionnaire], 1)  # warm caches
        interpreter = timed([sys.executable, "-c", "pass"], args.repeat)
        print(
            f"{'format':<6} {'bare parse':>11} {'score':>9} {'ratio':>7}  {'target':<12}"
            f"{'start-up':>9} {'data ratio':>11} {'Typer floor':>12}"
        )
        targets = {"yaml": 1.0, "json": 2.0, "csv": 2.0}
        for fmt, path in paths.items():
            bare = timed([sys.executable, "-c", BARE[fmt], str(path)], args.repeat)
            score = timed(
                [exe, "score", str(path), "-q", args.questionnaire, "--format", "json"], args.repeat
            )
            startup = timed(
                [exe, "score", str(fixed[fmt]), "-q", args.questionnaire, "--format", "json"],
                args.repeat,
            )
            floor = timed([sys.executable, "-c", floor_app(fmt), "parse", str(path)], args.repeat)
            ratio = score / bare
            data_ratio = (score - startup) / max(bare - interpreter, 1e-6)
            verdict = "ok" if ratio <= targets[fmt] else "MISSED"
            print(
                f"{fmt:<6} {bare:>10.2f}s {score:>8.2f}s {ratio:>7.2f}  "
                f"{f'<= {targets[fmt]} {verdict}':<12}{startup:>8.2f}s {data_ratio:>11.2f}"
                f" {floor / bare:>12.2f}"
            )
        print(f"(bare interpreter start-up {interpreter:.3f}s; load average {_load()})")
        print(
            "(Typer floor: the bare loop run as the command of a minimal two-command Typer app, "
            "over the bare loop)"
        )
        memory_inputs = write_memory_csvs(q, args.rows, root)
        cmd = [exe, "score", str(memory_inputs), "-q", args.questionnaire]
        rss, code, output = peak_rss_mb([*cmd, "--format", "json", "--jobs", "1"])
        scored = json.loads(output)["respondents"] if code == 0 else 0
        if code != 0 or scored != args.rows:
            raise SystemExit(f"memory run failed: exit code {code}, {scored} respondents scored")
        verdict = "ok" if rss < 150 else "MISSED"
        files = len(list(memory_inputs.iterdir()))
        print(
            f"memory: scoring {args.rows} CSV rows ({files} files, one process): "
            f"peak RSS {rss:.0f} MB (target < 150) {verdict}"
        )
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
