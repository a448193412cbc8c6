"""axe-core for the accessibility tests: fetched once from the npm registry, verified, cached.

Test side only: the site never ships or loads it. The tests inject `axe.min.js` into the page
(`page.add_script_tag(content=...)`), so the page makes no request for it.

The tarball is the registry's `axe-core-<version>.tgz`, checked against the integrity hash the
registry publishes for it (sha512, as in `npm view axe-core@<version> dist.integrity`); only
`package/axe.min.js` is kept (its sha256 pinned too, checked at every use), in
$PLAYGROUND_CACHE (else ~/.cache/nn-playground)/axe-core-<version>/. Nothing is written into
the repository.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import tarfile
import urllib.request
from pathlib import Path

VERSION = "4.14.1"
TARBALL_URL = f"https://registry.npmjs.org/axe-core/-/axe-core-{VERSION}.tgz"
# The registry's dist.integrity for that tarball.
INTEGRITY = ("sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe"
             "37OgudVGtQ==")
MEMBER = "package/axe.min.js"
SCRIPT_SHA256 = "29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c"  # that member


def cache_dir() -> Path:
    root = os.environ.get("PLAYGROUND_CACHE") or Path.home() / ".cache" / "nn-playground"
    return Path(root) / f"axe-core-{VERSION}"


def _integrity(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def _download() -> bytes:
    try:
        with urllib.request.urlopen(TARBALL_URL, timeout=60) as response:
            return response.read()
    except OSError as exc:
        raise RuntimeError(
            f"The accessibility tests need axe-core {VERSION}, which is not cached in "
            f"{cache_dir()} and could not be downloaded from {TARBALL_URL}: {exc}.\n"
            "Run the tests once with access to the npm registry, or put axe.min.js from that "
            "tarball in that folder."
        ) from exc


def axe_source() -> str:
    """The text of axe.min.js, downloading and verifying the tarball when not cached."""
    folder = cache_dir()
    script = folder / "axe.min.js"
    if script.exists():
        data = script.read_bytes()
        if hashlib.sha256(data).hexdigest() == SCRIPT_SHA256:
            return data.decode("utf-8")
        script.unlink()  # corrupt or another version: fetch it again
    data = _download()
    actual = _integrity(data)
    if actual != INTEGRITY:
        raise RuntimeError(f"axe-core {VERSION} from {TARBALL_URL} is not the pinned tarball:\n"
                           f"  expected {INTEGRITY}\n  got      {actual}")
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        member = tar.extractfile(MEMBER)
        if member is None:
            raise RuntimeError(f"{TARBALL_URL} has no {MEMBER}")
        script_data = member.read()
    if hashlib.sha256(script_data).hexdigest() != SCRIPT_SHA256:
        raise RuntimeError(f"{MEMBER} in {TARBALL_URL} is not the pinned file")
    folder.mkdir(parents=True, exist_ok=True)
    tmp = script.with_suffix(".tmp")
    tmp.write_bytes(script_data)
    tmp.replace(script)
    return script_data.decode("utf-8")
