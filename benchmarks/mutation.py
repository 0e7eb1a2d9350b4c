"""Mutation testing of the scoring package: do the tests notice when the rules change?

A small AST mutation driver (no dependency beyond the standard library). For each module of
``src/tra_assess/scoring`` it makes one mutant per change point:

- comparison operators flipped (``<`` ↔ ``<=``, ``>`` ↔ ``>=``, ``==`` ↔ ``!=``, ``is`` ↔
  ``is not``, ``in`` ↔ ``not in``);
- numeric constants +1 and −1 (floats also set to 0: a tolerance of 1e-9 set to 0);
- ``and`` ↔ ``or``;
- conditions negated (``if``, ``while``, ``elif``, conditional expressions, ``assert`` aside);
- ``return VALUE`` dropped to ``return None``.

Each mutant is written into a copy of the source tree (the working tree is never touched),
and ``pytest -x -q tests/scoring tests/compare`` (or ``--tests``) runs against it with a
timeout. A mutant is
*killed* when the tests fail, *survives* when they pass, and *times out* (counted as killed:
the change made something loop) when they run past the timeout.

Usage::

    python benchmarks/mutation.py --module rules.py --module stats.py
    python benchmarks/mutation.py --limit 60 --seed 3        # a random sample of 60
    python benchmarks/mutation.py --module stats.py --list   # the mutants, without running

Prints killed / survived / timeouts, the kill rate, and each surviving mutant as
``file:line: description``. Slow by nature (one test run per mutant): run on demand, not in CI.
"""

from __future__ import annotations

import argparse
import ast
import copy
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "tra_assess"
SCORING = PACKAGE / "scoring"
TESTS = ["tests/scoring", "tests/compare"]
SLOW = ("properties", "block", "fastpath", "arrays")  # hypothesis-heavy files: run last


def test_files(tests: list[str] | None = None) -> list[str]:
    """The test files of ``tests`` (default :data:`TESTS`: folders or files), hand-computed
    ones first: with ``-x`` most mutants are then killed within seconds."""
    files: list[str] = []
    for entry in tests or TESTS:
        path = ROOT / entry
        found = sorted(path.glob("test_*.py")) if path.is_dir() else [path]
        files.extend(str(p.relative_to(ROOT)) for p in found)
    return sorted(files, key=lambda name: any(word in name for word in SLOW))

_FLIPS: dict[type[ast.cmpop], type[ast.cmpop]] = {
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
}
_SYMBOLS = {
    ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!=",
    ast.Is: "is", ast.IsNot: "is not", ast.In: "in", ast.NotIn: "not in",
}


@dataclass(frozen=True)
class Mutant:
    module: Path
    index: int  # the index of the change point in the module's walk
    variant: str  # which change at that point
    line: int
    description: str

    @property
    def where(self) -> str:
        return f"{self.module.relative_to(ROOT)}:{self.line}"


def _docstring_nodes(tree: ast.AST) -> set[int]:
    """Constants that are docstrings: mutating them changes nothing."""
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def _points(tree: ast.AST) -> Iterator[tuple[int, ast.AST, str, str]]:
    """(index, node, variant, description) of every change point, in walk order."""
    skip = _docstring_nodes(tree)
    for index, node in enumerate(ast.walk(tree)):
        if isinstance(node, ast.Compare):
            for k, op in enumerate(node.ops):
                flipped = _FLIPS.get(type(op))
                if flipped is not None:
                    text = f"{_SYMBOLS[type(op)]} -> {_SYMBOLS[flipped]}"
                    yield index, node, f"cmp{k}", text
        elif (
            isinstance(node, ast.Constant)
            and id(node) not in skip
            and isinstance(node.value, (int, float))
            and not isinstance(node.value, bool)
        ):
            yield index, node, "+1", f"{node.value!r} -> {node.value + 1!r}"
            yield index, node, "-1", f"{node.value!r} -> {node.value - 1!r}"
            if isinstance(node.value, float) and node.value != 0:
                yield index, node, "zero", f"{node.value!r} -> 0.0"
        elif isinstance(node, ast.BoolOp):
            other = "or" if isinstance(node.op, ast.And) else "and"
            mine = "and" if other == "or" else "or"
            yield index, node, "boolop", f"{mine} -> {other}"
        elif isinstance(node, (ast.If, ast.While, ast.IfExp)):
            yield index, node, "negate", "condition negated"
        elif (
            isinstance(node, ast.Return)
            and node.value is not None
            and not (isinstance(node.value, ast.Constant) and node.value.value is None)
        ):
            yield index, node, "none", "return value dropped to None"


def _apply(node: ast.AST, variant: str) -> None:
    if isinstance(node, ast.Compare) and variant.startswith("cmp"):
        k = int(variant[3:])
        node.ops[k] = _FLIPS[type(node.ops[k])]()
    elif isinstance(node, ast.Constant):
        value = node.value
        assert isinstance(value, (int, float))
        node.value = value + 1 if variant == "+1" else value - 1 if variant == "-1" else 0.0
    elif isinstance(node, ast.BoolOp):
        node.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
    elif isinstance(node, (ast.If, ast.While, ast.IfExp)):
        node.test = ast.UnaryOp(op=ast.Not(), operand=node.test)
    elif isinstance(node, ast.Return):
        node.value = ast.Constant(value=None)


