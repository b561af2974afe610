"""The GitHub Pages workflow parses, builds with the command the README documents, and deploys with GitHub's Pages actions."""

from __future__ import annotations

import re
import shlex

import yaml

from studio.site.runtime import REPO_ROOT

WORKFLOW = REPO_ROOT / ".github/workflows/pages.yml"


def _workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def _steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def _build_command(workflow: dict) -> str:
    commands = [line.strip() for step in _steps(workflow) for line in str(step.get("run", "")).splitlines()]
    builds = [c for c in commands if "studio build" in c]
    assert len(builds) == 1, builds
    return builds[0]


def test_workflow_is_yaml_with_push_and_manual_triggers():
    workflow = _workflow()
    # PyYAML reads the bare key `on` as True (YAML 1.1): accept either spelling.
    triggers = workflow.get("on", workflow.get(True))
    assert "push" in triggers and "workflow_dispatch" in triggers
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}


def test_build_command_is_the_one_the_readme_documents():
    command = _build_command(_workflow())
    assert shlex.split(command) == ["python", "-m", "studio", "build", "--out", "_site"]
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", readme, flags=re.S)
    assert any(command in block.splitlines() for block in blocks), "README does not show the workflow's build command"


def test_deploys_the_built_folder_with_the_official_pages_actions():
    workflow = _workflow()
    uses = {str(step.get("uses", "")).split("@")[0]: step for step in _steps(workflow)}
    for action in ("actions/configure-pages", "actions/upload-pages-artifact", "actions/deploy-pages"):
        assert action in uses, action
    out = shlex.split(_build_command(workflow))[-1]
    assert uses["actions/upload-pages-artifact"]["with"]["path"] == out
    assert workflow["jobs"]["deploy"]["environment"]["name"] == "github-pages"
