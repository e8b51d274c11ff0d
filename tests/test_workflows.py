"""CI configuration (issue 7.6): the workflows and the pre-commit config parse,
have the expected triggers and jobs, and every command they run exists in the
repository (scripts, make targets, `python -m tools` subcommands, schemas)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import yaml

from tools.cli import COMMANDS

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"


def load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path}: not a YAML mapping"
    return data


def triggers(workflow: dict) -> dict:
    # PyYAML reads the bare key `on` as the boolean True (YAML 1.1).
    on = workflow.get("on", workflow.get(True))
    return {on: None} if isinstance(on, str) else dict(on or {})


def make_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    return {m.group(1) for m in re.finditer(r"^([A-Za-z0-9_.-]+)\s*:(?!=)", text, re.MULTILINE)}


def steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def command_problems(script: str, where: str) -> list[str]:
    """Commands in a `run:` script (or hook entry) that do not exist in the repo."""
    problems = []
    targets = make_targets()
    for line in script.splitlines():
        line = line.split(" #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        for part in re.split(r"&&|\|\||;|\|", line):
            words = shlex.split(part.replace("$", "_"))  # variables do not matter here
            if not words:
                continue
            if words[0] in ("bash", "sh") and len(words) > 1 and not (ROOT / words[1]).is_file():
                problems.append(f"{where}: script {words[1]} does not exist")
            if words[0] == "make":
                for target in [w for w in words[1:] if not w.startswith("-") and "=" not in w]:
                    if target not in targets:
                        problems.append(f"{where}: make target '{target}' not in Makefile")
            if words[0].endswith("python") and words[1:3] == ["-m", "tools"]:
                sub = words[3] if len(words) > 3 else None
                if sub not in COMMANDS:
                    problems.append(f"{where}: 'python -m tools {sub}' is not a subcommand in tools/cli.py")
            if words[0].startswith("./") or (words[0].startswith(".") and "/" in words[0]
                                              and not words[0].startswith(".venv/")):
                if not (ROOT / words[0]).exists():
                    problems.append(f"{where}: {words[0]} does not exist")
    return problems


@pytest.fixture(scope="module")
def pr() -> dict:
    return load(WORKFLOWS / "pr.yml")


@pytest.fixture(scope="module")
def deploy() -> dict:
    return load(WORKFLOWS / "deploy.yml")


def test_pr_runs_the_local_ci_script_on_every_pull_request(pr):
    assert "pull_request" in triggers(pr)
    runs = [step.get("run", "") for step in steps(pr)]
    assert any(run.strip() == "bash .ci/run" for run in runs), runs
    checkout = next(s for s in steps(pr) if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout.get("with", {}).get("fetch-depth") == 0, "git dates need the full history"


def test_pr_uploads_the_site_and_the_offline_zip(pr):
    uploads = [s for s in steps(pr) if s.get("uses", "").startswith("actions/upload-artifact@")]
    paths = {str(s["with"]["path"]).rstrip("/") for s in uploads}
    assert {"site", "dist/guide-offline.zip"} <= paths
    offline = next(s for s in uploads if s["with"]["path"] == "dist/guide-offline.zip")
    assert offline["with"].get("if-no-files-found") == "ignore"
    # The site artefact must be built before it is uploaded.
    names = [s.get("run", s.get("uses", "")) for s in steps(pr)]
    build = next(i for i, n in enumerate(names) if re.search(r"make build|tools (build|release)", n))
    site_upload = next(i for i, s in enumerate(steps(pr)) if s in uploads and str(s["with"]["path"]).startswith("site"))
    assert build < site_upload


def test_deploy_publishes_main_to_pages_with_site_url(deploy):
    on = triggers(deploy)
    assert "main" in on["push"]["branches"]
    assert deploy["permissions"]["pages"] == "write" and deploy["permissions"]["id-token"] == "write"
    assert set(deploy["jobs"]) == {"build", "deploy"}
    uses = [s.get("uses", "") for s in steps(deploy)]
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    assert any(u.startswith("actions/deploy-pages@") for u in deploy["jobs"]["deploy"]["steps"][0].values())
    build = next(s for s in steps(deploy) if "run" in s and re.search(r"make build|tools (build|release)", s["run"]))
    assert "steps.pages.outputs.base_url" in build["env"]["SITE_URL"]
    assert any(u.startswith("actions/configure-pages@") for u in uses)
    assert deploy["jobs"]["deploy"]["needs"] == "build"


@pytest.mark.parametrize("name", ["pr.yml", "deploy.yml"])
def test_actions_pinned_by_major_version(name):
    for step in steps(load(WORKFLOWS / name)):
        if "uses" in step:
            assert re.fullmatch(r"[\w.-]+/[\w./-]+@v\d+", step["uses"]), f"{name}: {step['uses']} not pinned to a major"


@pytest.mark.parametrize("name", ["pr.yml", "deploy.yml"])
def test_every_run_command_exists(name):
    problems = []
    for i, step in enumerate(steps(load(WORKFLOWS / name))):
        if "run" in step:
            problems += command_problems(step["run"], f"{name} step {i + 1} ({step.get('name', '')})")
    assert problems == []


def test_command_checker_catches_missing_things():
    # The checker itself must fail on commands that do not exist.
    found = command_problems("bash .ci/nope\nmake deploy-everything\n.venv/bin/python -m tools frobnicate",
                             "example")
    assert len(found) == 3, found


def test_pre_commit_config():
    config = load(ROOT / ".pre-commit-config.yaml")
    repos = config["repos"]
    hooks = {hook["id"]: (repo, hook) for repo in repos for hook in repo["hooks"]}
    assert {"trailing-whitespace", "end-of-file-fixer", "check-jsonschema", "parity"} <= set(hooks)
    for repo in repos:
        if repo["repo"] == "local":
            for hook in repo["hooks"]:
                assert command_problems(hook["entry"], f"pre-commit hook {hook['id']}") == []
                assert "python -m tools" in hook["entry"] or Path(ROOT / hook["entry"].split()[0]).exists()
        else:
            assert re.fullmatch(r"v?\d+(\.\d+)+", str(repo["rev"])), f"{repo['repo']}: pin a release tag"
    # Each schema hook points at a schema that exists and a data file that exists.
    for repo in repos:
        for hook in repo["hooks"]:
            if hook["id"] == "check-jsonschema":
                schema = hook["args"][hook["args"].index("--schemafile") + 1]
                assert (ROOT / schema).is_file(), f"{hook['name']}: {schema} missing"
                target = hook["files"].strip("^$").replace("\\.", ".")
                assert (ROOT / target).is_file(), f"{hook['name']}: {target} missing"


def test_schema_hooks_pass_on_the_current_data():
    # What the check-jsonschema hooks will do, with the pinned jsonschema library:
    # the mapping of data file -> schema in the config is right and the data validates.
    import json

    import jsonschema

    config = load(ROOT / ".pre-commit-config.yaml")
    checked = []
    for repo in config["repos"]:
        for hook in repo["hooks"]:
            if hook["id"] != "check-jsonschema":
                continue
            schema = json.loads((ROOT / hook["args"][hook["args"].index("--schemafile") + 1]).read_text(encoding="utf-8"))
            target = ROOT / hook["files"].strip("^$").replace("\\.", ".")
            validator = jsonschema.validators.validator_for(schema)(schema)
            errors = [e.message for e in validator.iter_errors(yaml.safe_load(target.read_text(encoding="utf-8")))]
            assert errors == [], f"{target.name}: {errors[:3]}"
            checked.append(target.name)
    # Every data file has a schema hook.
    assert sorted(checked) == sorted(p.name for p in (ROOT / "data").glob("*.yml"))


def test_pr_keeps_the_layout_contact_sheet_even_when_tests_fail(pr):
    # tests/test_layout.py writes it; a person reviews the whole site from it.
    uploads = [s for s in steps(pr) if s.get("uses", "").startswith("actions/upload-artifact@")]
    sheet = [s for s in uploads if str(s["with"]["path"]).rstrip("/") == "test-artifacts/layout"]
    assert sheet and sheet[0].get("if") == "always()"
    tests = next(i for i, s in enumerate(steps(pr)) if "bash .ci/run" in str(s.get("run", "")))
    assert steps(pr).index(sheet[0]) > tests
