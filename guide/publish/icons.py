"""The web app's PNG icons, drawn from the guide's logo (docs/assets/images/logo.svg).

``python -m tools icons`` writes ``overrides/assets/images/icon-192.png`` and
``icon-512.png`` (committed; the theme copies them into the site). The logo is
one SVG path of straight lines (M, L, H, V, Z in absolute and relative form);
this module reads that path, fills it white on the guide's primary colour with
the even-odd rule, anti-aliased (4 sub-rows per pixel, exact coverage across
each row), and writes an opaque PNG with the standard library only, so the
result is the same bytes on every machine (a test re-draws and compares). The
logo fills the middle 56% of the square: inside the safe zone of a "maskable"
icon (a circle of 80%), so one image serves both purposes.
"""

from __future__ import annotations

import re
import struct
import zlib
from pathlib import Path
from xml.etree import ElementTree

from guide.theme import material

SIZES = (192, 512)
BACKGROUND = tuple(bytes.fromhex(material.PRIMARY_COLOR[1:]))  # the theme's primary colour
FOREGROUND = (0xFF, 0xFF, 0xFF)
LOGO_SHARE = 0.56
SUBROWS = 4
_TOKEN = re.compile(r"[MmLlHhVvZz]|-?(?:\d+\.?\d*|\.\d+)")


class IconError(Exception):
    """The logo is not one path of straight lines this module can draw."""


def logo_polygons(svg_text: str) -> tuple[list[list[tuple[float, float]]], tuple[float, float, float, float]]:
    """The closed polygons of the logo's path and its viewBox."""
    root = ElementTree.fromstring(svg_text)
    view = [float(v) for v in (root.get("viewBox") or "0 0 24 24").replace(",", " ").split()]
    paths = [el for el in root.iter() if el.tag.rsplit("}", 1)[-1] == "path"]
    if len(paths) != 1 or not paths[0].get("d"):
        raise IconError("logo.svg: expected exactly one <path d=…>")
    tokens = _TOKEN.findall(paths[0].get("d"))
    polygons, current, x, y, start, command, i = [], [], 0.0, 0.0, (0.0, 0.0), None, 0
    while i < len(tokens):
        if tokens[i].isalpha():
            command = tokens[i]
            i += 1
            if command in "Zz":
                if current:
                    polygons.append(current)
                current, (x, y) = [], start
                continue
        if command is None:
            raise IconError("logo.svg: path data starts without a command")
        relative = command.islower()
        kind = command.upper()
        if kind in "ML":
            dx, dy = float(tokens[i]), float(tokens[i + 1])
            i += 2
            x, y = (x + dx, y + dy) if relative else (dx, dy)
            if kind == "M":
                if current:
                    polygons.append(current)
                current, start = [(x, y)], (x, y)
                command = "l" if relative else "L"  # further pairs are lines
                continue
        elif kind == "H":
            value = float(tokens[i])
            i += 1
            x = x + value if relative else value
        elif kind == "V":
            value = float(tokens[i])
            i += 1
            y = y + value if relative else value
        else:
            raise IconError(f"logo.svg: path command {command!r} is not a straight line")
        current.append((x, y))
    if current:
        polygons.append(current)
    return polygons, (view[0], view[1], view[2], view[3])


def _bounds(polygons):
    xs = [p[0] for poly in polygons for p in poly]
    ys = [p[1] for poly in polygons for p in poly]
    return min(xs), min(ys), max(xs), max(ys)


def coverage(polygons, size: int) -> list[list[float]]:
    """Per pixel, the share of it inside the logo (even-odd), the logo centred
    and scaled so its larger side is LOGO_SHARE of ``size``."""
    x0, y0, x1, y1 = _bounds(polygons)
    scale = LOGO_SHARE * size / max(x1 - x0, y1 - y0)
    ox = (size - (x1 - x0) * scale) / 2 - x0 * scale
    oy = (size - (y1 - y0) * scale) / 2 - y0 * scale
    edges = []
    for poly in polygons:
        for (ax, ay), (bx, by) in zip(poly, poly[1:] + poly[:1]):
            ax, ay, bx, by = ax * scale + ox, ay * scale + oy, bx * scale + ox, by * scale + oy
            if ay != by:
                edges.append((ax, ay, bx, by))
    grid = [[0.0] * size for _ in range(size)]
    weight = 1.0 / SUBROWS
    for row in range(size):
        line = grid[row]
        for sub in range(SUBROWS):
            y = row + (sub + 0.5) / SUBROWS
            xs = sorted(ax + (y - ay) * (bx - ax) / (by - ay) for ax, ay, bx, by in edges
                        if (ay <= y < by) or (by <= y < ay))
            for left, right in zip(xs[0::2], xs[1::2]):
                left, right = max(0.0, left), min(float(size), right)
                first, last = int(left), int(right)
                if first == last:
                    if first < size:
                        line[first] += (right - left) * weight
                    continue
                line[first] += (first + 1 - left) * weight
                for px in range(first + 1, last):
                    line[px] += weight
                if last < size:
                    line[last] += (right - last) * weight
    return grid


def png(grid: list[list[float]]) -> bytes:
    """An opaque RGB PNG: the foreground over the background by coverage."""
    rows = []
    for line in grid:
        raw = bytearray(b"\x00")
        for a in line:
            a = min(1.0, a)
            raw += bytes(round(b + (f - b) * a) for b, f in zip(BACKGROUND, FOREGROUND))
        rows.append(bytes(raw))
    height, width = len(grid), len(grid[0])

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
            + chunk(b"IEND", b""))


def render(svg_text: str, size: int) -> bytes:
    polygons, _ = logo_polygons(svg_text)
    return png(coverage(polygons, size))


def write_icons(logo: Path, target_dir: Path) -> list[Path]:
    target_dir.mkdir(parents=True, exist_ok=True)
    text = logo.read_text(encoding="utf-8")
    written = []
    for size in SIZES:
        path = target_dir / f"icon-{size}.png"
        path.write_bytes(render(text, size))
        written.append(path)
    return written


ROOT = Path(__file__).resolve().parents[2]
LOGO = ROOT / "docs" / "assets" / "images" / "logo.svg"
TARGET = ROOT / "overrides" / "assets" / "images"


def add_arguments(parser) -> None:
    parser.add_argument("--check", action="store_true", help="fail if the committed icons differ from a fresh drawing")


def main(args) -> int:
    text = LOGO.read_text(encoding="utf-8")
    stale = [size for size in SIZES if not (TARGET / f"icon-{size}.png").is_file()
             or (TARGET / f"icon-{size}.png").read_bytes() != render(text, size)]
    if args.check:
        for size in stale:
            print(f"overrides/assets/images/icon-{size}.png: differs from logo.svg; run `python -m tools icons`")
        return 1 if stale else 0
    for path in write_icons(LOGO, TARGET):
        print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size:,} bytes)")
    return 0
