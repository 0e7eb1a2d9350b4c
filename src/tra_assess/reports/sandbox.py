"""The sandbox a user's report template runs in: Jinja2's :class:`SandboxedEnvironment` with
bounded work.

A template may not build a huge value (``*``, ``+``, ``~``, ``%``, ``**``, ``replace``,
``join``, ``ljust``/``center``/widths, ``lipsum``, ``list``), run longer than
:data:`TEMPLATE_SECONDS` (a ``SIGALRM`` timer where the platform has one, and a deadline
checked at every call and every step of a ``range``), or write more than
:data:`TEMPLATE_OUTPUT_LIMIT` characters (counted as it streams). Each limit ends the render
with :class:`TemplateLimitError`, which the caller reports in one line.
"""

from __future__ import annotations

import re
import signal
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import jinja2
from jinja2.compiler import CodeGenerator, Frame
from jinja2.nodes import Concat
from jinja2.sandbox import SandboxedEnvironment, safe_range

__all__ = ["TemplateLimitError", "bounded_filters", "render_bounded", "sandbox"]

TEMPLATE_SECONDS = 10.0  # wall time a user template may take
TEMPLATE_OUTPUT_LIMIT = 20_000_000  # characters of output (about 20 MB)
TEMPLATE_TEXT_LIMIT = TEMPLATE_OUTPUT_LIMIT  # longest text a template may build
TEMPLATE_SEQUENCE_LIMIT = 1_000_000  # longest list a template may build, or text repeat into
TEMPLATE_NUMBER_BITS = 100_000  # largest power a user template may compute (about 30,000 digits)
LIPSUM_PARAGRAPHS = 1_000

_WIDE_FORMAT = re.compile(r"%[-#0 +]*(\*|\d{5,})|%[-#0 +]*\d*\.(\*|\d{5,})")
_WIDE_BRACE_FORMAT = re.compile(r"\{[^{}]*:[^{}]*(\d{5,}|\{)")
_WIDTH_METHODS = {"ljust": 0, "rjust": 0, "center": 0, "zfill": 0, "expandtabs": 0}


class TemplateLimitError(jinja2.exceptions.SecurityError):
    """A user template went past one of its limits (time, output or a built value's size)."""


class _Deadline:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def check(self) -> None:
        if time.monotonic() > self.end:
            raise TemplateLimitError(_too_long(self.seconds))


def _too_long(seconds: float) -> str:
    return f"the template ran longer than {seconds:g} seconds and was stopped"


def _refuse(what: str) -> TemplateLimitError:
    return TemplateLimitError(f"{what} too large in a template")


class _BoundedRange:
    """``range`` for templates: the sandbox's size limit, and the deadline at every step."""

    def __init__(self, deadline: _Deadline, *args: int) -> None:
        self._range = safe_range(*args)
        self._deadline = deadline

    def __iter__(self) -> Iterator[int]:
        check = self._deadline.check
        for value in self._range:
            check()
            yield value

    def __len__(self) -> int:
        return len(self._range)

    def __getitem__(self, index: Any) -> Any:
        return self._range[index]

    def __contains__(self, value: object) -> bool:
        return value in self._range

    def __reversed__(self) -> Iterator[int]:
        check = self._deadline.check
        for value in reversed(self._range):
            check()
            yield value


class _Generator(CodeGenerator):
    """Compiles ``a ~ b`` to a concatenation whose length is checked (doubling a text with
    ``~`` in a loop would otherwise reach gigabytes)."""

    def visit_Concat(self, node: Concat, frame: Frame) -> None:
        self.write("environment.checked_text(")
        super().visit_Concat(node, frame)
        self.write(")")


class _Sandbox(SandboxedEnvironment):
    code_generator_class = _Generator
    intercepted_binops = frozenset(["*", "**", "%", "+"])

    def __init__(self, deadline: _Deadline, **options: Any) -> None:
        super().__init__(**options)
        self.deadline = deadline
        self.globals["range"] = lambda *args: _BoundedRange(deadline, *args)
        self.globals["lipsum"] = _bounded_lipsum(jinja2.utils.generate_lorem_ipsum)

    @staticmethod
    def checked_text(value: Any) -> Any:
        if isinstance(value, str) and len(value) > TEMPLATE_TEXT_LIMIT:
            raise _refuse("a text joined with ~")
        return value

    def call_binop(
        self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any
    ) -> Any:
        _check_binop(operator, left, right)
        return super().call_binop(context, operator, left, right)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        owner = getattr(value, "__self__", None)
        if (
            isinstance(owner, str)
            and getattr(value, "__name__", "") in ("format", "format_map")
            and _WIDE_BRACE_FORMAT.search(owner)
        ):
            raise _refuse("a format width")
        return super().wrap_str_format(value)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        __self.deadline.check()
        _check_method(__obj, args, kwargs)
        return super().call(__context, __obj, *args, **kwargs)


