"""The last results of the steps that check or rewrite a finished page, kept
across the rebuilds of ``make serve``.

``mkdocs serve`` rebuilds every page of every language on each edit, and the
page steps (the HTML allowlist, the rewriters, font preloads, the CSP) are
functions of the page's HTML and a few settings only. A page that did not
change gets its last result back instead of being parsed again. A step that
raises is not remembered: a failing page fails on every build. A one-shot
build pays one dictionary lookup per step and page.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

T = TypeVar("T")

# About 4 steps x 26 pages x a few languages, and the pages of the last few
# builds; cleared whole when full (the next build refills it).
LIMIT = 1024
_RESULTS: dict[tuple, object] = {}


def remembered(step: str, inputs: tuple[Hashable, ...], compute: Callable[[], T]) -> T:
    """``compute()``, or its result from an earlier call with the same ``step``
    and ``inputs`` (which must hold everything the result depends on)."""
    key = (step, *inputs)
    if key in _RESULTS:
        return _RESULTS[key]  # type: ignore[return-value]
    result = compute()
    if len(_RESULTS) >= LIMIT:
        _RESULTS.clear()
    _RESULTS[key] = result
    return result


class _Same:
    __slots__ = ("obj",)

    def __init__(self, obj: object) -> None:
        self.obj = obj

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Same) and other.obj is self.obj

    def __hash__(self) -> int:
        return id(self.obj)


def same(obj: object) -> Hashable:
    """``obj`` as an input that matches only itself, not an equal object: the
    language registry is one object per read of mkdocs.yml, and its equality
    leaves out facts the steps read (a language's ``runs``)."""
    return _Same(obj)

