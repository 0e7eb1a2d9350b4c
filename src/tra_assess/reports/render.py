"""Board-ready gap reports (SPEC section 9): Markdown or self-contained HTML.

:func:`render_report` turns a :class:`~tra_assess.results.model.Results` (and optionally a baseline)
into a report. The built-in templates live in ``report_templates/``; a user's own template
(``template=``) is rendered in a sandboxed Jinja2 environment with the same context
(:func:`tra_assess.reports.context.build_context`). HTML is autoescaped; Markdown escapes every
user string through the ``md`` filter. No clock is read: the only time in a report is the
results' own ``generated_at``/``assessed_on``, so a report is byte-identical for the same
inputs.
"""

from __future__ import annotations

import contextlib
import re
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from tra_assess.common.errors import InvalidInputError, Problem, UsageError
from tra_assess.results.model import Results

if TYPE_CHECKING:
    import jinja2

__all__ = ["render_report"]

BUILTIN = {"md": "report.md.j2", "html": "report.html.j2"}
_BLANK_RUNS = re.compile(r"\n{3,}")

TEMPLATE_SEQUENCE_LIMIT = 1_000_000  # longest text or list a user template may repeat into
TEMPLATE_NUMBER_BITS = 100_000  # largest power a user template may compute (about 30,000 digits)


def render_report(
    results: Results,
    *,
    fmt: Literal["md", "html"],
    baseline: Results | None = None,
    target: str | None = None,
    top: int = 10,
    template: Path | None = None,
    title: str | None = None,
    notes: bool = True,
) -> str:
    """Render the report; ``target`` re-evaluates gaps, ``meets_target`` and priorities."""
    from tra_assess.reports.context import build_context
    from tra_assess.scoring.retarget import retarget

    if fmt not in BUILTIN:
        raise UsageError(f"unknown report format {fmt!r} (md or html)")
    chosen = target or results.target
    evaluated = retarget(results, chosen, top)
    comparison = None
    if baseline is not None:
        from tra_assess.compare.change import compare_results

        comparison = compare_results(baseline, evaluated, target=chosen)
    context = build_context(
        evaluated,
        fmt=fmt,
        comparison=comparison,
        top=top,
        title=title,
        notes=notes,
        retargeted=chosen != results.target,
    )
    if template is not None:
        return _render_user(template, context)
    text = _builtin_env(fmt).get_template(BUILTIN[fmt]).render(context)
    return _tidy(text)


def _tidy(text: str) -> str:
    """One blank line at most between blocks; exactly one newline at the end."""
    return _BLANK_RUNS.sub("\n\n", text).strip("\n") + "\n"


def _filters(env: jinja2.Environment) -> None:
    from tra_assess.common.display import fmt_number, fmt_percent
    from tra_assess.reports.formatting import md

    env.filters["md"] = md
    env.filters["num"] = fmt_number
    env.filters["pct"] = fmt_percent


