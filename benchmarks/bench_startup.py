"""Start-up: `tra-assess --help` against a minimal Typer app's `--help` (SPEC section 10).

Runs both side by side (interleaved) several times and prints the medians and their ratio.
Target: ratio <= 1.2. Usage: python benchmarks/bench_startup.py [--runs 15]
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

MINIMAL_APP = '''
import typer

app = typer.Typer()


@app.command()
def hello(name: str = "world") -> None:
    """Say hello."""
    print(f"hello {name}")


if __name__ == "__main__":
    app()
'''


# An ordinary installation caches compiled modules; don't let a container's
# PYTHONDONTWRITEBYTECODE make every run recompile the checkout's sources.
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _time(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(
        cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=CHILD_ENV
    )
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    bindir = Path(sys.executable).parent
    tool = shutil.which("tra-assess", path=str(bindir)) or shutil.which("tra-assess")
    ours = [tool, "--help"] if tool else [sys.executable, "-m", "tra_assess", "--help"]
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "minimal_app.py"
        script.write_text(MINIMAL_APP)
        baseline = [sys.executable, str(script), "--help"]
        for cmd in (baseline, ours):  # warm the file cache
            _time(cmd)
        base_times, our_times = [], []
        for _ in range(args.runs):
            base_times.append(_time(baseline))
            our_times.append(_time(ours))
    base, our = statistics.median(base_times), statistics.median(our_times)
    ratio = our / base
    print(f"minimal Typer app --help : {base * 1000:7.1f} ms (median of {args.runs})")
    print(f"tra-assess --help        : {our * 1000:7.1f} ms (median of {args.runs})")
    print(
        f"ratio                    : {ratio:7.2f}  (target <= 1.20) "
        f"{'OK' if ratio <= 1.2 else 'OVER TARGET'}"
    )
    return 0 if ratio <= 1.2 else 1


if __name__ == "__main__":
    raise SystemExit(main())
