"""The site fetches nothing from elsewhere, statically: its files name no remote origin in a way
a browser would fetch, and its Content-Security-Policy allows none.

Every `http(s)://` (and `ws(s)://`) in the site's text files (html, js, css, json, svg, the
manifest) must be one of:
- an XML namespace (`http://www.w3.org/2000/svg` and the like: an identifier, never fetched);
- inside a /* comment */ (licence headers of the vendored bundles);
- listed in INERT below, per file, with why it is never fetched. A new URL in a vendored
  bundle (a Bokeh or Panel upgrade) fails here until someone has looked at it.
The hand-written shell (index.html, js/, css/, sw.js, the manifest, icons/) gets no INERT
entries at all. And no file may load anything from another origin the way pages load things:
`<script src=//...>`, `<link href=https://...>`, CSS `@import`/`url()` of a remote file, web
fonts from a font service, analytics.

The browser tests (e2e/test_hardening.py) check the same at run time: five minutes of use make
no request outside the site's origin, and the CSP is in force.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

SITE = Path(__file__).resolve().parents[2] / "site"
TEXT_SUFFIXES = {".html", ".js", ".mjs", ".css", ".json", ".svg", ".webmanifest"}
SHELL = ("index.html", "sw.js", "manifest.webmanifest", "js/", "css/", "icons/")
URL = re.compile(r"""\b(?:https?|wss?|ftp)://[^\s"'`<>()\\{}|,;\[\]]*""", re.IGNORECASE)
XML_NAMESPACES = ("http://www.w3.org/", "http://creativecommons.org/ns#", "http://purl.org/dc/",
                  "http://sodipodi.sourceforge.net/DTD/", "http://www.inkscape.org/namespaces/")
NOT_USED = "a Bokeh/Panel model the playground does not use; the CSP would refuse it anyway"
# file -> {URL as it appears: why it is never fetched}
INERT: dict[str, dict[str, str]] = {
    "pyodide/pyodide.js": {
        "https://cdn.jsdelivr.net/pyodide/v$": "Pyodide's default package CDN (setCdnUrl): "
        "every package the worker loads is in the site's own pyodide-lock.json, from indexURL",
    },
    "vendor/bokeh/bokeh.min.js": {
        "https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-svg.js": f"MathJax: {NOT_USED}",
        "https://cdn.jsdelivr.net/npm/@tabler/icons-webfont@latest": f"TablerIcon: {NOT_USED}",
        "https://maps.googleapis.com/maps/api/js?v=$": f"GMapPlot: {NOT_USED}",
        "https://developers.google.com/maps/documentation/javascript/get-api-key":
            "text of GMapPlot's error message",
        "https://bokeh.org/": "the toolbar logo's link: followed only when clicked",
        "https://docs.bokeh.org/en/latest/docs/user_guide/interaction/tools.html":
            "HelpTool's link: followed only when clicked",
        "http://": "OpenURL's default url (an empty http:// template)",
        "ws://localhost:5006/ws": "the Bokeh server's default websocket, for documents served "
        "by `bokeh serve`: the static page embeds its document, it connects to no server",
    },
    "pyodide/pyodide.asm.js": {
        "ws://": "Emscripten's sockets (SOCKFS) over websockets: only if Python opens a socket",
        "wss://": "Emscripten's sockets (SOCKFS) over websockets: only if Python opens a socket",
    },
    "vendor/bokeh/bokeh-tables.min.js": {
        "http://octopart.com/api/v3/parts/search?apikey=68b25f31&include": "SlickGrid's "
        "RemoteModel example: DataTable never uses it",
    },
    "vendor/bokeh/bokeh-widgets.min.js": {
        "https://redux.js.org/Errors?code=": "text of an error message",
    },
    "vendor/panel/1.7.5/dist/panel.min.js": {
        "http://foo.com": "a dummy base for parsing relative URLs, never requested",
        "http://foo.com/": "a dummy base for parsing relative URLs, never requested",
        "http://panel.pyviz.org": f"Tabulator's remote pagination: {NOT_USED}",
    },
}
INERT["pyodide/pyodide.mjs"] = INERT["pyodide/pyodide.js"]
# Ways a page fetches from elsewhere (an origin given in full, or `//host`).
REMOTE = r"""["']?\s*(?:(?:https?|wss?|ftp):)?//"""
FETCHING = {
    "a script, stylesheet, image or frame with a remote src/href":
        re.compile(r"<(?:script|link|img|iframe|frame|source|audio|video|embed|object|track|"
                   r"image|use|input)\b[^>]*?\s(?:src|href|xlink:href|data|poster|srcset)\s*=\s*"
                   + REMOTE, re.IGNORECASE),
    "a CSS @import of a remote stylesheet":
        re.compile(r"@import\s+(?:url\(\s*)?" + REMOTE, re.IGNORECASE),
    "a CSS url() of a remote file": re.compile(r"url\(\s*" + REMOTE, re.IGNORECASE),
    "a font or analytics service": re.compile(
        r"fonts\.googleapis|fonts\.gstatic|use\.typekit|google-analytics|googletagmanager|"
        r"\bgtag\(|plausible\.io|matomo|hotjar|segment\.(?:io|com)|sentry\.io|"
        r"cloudflareinsights|newrelic|mixpanel|amplitude\.com|clarity\.ms|facebook\.net|"
        r"doubleclick\.net",
        re.IGNORECASE),
}


def built() -> bool:
    return (SITE / "build-info.json").is_file()


def text_files(shell_only: bool = False) -> list[Path]:
    files = [p for p in SITE.rglob("*") if p.is_file() and p.suffix in TEXT_SUFFIXES]
    if shell_only:
        files = [p for p in files if is_shell(p)]
    return sorted(files)


