"""The site build prerenders the page with Node.js, and says so clearly when it cannot."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import make_site
import pytest
from sitebuilder.fetch import BuildError

SITE = Path(__file__).resolve().parents[2] / "site"


def test_without_node_the_build_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(make_site.shutil, "which", lambda name: None)
    with pytest.raises(BuildError, match=r"Node\.js 18 or later .*none found.*--no-prerender"):
        make_site.node()


def test_too_old_a_node_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(make_site.shutil, "which", lambda name: "/usr/bin/node")
    monkeypatch.setattr(make_site.subprocess, "run", lambda *a, **k: subprocess.CompletedProcess(
        a, 0, stdout="v16.20.2\n", stderr=""))
    with pytest.raises(BuildError, match="found v16.20.2"):
        make_site.node()


@pytest.mark.skipif(not (SITE / "prerender" / "full.json").exists(),
                    reason="site/ is not built: run `make site`")
@pytest.mark.parametrize(("name", "query"), [("full", ""), ("embed", "embed")])
def test_the_built_prerenders_are_the_default_link_s(name: str, query: str) -> None:
    page = json.loads((SITE / "prerender" / f"{name}.json").read_text())
    assert page["query"] == query
    assert "dataset=circle" in page["hash"]
    assert "networkShape=4,2" in page["hash"]
    assert set(page["targets"]) >= {"lines", "loss", "epoch", "play", "step", "reset"}
    doc = json.loads(page["docs_json"])
    ids = {m["id"] for m in _models(doc)}
    assert set(page["targets"].values()) <= ids  # every target is a model of the document
    assert page["site"] in page["docs_json"]  # the marker the page replaces
    assert "https://" not in page["docs_json"]


def _models(obj):
    if isinstance(obj, dict):
        if obj.get("type") == "object" and "id" in obj:
            yield obj
        for value in obj.values():
            yield from _models(value)
    elif isinstance(obj, list):
        for value in obj:
            yield from _models(value)
