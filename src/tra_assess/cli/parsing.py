"""How the command line parses and explains itself (imports only typer).

Typer builds its Click objects itself; :class:`TraGroup` (the ``cls`` of every
``typer.Typer`` of tra-assess) adjusts what it is given once, when the command tree is built:

- help texts are written as paragraphs in docstrings: single line breaks are joined, so Rich
  re-wraps every sentence to the terminal's width (Typer would keep them);
- options and arguments show metavars (``INPUT...``, ``FILE``, ``N``, ``TEXT``,
  ``[md|html]``) instead of Python types (``<bool>``, ``<list[str]>``);
- an option that takes one value may be given once: ``--out a --out b`` is a usage error,
  not "the last one wins";
- every usage error is one line on stderr (exit 2): ``error: unknown format 'x' (md or
  html)``, never a box or a pydantic message.

Parameters and commands are re-classed to the subclasses below, which only change how they
are displayed and checked; they add no state.
"""

from __future__ import annotations

import inspect
import re
import sys
from collections import Counter
from enum import Enum
from pathlib import Path
from typing import Any

import typer
from typer._click.core import Command, Context, Parameter
from typer._click.exceptions import BadParameter, ClickException, NoArgsIsHelpError, UsageError
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

from tra_assess.common.errors import EXIT_USAGE
from tra_assess.common.textsafe import one_line

__all__ = ["TraGroup", "reflow"]


def reflow(text: str | None) -> str | None:
    """Paragraphs (separated by a blank line) with their single line breaks joined."""
    if not text:
        return text
    paragraphs = re.split(r"\n\s*\n", inspect.cleandoc(text))
    return "\n\n".join(" ".join(line.strip() for line in p.splitlines()) for p in paragraphs)


def _choices(param: Parameter) -> list[str] | None:
    descriptor = getattr(param, "type_descriptor", None)
    choices = getattr(descriptor, "choices", None)
    if not choices:
        return None
    return [str(c.value) if isinstance(c, Enum) else str(c) for c in choices]


def _one_of(words: list[str]) -> str:
    """``md, html or pdf``."""
    if len(words) <= 2:
        return " or ".join(words)
    return f"{', '.join(words[:-1])} or {words[-1]}"


def _annotation(param: Parameter) -> Any:
    annotation = getattr(getattr(param, "type_descriptor", None), "annotation", None)
    args = getattr(annotation, "__args__", None)
    if args and getattr(annotation, "__origin__", None) is list:
        return args[0]
    return annotation


# what a value looks like, by parameter name (SPEC section 7's synopsis); an explicit
# ``metavar=`` on an option wins, and any other option gets one from its type
_METAVARS = {
    "questionnaire": "ID|PATH",
    "target": "LEVEL",
    "group_by": "FIELD",
    "domain": "ID",
    "respondent": "ID",
    "role": "ROLE",
    "label": "TEXT=VALUE",
    "column": "HEADER=FIELD",
    "encoding": "NAME",
    "assessed_on": "DATE",
    "merge_groups": "A,B=NAME",
    "chromium": "PATH",
}
_ARGUMENT_METAVARS = {"inputs": "INPUT...", "paths": "FILE..."}


def _default_metavar(param: Parameter) -> str:
    if param.name in _METAVARS:
        return _METAVARS[param.name]
    choices = _choices(param)
    if choices:
        return f"[{'|'.join(choices)}]"
    annotation = _annotation(param)
    if isinstance(annotation, type) and issubclass(annotation, Path):
        return "FILE"
    if annotation is int:
        return "N"
    if annotation is float:
        return "NUMBER"
    return "TEXT"


class _Option(TyperOption):
    """An option whose help shows a metavar (FILE, N, TEXT, [a|b]) and nothing for a flag."""

    def display_type_rich(self, ctx: Context) -> str | None:
        if self.is_flag or self.count:
            return None
        return self.metavar or _default_metavar(self)

    def _get_number_range_help_str(self) -> str | None:
        return None  # the help text says it in words; "[x>=1]" is not for people


class _Argument(TyperArgument):
    """An argument shown by its metavar (INPUT...), without a Python type or braces."""

    def display_type_rich(self, ctx: Context) -> str | None:
        return None

    def _usage_display_name(self) -> str:
        name = self.display_name_raw
        return name if self.required else f"[{name}]"

    def _get_number_range_help_str(self) -> str | None:
        return None