def mutants_of(module: Path) -> list[Mutant]:
    tree = ast.parse(module.read_text(encoding="utf-8"))
    return [
        Mutant(module, index, variant, getattr(node, "lineno", 0), text)
        for index, node, variant, text in _points(tree)
    ]


def mutated_source(mutant: Mutant) -> str:
    tree = ast.parse(mutant.module.read_text(encoding="utf-8"))
    work = copy.deepcopy(tree)
    nodes = list(ast.walk(work))
    _apply(nodes[mutant.index], mutant.variant)
    return ast.unparse(ast.fix_missing_locations(work)) + "\n"


class Sandbox:
    """A copy of the source tree and the tests (so that editing them meanwhile changes
    nothing) beside symlinks to the data folders; the copy is imported first."""

    def __init__(self, tests: list[str] | None = None) -> None:
        self.tests = test_files(tests)
        self.root = Path(tempfile.mkdtemp(prefix="tra-mutation-"))
        ignore = shutil.ignore_patterns("__pycache__", ".hypothesis")
        shutil.copytree(PACKAGE, self.root / "src" / "tra_assess", ignore=ignore)
        shutil.copytree(ROOT / "tests", self.root / "tests", ignore=ignore)
        shutil.copy2(ROOT / "pyproject.toml", self.root / "pyproject.toml")
        for name in ("questionnaires", "report_templates"):
            (self.root / name).symlink_to(ROOT / name)

    def path_of(self, module: Path) -> Path:
        return self.root / "src" / module.relative_to(ROOT / "src")

    def run(self, timeout: float) -> tuple[str, float]:
        outcome, seconds, _ = self.run_tests(timeout)
        return outcome, seconds

    def run_tests(self, timeout: float) -> tuple[str, float, str]:
        """(outcome, seconds, the tail of pytest's output)."""
        env = dict(os.environ)
        env["PYTHONPATH"] = str(self.root / "src")
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider",
                   "-o", "addopts=", *self.tests]
        start = time.perf_counter()
        try:
            done = subprocess.run(command, cwd=self.root, env=env, capture_output=True,
                                  timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            return "timeout", time.perf_counter() - start, ""
        outcome = "survived" if done.returncode == 0 else "killed"
        tail = done.stdout.decode("utf-8", "replace")[-2000:]
        return outcome, time.perf_counter() - start, tail

    def close(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--module", action="append", default=[],
                        help="a module of src/tra_assess/scoring (e.g. rules.py); repeatable; "
                        "default: all")
    parser.add_argument("--limit", type=int, default=None,
                        help="run a random sample of this many mutants")
    parser.add_argument("--seed", type=int, default=0, help="seed of the sample")
    parser.add_argument("--timeout", type=float, default=None,
                        help="seconds per mutant (default: 3x the clean run + 10)")
    parser.add_argument("--list", action="store_true", help="list the mutants and stop")
    parser.add_argument("--tests", action="append", default=None,
                        help="test folders or files to run (repeatable; default: "
                        + " ".join(TESTS) + ")")
    args = parser.parse_args(argv)

    names = args.module or sorted(p.name for p in SCORING.glob("*.py") if p.name != "__init__.py")
    modules = [SCORING / (name if name.endswith(".py") else f"{name}.py") for name in names]
    missing = [m for m in modules if not m.is_file()]
    if missing:
        parser.error(f"no such module: {', '.join(str(m) for m in missing)}")
    mutants = [mutant for module in modules for mutant in mutants_of(module)]
    if args.limit is not None and args.limit < len(mutants):
        mutants = sorted(random.Random(args.seed).sample(mutants, args.limit),
                         key=lambda m: (str(m.module), m.line, m.index, m.variant))
    if args.list:
        for mutant in mutants:
            print(f"{mutant.where}: {mutant.description}")
        print(f"{len(mutants)} mutants")
        return 0

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # clean the sandbox up too
    sandbox = Sandbox(args.tests)
    try:
        for _ in range(2):  # once more: a loaded machine can trip a timing health check
            outcome, seconds, tail = sandbox.run_tests(timeout=1800)
            if outcome == "survived":
                break
        else:
            print(f"the tests do not pass on the unmutated code ({outcome}); fix that first")
            print(tail)
            return 2
        timeout = args.timeout or 3 * seconds + 10
        print(f"clean run {seconds:.1f} s; {len(mutants)} mutants, timeout {timeout:.0f} s each",
              flush=True)
        counts = {"killed": 0, "survived": 0, "timeout": 0}
        survivors: list[Mutant] = []
        for n, mutant in enumerate(mutants, start=1):
            target = sandbox.path_of(mutant.module)
            original = target.read_text(encoding="utf-8")
            target.write_text(mutated_source(mutant), encoding="utf-8")
            try:
                outcome, seconds = sandbox.run(timeout)
            finally:
                target.write_text(original, encoding="utf-8")
            counts[outcome] += 1
            if outcome == "survived":
                survivors.append(mutant)
            print(f"[{n}/{len(mutants)}] {outcome:8} {mutant.where}: {mutant.description} "
                  f"({seconds:.0f} s)", flush=True)
    finally:
        sandbox.close()
    total = sum(counts.values())
    caught = counts["killed"] + counts["timeout"]
    print()
    print(f"killed {counts['killed']}, survived {counts['survived']}, "
          f"timeouts {counts['timeout']} of {total}: {100 * caught / max(total, 1):.1f} % caught")
    if survivors:
        print("surviving mutants:")
        for mutant in survivors:
            print(f"  {mutant.where}: {mutant.description}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