def is_shell(path: Path) -> bool:
    name = path.relative_to(SITE).as_posix()
    return any(name == s or (s.endswith("/") and name.startswith(s)) for s in SHELL)


def in_comment(text: str, pos: int) -> bool:
    """Is `pos` inside a /* block comment */ (opened before it, not closed yet)?"""
    return text.rfind("/*", 0, pos) > text.rfind("*/", 0, pos)


def remote_urls(path: Path) -> list[str]:
    """The URLs of `path` that are neither namespaces, nor in comments, nor known inert."""
    text = path.read_text(encoding="utf-8", errors="replace")
    inert = {} if is_shell(path) else INERT.get(path.relative_to(SITE).as_posix(), {})
    found = []
    for match in URL.finditer(text):
        url = match.group(0)
        if url.startswith(XML_NAMESPACES) or url in inert:
            continue
        if not is_shell(path) and in_comment(text, match.start()):
            continue
        found.append(url)
    return found


def fetching(path: Path) -> list[str]:
    """What in `path` would load something from elsewhere, INERT's entries left out."""
    text = path.read_text(encoding="utf-8", errors="replace")
    inert = INERT.get(path.relative_to(SITE).as_posix(), {})
    text = URL.sub(lambda m: "" if m.group(0) in inert else m.group(0), text)  # whole URLs
    found = []
    for what, pattern in FETCHING.items():
        for match in pattern.finditer(text):
            found.append(f"{what}: {text[match.start():match.end() + 40]!r}")
    return found


# the hand-written shell (always there) ----------------------------------------------------------
def test_the_shell_names_no_remote_origin() -> None:
    files = text_files(shell_only=True)
    assert any(p.name == "index.html" for p in files)
    found = {p.relative_to(SITE).as_posix(): remote_urls(p) + fetching(p) for p in files}
    assert not any(found.values()), {k: v for k, v in found.items() if v}


class _Page(HTMLParser):
    """index.html's inline scripts, event-handler attributes and javascript: URLs, and its
    Content-Security-Policy."""

    def __init__(self) -> None:
        super().__init__()
        self.inline: list[str] = []
        self.csp: list[str] = []
        self._script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script":
            self._script = "src" not in values
        if tag == "meta" and (values.get("http-equiv") or "").lower() == (
                "content-security-policy"):
            self.csp.append(values.get("content") or "")
        for name, value in attrs:
            if name.startswith("on"):
                self.inline.append(f"<{tag} {name}=...>")
            if value and value.strip().lower().startswith("javascript:"):
                self.inline.append(f"<{tag} {name}={value}>")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = False

    def handle_data(self, data: str) -> None:
        if self._script and data.strip():
            self.inline.append(f"<script>{data.strip()[:40]}</script>")


def page() -> _Page:
    parser = _Page()
    parser.feed((SITE / "index.html").read_text())
    return parser


def policy() -> dict[str, list[str]]:
    csp = page().csp
    assert len(csp) == 1, "index.html has one Content-Security-Policy <meta>"
    directives: dict[str, list[str]] = {}
    for part in csp[0].split(";"):
        if part.strip():
            name, *sources = part.split()
            assert name not in directives, f"{name} given twice"
            directives[name] = sources
    return directives


def test_index_html_has_nothing_inline_for_its_policy_to_refuse() -> None:
    assert page().inline == []


def test_the_policy_allows_only_the_site_itself() -> None:
    csp = policy()
    assert csp["default-src"] == ["'self'"]
    for directive in ("object-src", "base-uri", "form-action", "frame-src"):
        assert csp[directive] == ["'none'"], directive
    allowed_sources = {"'self'", "'none'", "data:", "blob:", "'unsafe-eval'",
                       "'wasm-unsafe-eval'", "'unsafe-inline'"}
    for directive, sources in csp.items():
        # No origins: no hosts, no schemes like https: or *, no wildcards.
        assert set(sources) <= allowed_sources, (directive, sources)
    # Scripts: the site's own files (and, for the open-from-disk variant, its blob: worker's
    # importScripts); never inline.
    assert "'unsafe-inline'" not in csp["script-src"]
    assert "data:" not in csp["script-src"]
    assert set(csp["worker-src"]) == {"'self'", "blob:"}
    assert "frame-ancestors" not in csp  # a <meta> policy cannot have it: the page embeds


def test_the_hand_written_scripts_never_write_html() -> None:
    """main.js and friends put text into the page with textContent and form values only."""
    sinks = re.compile(r"\.(?:innerHTML|outerHTML|insertAdjacentHTML)\b|document\.write|"
                       r"\beval\(|new Function\b")
    found = {p.name: sinks.findall(p.read_text()) for p in (SITE / "js").glob("*.js")}
    assert not any(found.values()), found


# the built site (vendored bundles, Pyodide) -----------------------------------------------------
@pytest.mark.skipif(not built(), reason="site/ is not built: run `make site`")
def test_no_file_of_the_built_site_fetches_from_elsewhere() -> None:
    files = text_files()
    assert any("vendor/bokeh" in p.as_posix() for p in files)
    found = {p.relative_to(SITE).as_posix(): remote_urls(p) + fetching(p) for p in files}
    assert not any(found.values()), {k: v for k, v in found.items() if v}


@pytest.mark.skipif(not built(), reason="site/ is not built: run `make site`")
def test_every_inert_url_is_still_there() -> None:
    """INERT lists what the bundles hold now: an entry that went away is stale, remove it."""
    for name, urls in INERT.items():
        text = (SITE / name).read_text(encoding="utf-8", errors="replace")
        missing = [url for url in urls if url not in text]
        assert not missing, (name, missing)
