"""The command reference (``docs/commands.md``), generated from every command's ``--help``.

Run ``python -m tra_assess.cli.reference --write`` after changing a command; a test fails while
the file differs from what the commands say, so the reference cannot drift.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

WIDTH = 100
HEADER = """# Command reference

Generated from each command's `--help` by `python -m tra_assess.cli.reference --write`; a test
fails when this page and the commands disagree. Exit codes: 0 success; 1 done, but some input
was rejected; 2 usage error; 3 internal error (a bug); 130 interrupted (after saving).
"""


def _commands() -> list[list[str]]:
    """Every command path, depth first, in the order ``--help`` lists them."""
    import typer.main

    from tra_assess.cli.app import app

    root = typer.main.get_command(app)
    paths: list[list[str]] = []

    def walk(command: Any, path: list[str]) -> None:
        paths.append(path)
        if hasattr(command, "list_commands"):
            ctx = command.context_class(command)
            for name in command.list_commands(ctx):
                sub = command.get_command(ctx, name)
                if sub is not None and not sub.hidden:
                    walk(sub, [*path, name])

    walk(root, [])
    return paths


def _help(path: list[str]) -> str:
    from typer.testing import CliRunner

    from tra_assess.cli.app import app

    env = {"COLUMNS": str(WIDTH), "NO_COLOR": "1", "TERM": "dumb"}
    result = CliRunner().invoke(app, [*path, "--help"], env=env, prog_name="tra-assess")
    if result.exit_code != 0:
        raise RuntimeError(f"tra-assess {' '.join(path)} --help failed: {result.output}")
    return "\n".join(line.rstrip() for line in result.output.strip("\n").splitlines())


def render_reference() -> str:
    parts = [HEADER]
    for path in _commands():
        title = " ".join(["tra-assess", *path])
        parts.append(f"## `{title}`\n\n```text\n{_help(path)}\n```\n")
    return "\n".join(parts)


def main(argv: list[str]) -> int:
    text = render_reference()
    if argv[:1] == ["--write"]:
        target = Path(argv[1]) if len(argv) > 1 else Path("docs/commands.md")
        target.write_text(text, encoding="utf-8")
        print(f"wrote {target}")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
