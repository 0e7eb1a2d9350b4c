"""SPEC section 10, measured side by side in one run: every ratio, with its target.

Generates the data, then times whole processes (interpreter start-up included on both sides),
interleaved, median of ``--repeat`` runs:

- start-up: ``tra-assess --help`` and ``tra-assess score ONE.json`` against a minimal Typer
  app's ``--help`` (targets 1.2 and 1.6);
- throughput, as the *marginal* cost per respondent, (T(N) - T(1)) / (B(N) - B(1)), where B is
  a bare parse loop of the same data: a wide CSV of ``--rows`` respondents against a bare
  ``csv.reader`` loop (target 2.0); ``--files`` one-respondent JSON files against a bare
  ``json.loads`` loop (1.5) and YAML files against a bare PyYAML C-loader loop (0.6);
- against what a user would otherwise write: ``benchmarks/peer_pandas.py`` on the same wide
  CSV grouped by role, over ``tra-assess score --group-by role`` (target at least 3.0; run when
  pandas is installed);
- memory: peak RSS of scoring 100,000 respondents (target < 150 MB) and 1,000,000
  (``--million``; target < 400 MB), as wide CSVs of 25,000 rows, in one process.

    python benchmarks/bench_score.py [--rows 100000] [--files 10000] [--repeat 5] [--million]
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from tra_assess.questionnaire.load import load_questionnaire
from tra_assess.questionnaire.model import Questionnaire

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



def _answer(q: Questionnaire, rng: random.Random) -> object:
    roll = rng.random()
    if roll < 0.03:
        return "na"
    if roll < 0.08:
        return "unknown"
    if roll < 0.11:
        return None
    return rng.choice(q.scale_values)


def _documents(
    q: Questionnaire, n: int, seed: int, start: int = 0
) -> list[dict[str, object]]:
    rng = random.Random(seed)
    docs = []
    for i in range(start, start + n):
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


def write_docs(docs: list[dict[str, object]], root: Path) -> dict[str, Path]:
    """One answers file per respondent, in JSON and in YAML."""
    paths = {"json": root / "json", "yaml": root / "yaml"}
    for folder in paths.values():
        folder.mkdir()
    for i, doc in enumerate(docs):
        text = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)
        (paths["yaml"] / f"r{i:06d}.yaml").write_text(text, encoding="utf-8")
        (paths["json"] / f"r{i:06d}.json").write_text(json.dumps(doc, indent=1), encoding="utf-8")
    return paths


def write_csv(q: Questionnaire, docs: list[dict[str, object]], path: Path) -> None:
    """A wide export as a survey platform writes it: id, role, team, then one column per item
    headed with the item's id and text."""
    header = ["respondent_id", "role", "team", *(f"{i.id}: {i.text}" for i in q.items)]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for doc in docs:
            who: dict[str, str] = doc["respondent"]  # type: ignore[assignment]
            answers: dict[str, object] = doc["answers"]  # type: ignore[assignment]
            cells = ["" if answers.get(i.id) is None else str(answers[i.id]) for i in q.items]
            writer.writerow([who["id"], who["role"], who["team"], *cells])


# Measure an ordinary installation: Python caches compiled modules (pip compiles a wheel's
# modules at install time). A container that sets PYTHONDONTWRITEBYTECODE would otherwise
# recompile every tra-assess module on every run of an editable checkout.
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

MINIMAL_APP = """
import typer

app = typer.Typer()


@app.command()
def hello(name: str = "world") -> None:
    \"\"\"Say hello.\"\"\"
    print(f"hello {name}")


@app.command()
def other() -> None:
    pass


app()
"""


def _run(cmd: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=CHILD_ENV
    )
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"failed ({done.returncode}): {' '.join(cmd)}\n{done.stderr}")
    return elapsed


def medians(cmds: dict[str, list[str]], repeat: int) -> dict[str, float]:
    """Each command's median time; the commands are interleaved, so a noisy moment of the
    machine falls on all of them alike."""
    for cmd in cmds.values():
        _run(cmd)  # warm the file cache
    times: dict[str, list[float]] = {name: [] for name in cmds}
    for _ in range(repeat):
        for name, cmd in cmds.items():
            times[name].append(_run(cmd))
    return {name: statistics.median(values) for name, values in times.items()}


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


def memory(exe: str, q: Questionnaire, rows: int, root: Path) -> float:
    """Peak RSS of scoring ``rows`` respondents, as wide CSV files of 25,000 rows (each under
    the 20 MB input limit), in one process; every row must be scored."""
    folder = root / f"memory-{rows}"
    folder.mkdir()
    for n, start in enumerate(range(0, rows, MEMORY_FILE_ROWS)):
        size = min(MEMORY_FILE_ROWS, rows - start)
        write_csv(q, _documents(q, size, seed=1000 + n, start=start), folder / f"p{n:03d}.csv")
    cmd = [exe, "score", str(folder), "-q", q.id, "--format", "json", "--jobs", "1"]
    rss, code, output = peak_rss_mb(cmd)
    scored = json.loads(output)["respondents"] if code == 0 else 0
    if code != 0 or scored != rows:
        raise SystemExit(f"memory run failed: exit code {code}, {scored} respondents scored")
    shutil.rmtree(folder, ignore_errors=True)
    return rss