def sandbox(seconds: float | None = None, **options: Any) -> jinja2.Environment:
    """A sandboxed environment with bounded work (see the module docstring); ``options`` are
    :class:`jinja2.Environment`'s. The time limit starts now: render at once."""
    return _Sandbox(_Deadline(TEMPLATE_SECONDS if seconds is None else seconds), **options)


def render_bounded(template: jinja2.Template, context: dict[str, Any]) -> str:
    """Render ``template`` (from :func:`sandbox`) within its time and output limits."""
    env = template.environment
    deadline: _Deadline = env.deadline  # type: ignore[attr-defined]
    with _alarm(deadline):
        parts: list[str] = []
        size = 0
        for chunk in template.generate(context):
            size += len(chunk)
            if size > TEMPLATE_OUTPUT_LIMIT:
                raise TemplateLimitError(
                    f"the template's output passed {TEMPLATE_OUTPUT_LIMIT // 1_000_000} MB "
                    "and was stopped"
                )
            parts.append(chunk)
        return "".join(parts)


class _alarm:
    """A ``SIGALRM`` at the deadline, in the main thread of a platform that has one, so a
    loop without calls is stopped too; elsewhere the checks in calls and ranges do it."""

    def __init__(self, deadline: _Deadline) -> None:
        self.deadline = deadline
        self.previous: Any = None
        self.armed = False

    def __enter__(self) -> _alarm:
        if hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread():
            seconds = self.deadline.seconds

            tries = [0]

            def stop(_signum: int, frame: Any) -> None:
                # stop inside template code, so the line says where it was; in the tool's
                # code between two pieces of output, try again a moment later (20 times)
                while frame is not None and "environment" not in frame.f_globals:
                    frame = frame.f_back
                if frame is None and tries[0] < 20:
                    tries[0] += 1
                    signal.setitimer(signal.ITIMER_REAL, 0.005)
                    return
                raise TemplateLimitError(_too_long(seconds))

            self.previous = signal.signal(signal.SIGALRM, stop)
            signal.setitimer(signal.ITIMER_REAL, max(self.deadline.end - time.monotonic(), 0.001))
            self.armed = True
        return self

    def __exit__(self, *_exc: object) -> None:
        if self.armed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self.previous)