def single_value_repeats(command: Command, ctx: Context, args: list[str]) -> str | None:
    """The first option that takes one value and is given more than once in ``args``."""
    parser = command.make_parser(ctx)
    try:
        _, _, order = parser.parse_args(args=list(args))
    except ClickException:
        return None  # the real parse reports it
    counts = Counter(id(param) for param in order)
    for param in order:
        if not isinstance(param, TyperOption) or counts[id(param)] < 2:
            continue
        if param.multiple or param.count or param.is_flag:
            continue
        times = "twice" if counts[id(param)] == 2 else f"{counts[id(param)]} times"
        return f"{max(param.opts, key=len)} was given {times}; give it once"
    return None


def _quiet_help_option(option: Any) -> Any:
    if option is not None and type(option) is TyperOption:
        option.__class__ = _Option
    return option


class _Command(TyperCommand):
    """A command that refuses an option given twice when it takes one value."""

    def parse_args(self, ctx: Context, args: list[str]) -> list[str]:
        repeated = single_value_repeats(self, ctx, args)
        if repeated is not None:
            raise UsageError(repeated, ctx=ctx)
        return super().parse_args(ctx, args)

    def get_help_option(self, ctx: Context) -> Any:
        return _quiet_help_option(super().get_help_option(ctx))


def _polish_params(command: Command) -> None:
    command.help = reflow(command.help)
    if command.short_help:
        command.short_help = reflow(command.short_help)
    for param in command.params:
        if isinstance(param, (TyperOption, TyperArgument)):
            param.help = reflow(param.help)
        if type(param) is TyperOption:
            param.__class__ = _Option
        elif type(param) is TyperArgument:
            param.__class__ = _Argument
            if param.metavar is None and param.name:
                dots = "..." if param.nargs != 1 else ""
                choices = _choices(param)
                named = "|".join(choices) if choices else param.name.upper() + dots
                param.metavar = _ARGUMENT_METAVARS.get(param.name, named)


def _polish(command: Command) -> None:
    _polish_params(command)
    if type(command) is TyperCommand:
        command.__class__ = _Command
    elif type(command) is TyperGroup:  # a sub-app made without cls=TraGroup
        command.__class__ = TraGroup
    if isinstance(command, TyperGroup):
        for sub in command.commands.values():
            _polish(sub)


_NOT_ONE_OF = re.compile(r"('(?:[^'\\]|\\.)*'|\"[^\"]*\") is not one of")


def _clean_message(exc: ClickException) -> str:
    """The error as one plain sentence: choices named in words, no pydantic wording."""
    message = exc.format_message()
    param = getattr(exc, "param", None)
    if isinstance(exc, BadParameter) and param is not None:
        choices = _choices(param)
        found = _NOT_ONE_OF.search(message)
        if choices and found:
            noun = (param.name or "value").replace("_", " ")
            if isinstance(param, TyperOption):
                longest = max(param.opts, key=len)
                noun = longest.lstrip("-").replace("-", " ")
            return f"unknown {noun} {found.group(1)} ({_one_of(choices)})"
        message = message.replace("Value error, ", "")
        message = re.sub(r"^Invalid value for '([^']+)'(?: / '[^']+')*: Input should be",
                         r"\1 must be", message)
    return message


def _command_path(exc: ClickException) -> str | None:
    ctx = getattr(exc, "ctx", None)
    return ctx.command_path if ctx is not None else None


def print_usage_error(exc: ClickException) -> None:
    """One line on stderr: ``error: ...`` (and where the options are listed, when useful)."""
    message = _clean_message(exc).rstrip(".")
    path = _command_path(exc)
    if path and not message.startswith("unknown ") and "give it once" not in message:
        message += f"; see {path} --help"
    sys.stderr.write(one_line(f"error: {message}") + "\n")
    sys.stderr.flush()


class TraGroup(TyperGroup):
    """The group class of every ``typer.Typer`` in tra-assess (see the module docstring)."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        _polish(self)

    def get_help_option(self, ctx: Context) -> Any:
        return _quiet_help_option(super().get_help_option(ctx))

    def make_context(
        self, info_name: str | None, args: list[str], parent: Context | None = None,
        **extra: Any,
    ) -> Context:
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except ClickException as exc:
            self._fail(exc, parent)
            raise  # pragma: no cover - _fail raises

    def invoke(self, ctx: Context) -> Any:
        try:
            return super().invoke(ctx)
        except ClickException as exc:
            self._fail(exc, ctx.parent)
            raise  # pragma: no cover - _fail raises

    @staticmethod
    def _fail(exc: ClickException, parent: Context | None) -> None:
        """Print a usage error as one line at the outermost group, and exit 2."""
        if isinstance(exc, NoArgsIsHelpError) or parent is not None:
            raise exc  # help on no arguments; an inner group leaves it to the root
        print_usage_error(exc)
        code = EXIT_USAGE if isinstance(exc, UsageError) else exc.exit_code
        raise typer.Exit(code) from None
