"""The ``tra-assess`` command line: a thin layer over the library.

Only typer is imported at start-up; each command imports the core modules it needs when it
runs, so ``tra-assess --help`` stays fast.

Typer inspects the signature of every registered command before it parses anything. When
the command line names one command (``tra-assess score ...``), :func:`main` builds the tree
with that command alone, so the other commands' modules are neither imported nor inspected;
its usage, help and errors are the same as in the whole tree (the root's options and help
text are shared). The root's own help and version (``--help``, ``--version``, no command)
get the *listing* tree: every command with its help but none of its options, which lists
exactly what the whole tree lists. Anything else (an unknown command, say) gets the whole
tree, which is also what :data:`app` is.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer

from tra_assess import __version__
from tra_assess.cli.parsing import TraGroup
from tra_assess.cli.support import set_debug

if TYPE_CHECKING:
    app: typer.Typer

# name on the command line -> (module under tra_assess.cli.commands, attribute), in the order
# of the help listing; an attribute that is a Typer app is added as a group of commands
COMMANDS: dict[str, tuple[str, str]] = {
    "run": ("run", "run_command"),
    "score": ("score", "score_command"),
    "report": ("report", "report_command"),
    "compare": ("compare", "compare_command"),
    "trend": ("trend", "trend_command"),
    "plan": ("plan", "plan_command"),
    "export": ("export", "export_command"),
    "questionnaires": ("questionnaires", "app"),
    "template": ("template", "template_command"),
    "form": ("form", "form_command"),
    "schema": ("schema", "schema_command"),
    "demo": ("demo", "demo_command"),
}

# the root's options that may come before the command and do not change which commands the
# tree needs (--help and --version need the whole tree: they list or stop before any command)
_ROOT_FLAGS = frozenset({"--debug"})

HELP = (
    "Assess how trauma-responsive an organisation is in practice, not only in training: "
    "walk a team through the questionnaire (run), score exported answers (score), and "
    "write a board-ready gap report (report).\n\n"
    "Start with: tra-assess demo"
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"tra-assess {__version__}")
        raise typer.Exit(0)


def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show Python tracebacks for errors (for bug reports).")
    ] = False,
) -> None:
    set_debug(debug)


def build_app(only: str | None = None, *, listing: bool = False) -> typer.Typer:
    """The command tree: every command, or only the one named ``only``. ``listing``: every
    command as its help lists it, without its options (for the root's help and version:
    Typer need not inspect each command's signature to list it)."""
    tree = typer.Typer(
        name="tra-assess",
        cls=TraGroup,
        help=HELP,
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    tree.callback()(_root)
    for name, (module, attribute) in COMMANDS.items():
        if only is not None and name != only:
            continue
        found = getattr(importlib.import_module(f"tra_assess.cli.commands.{module}"), attribute)
        if isinstance(found, typer.Typer):
            tree.add_typer(found, name=name)
        else:
            tree.command(name)(_listed(found) if listing else found)
    return tree


def _listed(command: Any) -> Any:
    """A stand-in for ``command`` in the listing: its help, no options, never run."""

    def listed() -> None:  # pragma: no cover - the listing tree only shows help
        raise AssertionError("the listing tree runs no command")

    listed.__doc__ = command.__doc__
    return listed


# the command lines that only show the root's help or version: the listing tree serves them
_LISTING = frozenset({"--help", "-h", "--version", "--debug"})


def invoked_command(args: list[str]) -> str | None:
    """The command a command line names, when the whole tree is not needed to run it."""
    for arg in args:
        if arg in _ROOT_FLAGS:
            continue
        return arg if arg in COMMANDS else None
    return None


_whole: typer.Typer | None = None


def __getattr__(name: str) -> Any:
    """``app``: the whole command tree (built on first use, for tests and the reference)."""
    global _whole
    if name == "app":
        if _whole is None:
            _whole = build_app()
        return _whole
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


_PLUGIN_LOADER = "pydantic.plugin._loader"


def no_pydantic_plugins() -> None:
    """Run without pydantic plugins, and without loading what finds them.

    pydantic looks for plugins in every installed distribution's entry points on first use.
    tra-assess uses none, and answers (staff rating their own leaders) are validated by
    pydantic models: no third-party plugin should see them. ``PYDANTIC_DISABLE_PLUGINS``
    turns the search off (unless the user set it otherwise), but pydantic still imports its
    plugin loader, and with it ``importlib.metadata`` (email, zipfile, socket: about 20 ms of
    every command's start-up); a loader that finds no plugins stands in for it. It is only
    ever what pydantic's own loader returns when plugins are off (tested against the
    installed pydantic)."""
    setting = os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    if setting in ("__all__", "1", "true") and _PLUGIN_LOADER not in sys.modules:
        import types

        loader = types.ModuleType(_PLUGIN_LOADER, "No pydantic plugins (tra-assess).")
        loader.get_plugins = tuple  # type: ignore[attr-defined]  # () : no plugins
        sys.modules[_PLUGIN_LOADER] = loader


def main() -> None:
    no_pydantic_plugins()
    args = sys.argv[1:]
    listing = set(args) <= _LISTING
    build_app(None if listing else invoked_command(args), listing=listing)()
