"""A faster safe YAML reader for answer files: libyaml composes, a lean resolver constructs.

PyYAML's C loader parses in C but resolves and constructs every scalar in Python, which is
most of its time on answer files. Here libyaml composes the node tree (with the base resolver,
which does no implicit typing) and :func:`_convert` builds the data, typing plain scalars
exactly as the safe loader does for the forms answer files use (``null``, decimal integers,
``YYYY-MM-DD`` dates, text). Anything else (explicit tags, aliases, merge keys, floats,
booleans, octal or other YAML 1.1 number forms, a key written twice) makes :func:`load`
return :data:`FALLBACK`,
and the caller uses the standard loader (:func:`tra_assess.common.yamlio.load_yaml_fast`). The
result is therefore always what the safe loader would give.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any

import yaml

FALLBACK = object()

_Loader: Any = getattr(yaml, "CBaseLoader", None)
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_STR = "tag:yaml.org,2002:str"
_NULLS = {"", "~", "null", "Null", "NULL"}
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
# the first characters at which the safe loader's implicit resolvers may apply
_TYPED_START = frozenset("-+0123456789.yYnNtTfFoO~<=")
_RESOLVERS = yaml.resolver.Resolver.yaml_implicit_resolvers


class _Unsupported(Exception):
    pass


def load(text: str) -> Any:
    """The document, or :data:`FALLBACK` when the standard loader must decide."""
    if _Loader is None or "*" in text or "!" in text or "<<" in text:
        return FALLBACK
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        return None if node is None else _convert(node)
    except (yaml.YAMLError, _Unsupported, RecursionError, ValueError):
        return FALLBACK
    finally:
        loader.dispose()


def _convert(node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return _scalar(node)
    if isinstance(node, yaml.MappingNode):
        if node.tag != _MAP:
            raise _Unsupported
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise _Unsupported
            result[_scalar(key_node)] = _convert(value_node)
        if len(result) != len(node.value):
            raise _Unsupported  # a key written twice: the standard loader reports it
        return result
    if isinstance(node, yaml.SequenceNode) and node.tag == _SEQ:
        return [_convert(child) for child in node.value]
    raise _Unsupported


def _scalar(node: yaml.ScalarNode) -> Any:
    value: str = node.value
    if node.tag != _STR:
        raise _Unsupported
    if node.style or (value and value[0] not in _TYPED_START):
        return value  # quoted or block text, or plain text no resolver applies to
    if value in _NULLS:
        return None
    if value.isdigit() and value.isascii() and (value[0] != "0" or value == "0"):
        return int(value)
    if _DATE.match(value):
        return _dt.date.fromisoformat(value)
    for _tag, regexp in _RESOLVERS.get(value[:1], []):
        if regexp.match(value):
            raise _Unsupported  # a typed form this reader leaves to the standard loader
    return value
