"""Downloads are verified by sha256: a corrupt cache is fetched again, a bad source refused."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sitebuilder import fetch, pins


@pytest.fixture(autouse=True)
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PLAYGROUND_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


GOOD = b"the pinned bytes"
GOOD_SHA = hashlib.sha256(GOOD).hexdigest()


def test_verify_names_the_file_on_mismatch(tmp_path: Path) -> None:
    path = tmp_path / "thing.whl"
    path.write_bytes(b"not it")
    with pytest.raises(fetch.BuildError, match=r"sha256 mismatch for thing\.whl"):
        fetch.verify(path, GOOD_SHA, "thing.whl")


def test_a_corrupt_cached_file_is_fetched_again(cache: Path) -> None:
    calls = []

    def fetcher(dest: Path) -> None:
        calls.append(dest)
        (dest / "a.whl").write_bytes(GOOD)

    (cache / "downloads").mkdir(parents=True)
    (cache / "downloads" / "a.whl").write_bytes(b"truncated")
    path = fetch._cached_or_fetch("a.whl", GOOD_SHA, fetcher)
    assert path.read_bytes() == GOOD
    assert len(calls) == 1


def test_a_good_cached_file_is_not_fetched_again(cache: Path) -> None:
    (cache / "downloads").mkdir(parents=True)
    (cache / "downloads" / "a.whl").write_bytes(GOOD)

    def fetcher(dest: Path) -> None:
        raise AssertionError("should not download")

    assert fetch._cached_or_fetch("a.whl", GOOD_SHA, fetcher).read_bytes() == GOOD


def test_a_source_with_other_bytes_is_refused(cache: Path) -> None:
    def fetcher(dest: Path) -> None:
        (dest / "a.whl").write_bytes(b"tampered")

    with pytest.raises(fetch.BuildError, match=r"sha256 mismatch for a\.whl"):
        fetch._cached_or_fetch("a.whl", GOOD_SHA, fetcher)


def test_a_failed_download_says_what_failed(cache: Path) -> None:
    with pytest.raises(fetch.BuildError, match="produced no file"):
        fetch._cached_or_fetch("a.whl", GOOD_SHA, lambda dest: None)


def test_a_tampered_pyodide_tarball_is_refused(monkeypatch: pytest.MonkeyPatch,
                                               tmp_path: Path) -> None:
    def fake_npm(dest: Path) -> None:
        (dest / pins.PYODIDE_NPM_TARBALL).write_bytes(b"not pyodide")

    monkeypatch.setattr(fetch, "_npm_tarball", fake_npm)
    with pytest.raises(fetch.BuildError, match=r"pyodide-0\.27\.7\.tgz"):
        fetch.pyodide_core(tmp_path / "out")


def test_every_pin_has_a_sha256() -> None:
    for wheel in pins.PYPI_WHEELS:
        assert len(wheel.sha256) == 64, wheel.name
        assert wheel.file_name.startswith(wheel.file_name.split("-")[0] + "-" + wheel.version)
    assert all(len(sha) == 64 for sha in pins.PYODIDE_CORE_SHA256.values())
