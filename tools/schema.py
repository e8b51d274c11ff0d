"""Publish the data files' schemas as JSON Schema (``data/schema/<name>.schema.json``).

    python -m tools schema            # (re)write the schema files
    python -m tools schema --check    # exit 1 if a published schema is stale

The pydantic models in ``guide/data/models.py`` are the source of truth; the JSON
files let editors' YAML tooling (yaml-language-server) check and complete
``data/*.yml`` while typing. Each data file names its schema on line 1.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from guide.data.models import FILES

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_DIR = ROOT / "data" / "schema"


def add_arguments(parser) -> None:
    parser.add_argument("--check", action="store_true", help="fail if data/schema/ is out of date")


def schema_text(stem: str) -> str:
    model = FILES[stem][0]
    schema = model.model_json_schema()
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{stem}.schema.json",
        **schema,
        "title": f"data/{stem}.yml",
        "description": "Generated from guide/data/models.py by `python -m tools schema`; do not edit by hand.",
    }
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def schemas() -> dict[Path, str]:
    return {SCHEMA_DIR / f"{stem}.schema.json": schema_text(stem) for stem in FILES}


def stale(directory: Path = SCHEMA_DIR) -> list[str]:
    """Names of schema files that are missing or differ from the models."""
    out = []
    for path, text in schemas().items():
        target = directory / path.name
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            out.append(path.name)
    return out


def main(args) -> int:
    if args.check:
        names = stale()
        if names:
            print(f"data/schema/ is out of date ({', '.join(names)}): run `python -m tools schema`",
                  file=sys.stderr)
            return 1
        print("data/schema/ is up to date")
        return 0
    SCHEMA_DIR.mkdir(parents=True, exist_ok=True)
    for path, text in schemas().items():
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")
    return 0