class Table:
    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str, str]] = []
        self.missed = 0

    def add(self, what: str, measured: str, value: float, target: float, at_least: bool) -> None:
        met = value >= target if at_least else value <= target
        self.missed += not met
        goal = f"{'>=' if at_least else '<='} {target:g}"
        self.rows.append((what, measured, f"{value:.2f}", f"{goal} {'ok' if met else 'MISSED'}"))

    def print(self) -> None:
        widths = [max(len(r[i]) for r in self.rows) for i in range(4)]
        for row in self.rows:
            print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="respondents in the wide CSV")
    parser.add_argument("--files", type=int, default=10_000, help="JSON and YAML answer files")
    parser.add_argument("-q", "--questionnaire", default="tra-core")
    parser.add_argument("--repeat", type=int, default=5, help="median of this many runs")
    parser.add_argument("--million", action="store_true", help="also 1,000,000 respondents")
    parser.add_argument("--memory-rows", type=int, default=100_000, help=argparse.SUPPRESS)
    args = parser.parse_args()
    q = load_questionnaire(args.questionnaire)
    exe = shutil.which("tra-assess") or str(Path(sys.executable).parent / "tra-assess")
    root = Path(tempfile.mkdtemp(prefix="bench-score-"))
    table = Table()
    try:
        docs = _documents(q, max(args.rows, args.files), seed=1)
        wide, one_csv = root / "wide.csv", root / "one.csv"
        write_csv(q, docs[: args.rows], wide)
        write_csv(q, docs[:1], one_csv)
        (root / "many").mkdir()
        (root / "single").mkdir()
        files = write_docs(docs[: args.files], root / "many")
        single = write_docs(docs[:1], root / "single")
        app = root / "minimal_app.py"
        app.write_text(MINIMAL_APP, encoding="utf-8")
        py = sys.executable
        print(
            f"{q.id} {q.version}: {len(q.items)} items; {args.rows:,} CSV rows "
            f"({wide.stat().st_size / 1e6:.1f} MB); {args.files:,} files; "
            f"{os.cpu_count()} cores; median of {args.repeat}; load {_load()}"
        )
        t = medians(
            {
                "typer": [py, str(app), "--help"],
                "help": [exe, "--help"],
                "score1": [exe, "score", str(next(single["json"].iterdir())), "--format", "json"],
            },
            args.repeat,
        )
        table.add("start-up: --help / minimal Typer app", f"{t['help']:.3f}s / "
                  f"{t['typer']:.3f}s", t["help"] / t["typer"], 1.2, False)
        table.add("start-up: score one file / minimal Typer app", f"{t['score1']:.3f}s / "
                  f"{t['typer']:.3f}s", t["score1"] / t["typer"], 1.6, False)
        marginal = [
            ("csv", wide, one_csv, 2.0),
            ("json", files["json"], single["json"], 1.5),
            ("yaml", files["yaml"], single["yaml"], 0.6),
        ]
        for fmt, many, few, target in marginal:
            cmds = {
                "TN": [exe, "score", str(many), "-q", q.id, "--format", "json"],
                "T1": [exe, "score", str(few), "-q", q.id, "--format", "json"],
                "BN": [py, "-c", BARE[fmt], str(many)],
                "B1": [py, "-c", BARE[fmt], str(few)],
            }
            m = medians(cmds, args.repeat)
            ratio = (m["TN"] - m["T1"]) / max(m["BN"] - m["B1"], 1e-6)
            n = args.rows if fmt == "csv" else args.files
            table.add(
                f"marginal {fmt} ({n:,} respondents)",
                f"({m['TN']:.2f}-{m['T1']:.2f}) / ({m['BN']:.2f}-{m['B1']:.2f})",
                ratio, target, False,
            )
        peer = Path(__file__).with_name("peer_pandas.py")
        if importlib.util.find_spec("pandas") is not None:
            m = medians(
                {
                    "pandas": [py, str(peer), str(wide), "--group-by", "role"],
                    "ours": [exe, "score", str(wide), "-q", q.id, "--group-by", "role",
                             "--format", "json"],
                },
                args.repeat,
            )
            table.add(f"pandas script / score --group-by role ({args.rows:,})",
                      f"{m['pandas']:.2f}s / {m['ours']:.2f}s", m["pandas"] / m["ours"], 3.0, True)
        else:
            print("(pandas is not installed: the peer script comparison is skipped)")
        rss = memory(exe, q, args.memory_rows, root)
        what = f"memory, {args.memory_rows:,} respondents (MB)"
        table.add(what, f"{rss:.0f} MB", rss, 150, False)
        if args.million:
            rss = memory(exe, q, 1_000_000, root)
            table.add("memory, 1,000,000 respondents (MB)", f"{rss:.0f} MB", rss, 400, False)
        table.print()
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return 1 if table.missed else 0


def _load() -> str:
    try:
        return " ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        return "unknown"


if __name__ == "__main__":
    raise SystemExit(main())
