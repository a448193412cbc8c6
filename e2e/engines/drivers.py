"""One small driver interface, one adapter per engine: the scenarios (test_smoke.py) are written
once against `Driver` and run in each engine.

- Firefox ESR: puppeteer-core over WebDriver BiDi, in a Node.js process (firefox_bridge.mjs)
  this module talks to in JSON lines. BiDi reports the console and the requests of the page
  and of its dedicated workers; Firefox's stdout (devtools.console.stdout.content) adds the
  console of every realm, service workers included.
- WebKitGTK: Selenium over classic WebDriver (WebKitWebDriver), the browser being
  webkit_shell.py (Debian's WebKitGTK in a GTK window, under Xvfb). Classic WebDriver sees
  neither the console nor the requests: the shell writes every console message of every realm
  to stdout, which WebKitWebDriver passes to the log file read here.

In both, every request for a host other than 127.0.0.1 goes to the recording proxy (proxy.py),
which records and refuses it, whichever realm made it: see conftest.Watch.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from abc import ABC, abstractmethod
from pathlib import Path

HERE = Path(__file__).resolve().parent
DOM = (HERE / "dom.js").read_text()
FIREFOX = "/usr/bin/firefox-esr"
WEBKIT_DRIVER = "/usr/bin/WebKitWebDriver"
# WebKit writes "url:line:col: CONSOLE <SOURCE> <LEVEL> message", e.g. "CONSOLE JS ERROR".
WEBKIT_CONSOLE_ERROR = re.compile(r"CONSOLE (?:[A-Z]+ )?ERROR ")


class Xvfb:
    """An X display of our own for WebKitGTK, which needs one: `with Xvfb() as display:`."""

    def __enter__(self) -> str:
        read, write = os.pipe()
        self._proc = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x1024x24", "-nolisten",
             "tcp"], pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(write)
        with os.fdopen(read) as pipe:
            number = pipe.readline().strip()
        if not number:
            self._proc.kill()
            raise RuntimeError("Xvfb did not start")
        return f":{number}"

    def __exit__(self, *exc) -> None:
        self._proc.terminate()
        self._proc.wait(timeout=10)


def script(expr: str, args: tuple) -> str:
    """`expr` (a JS expression that may use `dom` and `args`) as a self-contained script."""
    return (f"(async () => {{\n{DOM}\nconst args = {json.dumps(list(args))};\n"
            f"return ({expr});\n}})()")


class Driver(ABC):
    engine: str = ""
    version: str = ""
    # None where the engine's driver can do it; otherwise why not (a skip reason).
    touch: str | None = None
    service_workers: str | None = None
    # Hosts the browser itself calls (not the page): never a finding.
    own_hosts: tuple[str, ...] = ()

    @abstractmethod
    def new_page(self, width: int = 1280, height: int = 800, touch: bool = False) -> None:
        """A fresh tab (and, where the driver can, fresh storage)."""

    @abstractmethod
    def goto(self, url: str) -> None: ...

    @abstractmethod
    def reload(self) -> None: ...

    @abstractmethod
    def js(self, expr: str, *args, frame: int | None = None):
        """Evaluate `expr` (awaited) in the page, or in its `frame`-th iframe."""

    @abstractmethod
    def click(self, expr: str, *args, frame: int | None = None, touch: bool = False) -> None:
        """Click (or tap) the element `expr` evaluates to, with the driver's own input."""

    @abstractmethod
    def findings(self) -> tuple[list[str], list[str]]:
        """(console errors, URLs requested) since the last call. URLs: what the driver itself
        saw (Firefox); the proxy sees the foreign ones in every engine."""

    @abstractmethod
    def close(self) -> None: ...

    def wait(self, expr: str, *args, what: str, timeout: float = 60, frame: int | None = None,
             every: float = 0.2):
        """Poll `expr` until it is truthy; fail naming `what` (and what the page shows)."""
        deadline = time.monotonic() + timeout
        while True:
            value = self.js(expr, *args, frame=frame)
            if value:
                return value
            if time.monotonic() > deadline:
                state = self.js("dom.state()", frame=frame)
                raise AssertionError(f"{self.engine}: timed out after {timeout:.0f} s waiting "
                                     f"for {what}; the page: {state}")
            time.sleep(every)