def _builtin_env(fmt: str) -> jinja2.Environment:
    import jinja2

    from tra_assess.common.resources import templates_dir
    from tra_assess.reports.formatting import html_finalize

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        bytecode_cache=_bytecode_cache(),
        autoescape=fmt == "html",
        finalize=html_finalize if fmt == "html" else None,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    _filters(env)
    return env


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled built-in templates, cached per user (keyed by the template's checksum, so an
    edited template is recompiled). Compiling costs more than rendering; the cache is only
    an accelerator: set TRA_ASSESS_NO_CACHE=1 to skip it; an unwritable folder is ignored."""
    import os

    import jinja2

    if os.environ.get("TRA_ASSESS_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = Path(base) / "tra-assess" / "templates"

    class _QuietCache(jinja2.FileSystemBytecodeCache):
        def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            try:
                super().load_bytecode(bucket)
            except (OSError, ValueError, EOFError):
                bucket.reset()

        def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            with contextlib.suppress(OSError):
                super().dump_bytecode(bucket)

    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return None
    return _QuietCache(str(folder))


def _render_user(path: Path, context: dict[str, Any]) -> str:
    """Render a user's template in a sandbox; errors are one line naming file and line."""
    import jinja2
    from jinja2.sandbox import SandboxedEnvironment

    from tra_assess.common.resources import templates_dir
    from tra_assess.common.yamlio import read_text

    name = str(path)
    if not path.is_file():
        raise UsageError(f"{name}: no such template file")
    source = read_text(path, name)
    from tra_assess.reports.formatting import html_finalize

    is_html = path.suffix.lower() in (".html", ".htm")

    class _Sandbox(SandboxedEnvironment):
        """The sandbox, with what can build a huge value bounded: ``*`` and ``**`` (then
        not folded at compile time), ``%`` formatting and padding widths, so a template
        cannot make a text or a number of gigabytes, or compute for hours."""

        intercepted_binops = frozenset(["*", "**", "%"])

        def call_binop(
            self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any
        ) -> Any:
            _check_binop(operator, left, right)
            return super().call_binop(context, operator, left, right)

    env = _Sandbox(
        loader=jinja2.FileSystemLoader([str(path.parent), str(templates_dir())]),
        autoescape=is_html,
        finalize=html_finalize if is_html else None,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    _filters(env)
    for name_, bounded in _bounded_filters(env).items():
        env.filters[name_] = bounded
    try:
        compiled = env.from_string(source)
        compiled.filename = name
        return compiled.render(context)
    except jinja2.TemplateSyntaxError as exc:
        line = exc.lineno if (exc.filename in (None, name, "<template>")) else None
        where = name if line is not None else f"{name} (in {exc.filename}:{exc.lineno})"
        raise InvalidInputError(
            "template", [Problem(where, f"template error: {exc.message}", line)]
        ) from None
    except RecursionError:
        raise InvalidInputError(
            "template",
            [Problem(name, "template error: it includes or extends itself, without end")],
        ) from None
    except (jinja2.TemplateError, TypeError, ValueError, ArithmeticError, LookupError) as exc:
        line = _template_line(exc)
        message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
        raise InvalidInputError(
            "template", [Problem(name, f"template error: {message}", line)]
        ) from None


_WIDE_FORMAT = re.compile(r"%[-#0 +]*(\*|\d{5,})|%[-#0 +]*\d*\.(\*|\d{5,})")


def _check_binop(operator: str, left: Any, right: Any) -> None:
    """Refuse an operation of a user template whose result would be enormous."""
    import jinja2

    refuse = jinja2.exceptions.SecurityError
    if operator == "**" and isinstance(left, int) and isinstance(right, int):
        if right > 0 and right * max(abs(left).bit_length(), 1) > TEMPLATE_NUMBER_BITS:
            raise refuse("a power too large in a template")
    elif operator == "**" and isinstance(right, (int, float)) and abs(right) > 1000:
        raise refuse("a power too large in a template")
    elif operator == "*":
        for seq, times in ((left, right), (right, left)):
            if (
                isinstance(seq, (str, list, tuple))
                and isinstance(times, int)
                and len(seq) * times > TEMPLATE_SEQUENCE_LIMIT
            ):
                raise refuse("a repeated text or list longer than 1,000,000 in a template")
    elif operator == "%" and isinstance(left, str) and _WIDE_FORMAT.search(left):
        raise refuse("a format width or precision too large in a template")


def _bounded_filters(env: jinja2.Environment) -> dict[str, Any]:
    """Jinja's padding and formatting filters, refusing widths that would build a huge text."""
    import jinja2

    def width_checked(name: str, position: int) -> Any:
        original = env.filters[name]

        def bounded(*args: Any, **kwargs: Any) -> Any:
            width = kwargs.get("width", args[position] if len(args) > position else 0)
            if isinstance(width, int) and width > TEMPLATE_SEQUENCE_LIMIT:
                raise jinja2.exceptions.SecurityError(f"'{name}' width too large in a template")
            return original(*args, **kwargs)

        return bounded

    def format_checked(value: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(value, str) and _WIDE_FORMAT.search(value):
            raise jinja2.exceptions.SecurityError(
                "a format width or precision too large in a template"
            )
        return original_format(value, *args, **kwargs)

    original_format = env.filters["format"]
    return {
        "center": width_checked("center", 1),
        "indent": width_checked("indent", 1),
        "format": format_checked,
    }


def _template_line(exc: BaseException) -> int | None:
    """The template line of a render error, from the traceback Jinja rewrites."""
    line = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename == "<template>" or frame.name in ("top-level template code",):
            line = frame.lineno
    return line
