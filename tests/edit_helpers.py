"""Hand edits of project files for test set-ups that the CLI would take many steps (and approvals) to reach."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import git, run_cli

from storeops import yamlio
from storeops.repo import PROJECT_MODELINE


def edit(stores: Path, project_id: str, change, message: str = "hand edit") -> dict:
    """Load projects/<id>.yaml, let `change(data)` modify it, write it back canonically and commit."""
    path = stores / "projects" / f"{project_id}.yaml"
    data = yamlio.load(path)
    change(data)
    path.write_text(PROJECT_MODELINE + yamlio.dumps(data))
    git(stores, "add", str(path))
    git(stores, "commit", "-qm", message)
    return data


def set_states(stores: Path, project_id: str, states: dict) -> dict:
    """Put tasks in the given states; a gated task set to done gets a valid approval too."""
    def change(data):
        for task in data["tasks"]:
            if task["id"] in states:
                task["state"] = states[task["id"]]
                if states[task["id"]] == "done" and task.get("requires_approval") == "finance":
                    task["approvals"] = [{"by": "carol", "role": "finance", "at": "2026-11-05"}]
    return edit(stores, project_id, change, f"set states of {project_id}")


def at_review(stores: Path, project_id: str) -> None:
    """mini: everything before the platform review done, the review submitted."""
    set_states(stores, project_id, {"licence": "done", "bank": "done", "brand": "skipped", "video": "done",
                                    "review": "submitted"})


def status_of(stores: Path, project_id: str) -> str:
    result = run_cli("-C", str(stores), "status", project_id, "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)["project"]["status"]


def project_data(stores: Path, project_id: str) -> dict:
    return yamlio.load(stores / "projects" / f"{project_id}.yaml")


def today(stores: Path) -> str:
    return json.loads(run_cli("-C", str(stores), "status", "--json").stdout)["today"]
