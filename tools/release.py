"""Everything a release needs, in order, with sizes reported.

1. ``pdf``: dist/guide-ar.pdf, dist/guide-en.pdf (recorded in dist/downloads.json);
2. ``epub``: dist/guide-ar.epub, dist/guide-en.epub, each checked by EPUBCheck
   (any error or warning stops the release);
3. ``offline``: dist/guide-offline.zip (+ .sha256), which includes the PDFs and EPUBs;
4. the site build (strict), which reads the manifest: every page links the
   downloads with their sizes and the files are copied to ``downloads/``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from guide.publish import downloads, epub, offline, pdf
from guide.engine import build_site

ROOT = Path(__file__).resolve().parent.parent


def add_arguments(parser) -> None:
    parser.add_argument("--site-dir", default="site", help="where the final site goes (default: site)")
    parser.add_argument("--budget-mb", type=float, default=offline.BUDGET_MB, help="offline archive size budget")


def main(args) -> int:
    out_dir = downloads.dist_dir()
    try:
        pdf.build_pdfs(out_dir)
        epub.build_epubs(out_dir, check=True)
        offline.build_offline(out_dir, args.budget_mb)
    except (pdf.PdfError, epub.EpubError, offline.OfflineError, downloads.ManifestError) as exc:
        print(f"release: error: {exc}", file=sys.stderr)
        return 1
    proc = build_site(ROOT / args.site_dir, env={"GUIDE_DIST_DIR": str(out_dir)})
    if proc.returncode:
        sys.stderr.write(proc.stderr[-6000:])
        print(f"release: site build failed (exit {proc.returncode})", file=sys.stderr)
        return proc.returncode
    print("release: sizes")
    for entry in downloads.load_manifest(out_dir) or []:
        print(f"  {entry['file']:<22} {entry['bytes'] / 1e6:6.2f} MB  sha256 {entry['sha256'][:16]}…")
    print(f"release: site with downloads in {args.site_dir}/ (built {entry['built']}, commit {entry['commit']})")
    return 0
