"""The EPUB opened in a real reading system, Foliate (Debian package ``foliate``,
GTK + WebKit), under Xvfb, and photographed for the contact sheet.

    python -m tools epub-screenshot                 # dist/guide-ar.epub
    python -m tools epub-screenshot --epub dist/guide-en.epub --at strategy --at strategy:guide-mandates

For each place (``--at``: the cover, or a page of the book by its file name
without ``.xhtml``) Foliate starts with a fresh profile in a temporary HOME:
single-page layout at phone-like proportions, the publisher's fonts on (so
what shows is the book's embedded fonts, not Foliate's own), and the book's
last-read position set to that page (Foliate keeps it per book identifier).
The screen is then saved as ``test-artifacts/layout/epub-<lang>-<place>.png``
(GTK's own screen grab via ``gjs``, which Foliate brings).

Not part of ``make test``: Foliate is not in .ci/system-deps (a person looks
at the pictures; the EPUB's structure is tested in tests/test_epub.py).
Needs ``foliate``, ``xvfb-run`` and ``dbus-run-session`` (Debian: foliate, xvfb, dbus).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "test-artifacts" / "layout"
SCREEN = (640, 960)
SETTINGS = """[com/github/johnfactotum/Foliate/view]
use-publisher-font=true
layout='single'
enable-footnote=true
[com/github/johnfactotum/Foliate/window-state]
width={width}
height={height}
maximized=true
"""
GRAB = """imports.gi.versions.Gtk = '3.0';
imports.gi.versions.Gdk = '3.0';
const { Gtk, Gdk } = imports.gi;
Gtk.init(null);
const root = Gdk.get_default_root_window();
Gdk.pixbuf_get_from_window(root, 0, 0, root.get_width(), root.get_height()).savev(ARGV[0], 'png', [], []);
"""
SESSION = """foliate "$1" >/dev/null 2>&1 & pid=$!
sleep "$3"
gjs "$4" "$2"
kill $pid 2>/dev/null; wait $pid 2>/dev/null; true
"""


def add_arguments(parser) -> None:
    parser.add_argument("--epub", default=str(ROOT / "dist" / "guide-ar.epub"), help="the EPUB (default: dist/guide-ar.epub)")
    parser.add_argument("--at", action="append",
                        help="'cover', a page (file name without .xhtml), or page:class (the first box with that "
                             "class); repeatable (default: cover, strategy, strategy:guide-mandates, strategy:guide-questions)")
    parser.add_argument("--out-dir", default=str(OUT), help="where the PNGs go (default: test-artifacts/layout)")
    parser.add_argument("--wait", type=float, default=20.0, help="seconds to let Foliate open and lay out the book")


def book_facts(epub: Path) -> tuple[str, str, list[str]]:
    """(identifier, language, spine file names) from the package document."""
    with zipfile.ZipFile(epub) as zf:
        container = zf.read("META-INF/container.xml").decode()
        opf_path = re.search(r'full-path="([^"]+)"', container).group(1)
        opf = zf.read(opf_path).decode()
    identifier = re.search(r"<dc:identifier[^>]*>([^<]+)</dc:identifier>", opf).group(1)
    lang = re.search(r"<dc:language>([^<]+)</dc:language>", opf).group(1)
    items = dict(re.findall(r'<item id="([^"]+)" href="([^"]+)"', opf))
    spine = [items[i] for i in re.findall(r'<itemref idref="([^"]+)"', opf)]
    return identifier, lang, spine


def box_steps(epub: Path, name: str, css_class: str) -> str:
    """CFI steps inside a document to the first element with ``css_class`` (a
    child of the body's section, as the book's pages are built)."""
    import xml.etree.ElementTree as ET

    ns = "{http://www.w3.org/1999/xhtml}"
    with zipfile.ZipFile(epub) as zf:
        opf = next(n for n in zf.namelist() if n.endswith(".opf"))
        root = ET.fromstring(zf.read(str(Path(opf).parent / name)))
    body = root.find(f"{ns}body")
    section = [c for c in body][0]
    for index, child in enumerate(section):
        if css_class in (child.get("class") or "").split():
            return f"/4/2/{2 * (index + 1)}"
    raise RuntimeError(f"{name}: no element with class {css_class!r} in its section")


def screenshot(epub: Path, place: str, target: Path, wait: float = 20.0) -> Path:
    for tool in ("foliate", "xvfb-run", "dbus-run-session", "gjs"):
        if not shutil.which(tool):
            raise RuntimeError(f"{tool} not found: apt-get install foliate xvfb dbus")
    identifier, _, spine = book_facts(epub)
    page, _, box = place.partition(":")
    name = "cover.xhtml" if page == "cover" else f"{page}.xhtml"
    if name not in spine:
        raise RuntimeError(f"{epub.name}: no {name} in the spine ({', '.join(spine)})")
    steps = "/4/1:0"  # the start of the body
    if box:
        steps = box_steps(epub, name, box)
    with tempfile.TemporaryDirectory(prefix="foliate-", ignore_cleanup_errors=True) as tmp:
        home = Path(tmp)
        env = {"HOME": str(home), "XDG_CONFIG_HOME": str(home / "config"), "XDG_DATA_HOME": str(home / "data"),
               "XDG_CACHE_HOME": str(home / "cache"), "GSETTINGS_BACKEND": "keyfile",
               "PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8", "NO_AT_BRIDGE": "1"}
        settings = home / "config" / "glib-2.0" / "settings"
        settings.mkdir(parents=True)
        (settings / "keyfile").write_text(SETTINGS.format(width=SCREEN[0], height=SCREEN[1]), encoding="utf-8")
        # Foliate reopens a book where it was left: an EPUB CFI whose first
        # steps pick the spine item (/6 = spine, /2n = its n-th itemref).
        data = home / "data" / "com.github.johnfactotum.Foliate"
        data.mkdir(parents=True)
        cfi = f"epubcfi(/6/{2 * (spine.index(name) + 1)}!{steps})"
        (data / f"{quote(identifier, safe='')}.json").write_text(json.dumps({"lastLocation": cfi}), encoding="utf-8")
        (home / "grab.js").write_text(GRAB, encoding="utf-8")
        (home / "session.sh").write_text(SESSION, encoding="utf-8")
        shot = home / "shot.png"
        subprocess.run(["xvfb-run", "-a", "-s", f"-screen 0 {SCREEN[0]}x{SCREEN[1]}x24",
                        "dbus-run-session", "--", "sh", str(home / "session.sh"), str(epub.resolve()), str(shot),
                        str(wait), str(home / "grab.js")],
                       env=env, capture_output=True, text=True, timeout=wait + 60)
        if not shot.is_file():
            raise RuntimeError(f"no screen grab for {place} (Foliate did not start?)")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, target)
    return target


def main(args) -> int:
    epub = Path(args.epub)
    if not epub.is_file():
        print(f"epub-screenshot: {epub} not found (make epub)", file=sys.stderr)
        return 1
    _, lang, _ = book_facts(epub)
    for place in args.at or ["cover", "strategy", "strategy:guide-mandates", "strategy:guide-questions"]:
        try:
            target = screenshot(epub, place, Path(args.out_dir) / f"epub-{lang}-{place.replace(':', '-')}.png", args.wait)
        except (RuntimeError, subprocess.TimeoutExpired) as exc:
            print(f"epub-screenshot: error: {exc}", file=sys.stderr)
            return 1
        print(f"epub-screenshot: {target}")
    return 0
