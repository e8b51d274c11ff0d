"""Markdown tables that become cards on phones (plain logic, no MkDocs).

A Markdown table (``<table>`` with no attributes) gets ``data-cards`` and
each body cell a ``data-label`` with its column's header text, so site.css
can stack a row as a card, each field under its column name, on narrow
screens. The data boxes' tables (guide/render/templates/) carry both already.
"""

from __future__ import annotations

import re
from html import escape, unescape

_TABLE = re.compile(r"<table>(.*?)</table>", re.DOTALL)
_HEAD = re.compile(r"<thead>(.*?)</thead>", re.DOTALL)
_HEADER_CELL = re.compile(r"<th\b[^>]*>(.*?)</th>", re.DOTALL)
_ROW = re.compile(r"<tr\b[^>]*>.*?</tr>", re.DOTALL)
_CELL = re.compile(r"<td\b([^>]*)>")
_TAG = re.compile(r"<[^>]+>")


def _text(fragment: str) -> str:
    return " ".join(unescape(_TAG.sub("", fragment)).split())


def label_cells(html: str) -> str:
    """Mark every attribute-less table that has a header row (see module doc)."""

    def table(match: re.Match) -> str:
        inner = match.group(1)
        head = _HEAD.search(inner)
        if not head:
            return match.group(0)
        labels = [_text(cell) for cell in _HEADER_CELL.findall(head.group(1))]

        def row(row_match: re.Match) -> str:
            column = iter(range(len(labels) + 1000))

            def cell(cell_match: re.Match) -> str:
                index = next(column)
                if index >= len(labels) or "data-label" in cell_match.group(1):
                    return cell_match.group(0)
                return f'<td{cell_match.group(1)} data-label="{escape(labels[index])}">'

            return _CELL.sub(cell, row_match.group(0))

        body = _ROW.sub(row, inner[head.end():])
        return f"<table data-cards>{inner[:head.end()]}{body}</table>"

    return _TABLE.sub(table, html)
