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
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from tra_assess.common.errors import InvalidInputError, Problem, UsageError
from tra_assess.results.model import Results

if TYPE_CHECKING:
    import jinja2

    from tra_assess.compare.trend import Trend

__all__ = ["render_report"]

BUILTIN = {"md": "report.md.j2", "html": "report.html.j2"}
_BLANK_RUNS = re.compile(r"\n{3,}")


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
    paper: Literal["a4", "letter"] = "a4",
    history: Sequence[tuple[Results, str]] = (),
) -> str:
    """Render the report; ``target`` re-evaluates gaps, ``meets_target`` and priorities;
    ``paper`` is the page size the HTML prints on; ``history`` (earlier results and their file
    names) adds the trend section."""
    from tra_assess.reports.context import build_context
    from tra_assess.scoring.retarget import retarget

    if fmt not in BUILTIN:
        raise UsageError(f"unknown report format {fmt!r} (md or html)")
    if paper not in ("a4", "letter"):
        raise UsageError(f"unknown paper size {paper!r} (a4 or letter)")
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
        paper=paper,
    )
    context["history"] = _history(results, history, chosen)
    context["baseline_review"] = _baseline_review(evaluated, baseline)
    if template is not None:
        return _render_user(template, context)
    text = _builtin_env(fmt).get_template(BUILTIN[fmt]).render(context)
    return _tidy(text)


def _history(
    results: Results, history: Sequence[tuple[Results, str]], target: str
) -> dict[str, Any] | None:
    """The trend section's context (``history`` in templates), or None without history."""
    if not history:
        return None
    from tra_assess.reports.history import history_context, report_history

    return history_context(report_history(results, history, target))


def _baseline_review(results: Results, baseline: Results | None) -> dict[str, Any] | None:
    """Each of the baseline's priorities, then and now (``baseline_review`` in templates)."""
    if baseline is None:
        return None
    from tra_assess.compare.versions import review_pairing
    from tra_assess.results.plan import review_context

    return review_context(results, baseline, review_pairing(baseline, results))


def _tidy(text: str) -> str:
    """One blank line at most between blocks; exactly one newline at the end."""
    return _BLANK_RUNS.sub("\n\n", text).strip("\n") + "\n"


def _filters(env: jinja2.Environment) -> None:
    from tra_assess.common.display import fmt_number, fmt_percent
    from tra_assess.reports.formatting import css_string, md

    env.filters["md"] = md
    env.filters["css"] = css_string
    env.filters["num"] = fmt_number
    env.filters["pct"] = fmt_percent


def _builtin_env(fmt: str) -> jinja2.Environment:
    import jinja2

    from tra_assess.common.resources import templates_dir
    from tra_assess.common.textsafe import html_finalize

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

    from tra_assess.common.resources import templates_dir
    from tra_assess.common.yamlio import read_text
    from tra_assess.reports.sandbox import bounded_filters, render_bounded, sandbox

    name = str(path)
    if not path.is_file():
        raise UsageError(f"{name}: no such template file")
    source = read_text(path, name)
    from tra_assess.common.textsafe import html_finalize

    is_html = path.suffix.lower() in (".html", ".htm")

    env = sandbox(
        loader=jinja2.FileSystemLoader([str(path.parent), str(templates_dir())]),
        autoescape=is_html,
        finalize=html_finalize if is_html else None,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    _filters(env)
    for name_, bounded in bounded_filters(env).items():
        env.filters[name_] = bounded
    try:
        compiled = env.from_string(source)
        compiled.filename = name
        return render_bounded(compiled, context)
    except jinja2.TemplateSyntaxError as exc:
        line = exc.lineno if (exc.filename in (None, name, "<template>")) else None
        where = name if line is not None else f"{name} (in {exc.filename}:{exc.lineno})"
        raise InvalidInputError(
            "template", [Problem(where, f"template error: {exc.message}", line)]
        ) from None
    except MemoryError:
        raise InvalidInputError(
            "template", [Problem(name, "template error: it needs more memory than there is")]
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


def _template_line(exc: BaseException) -> int | None:
    """The template line of a render error, from the traceback Jinja rewrites."""
    line = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename == "<template>" or frame.name in ("top-level template code",):
            line = frame.lineno
    return line


def render_trend_html(trend: Trend) -> str:
    """The self-contained trend page (inline CSS and SVG, no script)."""
    from tra_assess import __version__
    from tra_assess.reports.history import history_context

    env = _builtin_env("html")
    dates = trend.dates
    text = env.get_template("trend.html.j2").render(
        history=history_context(trend),
        tool={"name": "tra-assess", "version": __version__},
        # what the shared stylesheet's print footer names
        paper={"id": "a4", "css": "A4"},
        organizations=trend.organizations,
        questionnaire={"title": trend.questionnaire_title},
        date_text=f"{dates[0]} to {dates[-1]}" if dates else "assessment dates not recorded",
    )
    return _tidy(text)
