"""Reading editor-written YAML (data files, page front matter) as plain data.

YAML can do more than data needs: anchors and aliases (a few lines of aliases
expand to billions of nodes: the "alias bomb"), explicit tags (``!ENV`` would
read the build machine's environment in MkDocs' own loader), duplicate keys
(PyYAML keeps the last one silently). Editors need none of it, so it is
refused before anything is built from the text; what is left is mappings,
lists and scalars. Every message is one short line: file, true line, what to do.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

# libyaml is several times faster and keeps the same line marks.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# No data file or front matter comes near this; a bigger one is a mistake or an attack.
MAX_BYTES = 1_000_000
_SHOWN = 60  # characters of an editor's value quoted in a message


class YAMLInputError(Exception):
    """One editor mistake in YAML: ``str()`` is ``file:line: problem``."""


def shorten(value: Any, limit: int = _SHOWN) -> str:
    """``repr`` of a value, cut to ``limit`` characters (messages stay one short line)."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 4] + "…" + text[-3:]


def decode(raw: bytes, name: str) -> str:
    """UTF-8 text without a byte-order mark; errors name the true line."""
    if len(raw) > MAX_BYTES:
        raise YAMLInputError(f"{name}:1: file is {len(raw):,} bytes, more than the {MAX_BYTES:,} allowed: "
                             f"split it or remove what does not belong")
    if raw.startswith(b"\xef\xbb\xbf"):
        raise YAMLInputError(f"{name}:1: the file starts with a byte-order mark (BOM): save it as UTF-8 "
                             f"without BOM (most editors: 'UTF-8', not 'UTF-8 with BOM')")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise YAMLInputError(f"{name}:{line}: not UTF-8 text ({error.reason} at byte {error.start}): "
                             f"save the file as UTF-8") from None


def read(path: Path, name: str) -> str:
    return decode(Path(path).read_bytes(), name)


@dataclass
class Parsed:
    node: yaml.Node | None
    data: Any


def parse(text: str, name: str, first_line: int = 1) -> Parsed:
    """Compose and construct ``text``; ``first_line`` is the file line of its
    first line (front matter starts on line 2)."""
    def where(mark) -> int:
        return (mark.line if mark else 0) + first_line

    tab = next((i for i, line in enumerate(text.split("\n")) if "\t" in line[:len(line) - len(line.lstrip())]), None)
    if tab is not None:
        raise YAMLInputError(f"{name}:{tab + first_line}: a tab character in the indentation: YAML indents "
                             f"with spaces only; replace the tab with spaces")
    try:
        # Anchors, aliases and tags are refused from the event stream, which
        # is read in one linear pass, before any node is composed.
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.AliasEvent):
                raise YAMLInputError(f"{name}:{where(event.start_mark)}: YAML alias *{shorten(event.anchor, 30)[1:-1]} "
                                     f"is not allowed: write the value out in full")
            anchor = getattr(event, "anchor", None)
            if anchor is not None:
                raise YAMLInputError(f"{name}:{where(event.start_mark)}: YAML anchor &{shorten(anchor, 30)[1:-1]} "
                                     f"is not allowed: write each value out in full")
            tag = getattr(event, "tag", None)
            if tag is not None:  # only an explicit tag (!ENV, !!python/…) sets it
                raise YAMLInputError(f"{name}:{where(event.start_mark)}: YAML tag {shorten(tag, 40)} is not allowed: "
                                     f"write a plain value (quote it if it starts with !)")
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            if node is not None:
                _reject_duplicate_keys(node, name, first_line)
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        problem = " ".join(filter(None, [error.context, error.problem]))
        if "'\\t'" in problem or "tab" in problem:
            problem += " (a tab character: YAML indents with spaces only)"
        raise YAMLInputError(f"{name}:{where(mark)}: YAML syntax error: {problem}") from None
    except yaml.YAMLError as error:
        raise YAMLInputError(f"{name}:{first_line}: YAML error: {shorten(str(error), 120)}") from None
    return Parsed(node, data)


def _reject_duplicate_keys(node: yaml.Node, name: str, first_line: int) -> None:
    # PyYAML silently keeps the last of two equal keys; an editor's copy-paste
    # slip must not silently drop a translation or publish the second value.
    # Iterative: nesting depth is the editor's to choose.
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, yaml.MappingNode):
            seen: dict[str, int] = {}
            for key, value in current.value:
                if isinstance(key, yaml.ScalarNode) and key.tag == "tag:yaml.org,2002:merge":
                    raise YAMLInputError(f"{name}:{key.start_mark.line + first_line}: the YAML merge key << is not "
                                         f"allowed: write each value out in full")
                if isinstance(key, yaml.ScalarNode):
                    line = key.start_mark.line + first_line
                    if key.value in seen:
                        raise YAMLInputError(f"{name}:{line}: duplicate key {shorten(key.value, 40)} (first at line "
                                             f"{seen[key.value]}): keep one")
                    seen[key.value] = line
                else:
                    raise YAMLInputError(f"{name}:{key.start_mark.line + first_line}: a key must be plain text")
                stack.append(value)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
