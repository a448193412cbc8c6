"""The GitHub Pages workflow builds with `make site` and deploys site/ with the official
actions. A textual check (PyYAML is not a dependency), on the workflow's own lines."""

from __future__ import annotations

import re
from pathlib import Path

WORKFLOW = Path(__file__).resolve().parents[2] / ".github" / "workflows" / "pages.yml"


def lines() -> list[str]:
    text = WORKFLOW.read_text()
    return [line.split(" #")[0].rstrip() for line in text.splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


def index_of(pattern: str) -> int:
    found = [i for i, line in enumerate(lines()) if re.search(pattern, line)]
    assert found, f"{WORKFLOW.name} has no line matching {pattern!r}"
    return found[0]


def test_it_builds_with_make_site_then_uploads_site() -> None:
    build = index_of(r"^\s+-?\s*run:\s*make site\s*$")
    configure = index_of(r"uses:\s*actions/configure-pages@v\d+$")
    upload = index_of(r"uses:\s*actions/upload-pages-artifact@v\d+$")
    assert build < configure < upload
    after = lines()[upload + 1:upload + 4]
    assert any(re.fullmatch(r"\s+path:\s*\.?/?site/?", line) for line in after), after


def test_it_deploys_with_deploy_pages_after_the_build() -> None:
    deploy_job = index_of(r"^  deploy:$")
    assert index_of(r"^\s+needs:\s*\[?build\]?$") > deploy_job
    assert index_of(r"^\s+name:\s*github-pages$") > deploy_job
    assert index_of(r"uses:\s*actions/deploy-pages@v\d+$") > deploy_job


def test_it_has_the_permissions_pages_needs() -> None:
    for permission in (r"pages:\s*write", r"id-token:\s*write", r"contents:\s*read"):
        index_of(rf"^\s+{permission}$")


def test_it_runs_on_pushes_to_main() -> None:
    index_of(r"^\s+branches:\s*\[\s*main\s*\]$")