class FirefoxDriver(Driver):
    engine = "firefox"
    own_hosts = ("dummy.test",)  # puppeteer's Firefox prefs send the browser's services there

    def __init__(self, proxy_port: int) -> None:
        node = shutil.which("node")
        if node is None:
            raise RuntimeError("Node.js is missing (apt-get install nodejs)")
        self._proc = subprocess.Popen([node, str(HERE / "firefox_bridge.mjs")], cwd=HERE,
                                      stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self._id = 0
        self.version = self._call("launch", executable=FIREFOX, proxyPort=proxy_port)["version"]

    def _call(self, cmd: str, **args):
        self._id += 1
        assert self._proc.stdin
        assert self._proc.stdout
        self._proc.stdin.write(json.dumps({"id": self._id, "cmd": cmd, "args": args}) + "\n")
        self._proc.stdin.flush()
        line = self._proc.stdout.readline()
        if not line:
            raise RuntimeError(f"the Firefox bridge died (exit {self._proc.poll()})")
        answer = json.loads(line)
        if not answer["ok"]:
            raise RuntimeError(f"firefox {cmd}: {answer['error']}")
        return answer["value"]

    def new_page(self, width: int = 1280, height: int = 800, touch: bool = False) -> None:
        self._call("newPage", width=width, height=height, touch=touch)

    def goto(self, url: str) -> None:
        self._call("goto", url=url)

    def reload(self) -> None:
        self._call("reload")

    def js(self, expr: str, *args, frame: int | None = None):
        return self._call("evaluate", expr=script(expr, args), frame=frame)

    def click(self, expr: str, *args, frame: int | None = None, touch: bool = False) -> None:
        self._call("click", expr=script(expr, args), frame=frame, touch=touch)

    def findings(self) -> tuple[list[str], list[str]]:
        out = self._call("findings")
        return out["errors"], out["requests"]

    def close(self) -> None:
        try:
            self._call("close")
        finally:
            for pipe in (self._proc.stdin, self._proc.stdout):
                if pipe:
                    pipe.close()
            try:
                self._proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()


class WebKitDriver(Driver):
    engine = "webkit"
    touch = ("WebKitGTK's WebDriver has no touch input: it takes a pointer action of type "
             "\"touch\" but the page gets mouse events (pointerType \"mouse\", no touchstart), "
             "and WebKitGTK has no touch emulation (checked with WebKitGTK 2.50)")
    service_workers = None

    def __init__(self, proxy_port: int, display: str) -> None:
        from selenium import webdriver
        from selenium.webdriver.webkitgtk.service import Service

        self._tmp = Path(tempfile.mkdtemp(prefix="nn-webkit-"))
        self._log_path = self._tmp / "browser.log"
        self._log = self._log_path.open("wb")
        self._offset = 0
        options = webdriver.WebKitGTKOptions()
        options.binary_location = str(HERE / "webkit_shell.py")
        options.set_capability("browserName", "webkit_shell")
        for arg in ("--automation", f"--proxy=http://127.0.0.1:{proxy_port}",
                    "--ignore-host=127.0.0.1", f"--data-dir={self._tmp / 'profile'}"):
            options.add_argument(arg)
        env = {**os.environ, "DISPLAY": display}
        service = Service(executable_path=WEBKIT_DRIVER, log_output=self._log, env=env)
        try:
            self._driver = webdriver.WebKitGTK(options=options, service=service)
        except Exception:
            self._log.close()
            shutil.rmtree(self._tmp, ignore_errors=True)
            raise
        self._driver.set_script_timeout(120)
        self._driver.set_page_load_timeout(120)
        self.version = self._driver.capabilities.get("browserVersion", "")
        self._frame: int | None = None

    def _in(self, frame: int | None) -> None:
        if frame == self._frame:
            return
        self._driver.switch_to.default_content()
        if frame is not None:
            self._driver.switch_to.frame(frame)
        self._frame = frame

    def new_page(self, width: int = 1280, height: int = 800, touch: bool = False) -> None:
        self._in(None)
        self._driver.get("about:blank")
        self._driver.set_window_size(width, height)

    def goto(self, url: str) -> None:
        self._in(None)
        self._driver.get(url)

    def reload(self) -> None:
        self._in(None)
        self._driver.refresh()

    def js(self, expr: str, *args, frame: int | None = None):
        self._in(frame)
        answer = self._driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            f"{script(expr, args)}.then((value) => done({{ok: true, value}}),"
            " (err) => done({ok: false, error: String(err && err.stack || err)}));")
        if not answer["ok"]:
            raise RuntimeError(f"webkit: {answer['error']}")
        return answer.get("value")

    def click(self, expr: str, *args, frame: int | None = None, touch: bool = False) -> None:
        from selenium.webdriver.common.action_chains import ActionChains

        self._in(frame)
        element = self._driver.execute_script(f"{DOM}\nconst args = {json.dumps(list(args))};"
                                              f"\nreturn ({expr});")
        if element is None:
            raise RuntimeError(f"webkit: no element: {expr}")
        if touch:  # the tap test skips first (self.touch)
            raise NotImplementedError(self.touch)
        ActionChains(self._driver).move_to_element(element).click().perform()

    def findings(self) -> tuple[list[str], list[str]]:
        self._log.flush()
        with self._log_path.open("rb") as log:
            log.seek(self._offset)
            data = log.read()
        complete = data.rfind(b"\n") + 1
        self._offset += complete
        lines = data[:complete].decode("utf-8", "replace").splitlines()
        return [f"console error: {line}" for line in lines if WEBKIT_CONSOLE_ERROR.search(line)], []

    def close(self) -> None:
        try:
            self._driver.quit()
        finally:
            self._log.close()
            shutil.rmtree(self._tmp, ignore_errors=True)