def _bounded_lipsum(original: Callable[..., Any]) -> Callable[..., Any]:
    def lipsum(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> Any:
        if not (isinstance(n, int) and isinstance(max, int)) or n > LIPSUM_PARAGRAPHS or max > 1000:
            raise _refuse("a lipsum")
        return original(n=n, html=html, min=min, max=max)

    return lipsum


def _length(value: Any) -> int:
    return len(value) if isinstance(value, (str, list, tuple)) else 0


def _check_binop(operator: str, left: Any, right: Any) -> None:
    """Refuse an operation of a user template whose result would be enormous."""
    if operator == "**" and isinstance(left, int) and isinstance(right, int):
        if right > 0 and right * max(abs(left).bit_length(), 1) > TEMPLATE_NUMBER_BITS:
            raise _refuse("a power")
    elif operator == "**" and isinstance(right, (int, float)) and abs(right) > 1000:
        raise _refuse("a power")
    elif operator == "*":
        for seq, times in ((left, right), (right, left)):
            if (
                isinstance(seq, (str, list, tuple))
                and isinstance(times, int)
                and len(seq) * times > TEMPLATE_SEQUENCE_LIMIT
            ):
                raise TemplateLimitError(
                    "a repeated text or list longer than 1,000,000 in a template"
                )
    elif operator == "+" and isinstance(left, str) and isinstance(right, str):
        if len(left) + len(right) > TEMPLATE_TEXT_LIMIT:
            raise _refuse("a text or list joined with +")
    elif operator == "+" and _length(left) + _length(right) > TEMPLATE_SEQUENCE_LIMIT:
        raise _refuse("a list joined with +")
    elif operator == "%" and isinstance(left, str) and _WIDE_FORMAT.search(left):
        raise _refuse("a format width or precision")


def _check_method(obj: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """Refuse a call of a text's method that would build an enormous text."""
    owner = getattr(obj, "__self__", None)
    name = getattr(obj, "__name__", "")
    if not isinstance(owner, str):
        return
    if name in _WIDTH_METHODS:
        width = args[0] if args else kwargs.get("width", kwargs.get("tabsize", 0))
        if isinstance(width, int) and width * (1 if name != "expandtabs" else owner.count("\t")) > (
            TEMPLATE_TEXT_LIMIT
        ):
            raise _refuse(f"'{name}' width")
    elif name == "replace" and len(args) >= 2:
        _check_replace(owner, args[0], args[1])
    elif name == "join" and args:
        _check_join(owner, args[0])


def _check_replace(text: Any, old: Any, new: Any) -> None:
    if isinstance(text, str) and isinstance(old, str) and isinstance(new, str):
        count = text.count(old) if old else len(text) + 1
        if len(text) + count * (len(new) - len(old)) > TEMPLATE_TEXT_LIMIT:
            raise _refuse("a replaced text")


def _check_join(separator: Any, items: Any) -> None:
    if isinstance(items, (list, tuple)) and isinstance(separator, str):
        total = len(separator) * max(len(items) - 1, 0)
        total += sum(len(item) for item in items if isinstance(item, str))
        if total > TEMPLATE_TEXT_LIMIT:
            raise _refuse("a joined text")


def bounded_filters(env: jinja2.Environment) -> dict[str, Any]:
    """Jinja's filters that build text or lists, refusing results that would be huge (set
    them after any filters of one's own that they wrap)."""

    def width_checked(name: str, position: int, keyword: str = "width") -> Any:
        original = env.filters[name]

        def bounded(*args: Any, **kwargs: Any) -> Any:
            width = kwargs.get(keyword, args[position] if len(args) > position else 0)
            if isinstance(width, int) and width > TEMPLATE_SEQUENCE_LIMIT:
                raise _refuse(f"'{name}' width")
            return original(*args, **kwargs)

        if hasattr(original, "jinja_pass_arg"):
            bounded.jinja_pass_arg = original.jinja_pass_arg  # type: ignore[attr-defined]
        return bounded

    original_format = env.filters["format"]
    original_replace = env.filters["replace"]
    original_join = env.filters["join"]
    original_list = env.filters["list"]

    def format_checked(value: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(value, str) and _WIDE_FORMAT.search(value):
            raise _refuse("a format width or precision")
        return original_format(value, *args, **kwargs)

    def replace_checked(eval_ctx: Any, value: Any, old: Any, new: Any, count: Any = None) -> Any:
        _check_replace(str(value), str(old), str(new))
        return original_replace(eval_ctx, value, old, new, count)

    def join_checked(eval_ctx: Any, value: Any, d: str = "", attribute: Any = None) -> Any:
        items = list(value) if not isinstance(value, (list, tuple)) else value
        if len(items) > TEMPLATE_SEQUENCE_LIMIT:
            raise _refuse("a joined list")
        _check_join(str(d), [str(item) for item in items] if attribute is None else [])
        return original_join(eval_ctx, items, d, attribute)

    def list_checked(eval_ctx: Any, value: Any) -> Any:
        if isinstance(value, str) and len(value) > TEMPLATE_SEQUENCE_LIMIT:
            raise _refuse("a list")
        return original_list(eval_ctx, value)

    replace_checked.jinja_pass_arg = original_replace.jinja_pass_arg  # type: ignore[attr-defined]
    join_checked.jinja_pass_arg = original_join.jinja_pass_arg  # type: ignore[attr-defined]
    list_checked.jinja_pass_arg = original_list.jinja_pass_arg  # type: ignore[attr-defined]
    return {
        "center": width_checked("center", 1),
        "indent": width_checked("indent", 1),
        "wordwrap": width_checked("wordwrap", 2),
        "slice": width_checked("slice", 2, "slices"),
        "format": format_checked,
        "replace": replace_checked,
        "join": join_checked,
        "list": list_checked,
    }
