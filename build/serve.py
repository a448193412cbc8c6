"""Serve the built site from 127.0.0.1, as a static host would: `python build/serve.py`.

Also mounts the same folder under a sub-path (`--prefix /some-repo/`), as GitHub Pages does
for a project site. No caching headers beyond what http.server sends; nothing but files.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import mimetypes
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "site"
mimetypes.add_type("application/wasm", ".wasm")
mimetypes.add_type("text/javascript", ".js")
mimetypes.add_type("text/javascript", ".mjs")
mimetypes.add_type("application/manifest+json", ".webmanifest")


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    prefixes: tuple[str, ...] = ()
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".wasm": "application/wasm", ".js": "text/javascript",
                      ".webmanifest": "application/manifest+json"}

    def translate_path(self, path: str) -> str:
        for prefix in self.prefixes:
            if path.startswith(prefix):
                path = "/" + path[len(prefix):]
                break
        return super().translate_path(path)

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - http.server's name
        if self.server.verbose:  # type: ignore[attr-defined]
            super().log_message(format, *args)


def make_server(root: Path, port: int, prefixes: tuple[str, ...] = (), verbose: bool = False,
                host: str = "127.0.0.1") -> http.server.ThreadingHTTPServer:
    handler = functools.partial(SiteHandler, directory=str(root))
    SiteHandler.prefixes = tuple("/" + p.strip("/") + "/" for p in prefixes if p.strip("/"))
    server = http.server.ThreadingHTTPServer((host, port), handler)
    server.verbose = verbose  # type: ignore[attr-defined]
    return server


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--root", type=Path, default=ROOT)
    parser.add_argument("--prefix", action="append", default=[], help="also serve under this path")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    if args.root == ROOT and not (ROOT / "pyodide" / "pyodide-lock.json").exists():
        print(f"{args.root} is not built yet: run `make site` first.", file=sys.stderr)
        return 1
    server = make_server(args.root, args.port, tuple(args.prefix), verbose=not args.quiet)
    host, port = server.server_address[:2]
    print(f"Serving {args.root} at http://{host}:{port}/", flush=True)
    for prefix in SiteHandler.prefixes:
        print(f"  and at http://{host}:{port}{prefix}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
