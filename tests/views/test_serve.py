"""Other homes for the same component: `panel serve playground/app.py` and a notebook cell
(`pn.extension()`, then the Playground as the cell's last expression). Both are rendered in
CPython, without a browser: the server is a real subprocess, spoken to over HTTP and over its
websocket with Bokeh's own protocol (what BokehJS does); the notebook cell is the component's
`_repr_mimebundle_` and the comm messages it sends to the notebook.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import panel as pn
import pytest
from bokeh.client.websocket import WebSocketClientConnectionWrapper
from bokeh.document import Document
from bokeh.document.events import MessageSentEvent
from bokeh.events import ButtonClick
from bokeh.models import Button, ColumnDataSource, LinearAxis
from bokeh.protocol import Protocol
from bokeh.protocol.receiver import Receiver
from panel.io.state import state as pn_state
from tornado.httpclient import HTTPRequest
from tornado.websocket import websocket_connect

from playground.app import Playground

REPO = Path(__file__).resolve().parents[2]
TITLE = "Neural Network Playground"
PANEL_CLI = (str(Path(sys.executable).with_name("panel"))
             if Path(sys.executable).with_name("panel").exists() else shutil.which("panel"))
EXEC_MIME = "application/vnd.holoviews_exec.v0+json"
UNUSED_SESSION_MS = 2000
# What `panel serve` logs of a page's websocket: opened, closed, and the refreshes that were on
# their way when it closed.
CONNECTION_LINES = {"WebSocket connection opened", "ServerConnection created",
                    "WebSocket connection closed: code=None, reason=None",
                    "Failed sending message as connection was closed"}


# panel serve --------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Served:
    def __init__(self, url: str, log: Path, pid: int) -> None:
        self.url = url
        self.log = log
        self.pid = pid

    def output(self) -> str:
        return self.log.read_text(errors="replace")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """`panel serve playground/app.py` on a free port, stopped at the end of the module."""
    if PANEL_CLI is None:
        pytest.skip("panel's CLI is not installed")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path_factory.mktemp("serve") / "panel-serve.log"
    bin_dir = str(Path(sys.executable).parent)
    env = {**os.environ, "PATH": bin_dir + os.pathsep + os.environ.get("PATH", ""),
           "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO),
                                                      os.environ.get("PYTHONPATH")])),
           "PYTHONUNBUFFERED": "1"}
    # A session whose page has gone is ended within a few seconds (Bokeh's default: 15 s).
    command = [PANEL_CLI, "serve", "playground/app.py", "--port", str(port),
               "--address", "127.0.0.1", f"--allow-websocket-origin=127.0.0.1:{port}",
               "--unused-session-lifetime", str(UNUSED_SESSION_MS),
               "--check-unused-sessions", "500"]
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=out,
                                   stderr=subprocess.STDOUT)
    served = Served(url, log, process.pid)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                pytest.fail(f"panel serve exited with {process.returncode}:\n{served.output()}")
            try:
                with urllib.request.urlopen(f"{url}/app", timeout=5) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"panel serve did not answer within 60 s:\n{served.output()}")
            time.sleep(0.2)
        yield served
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def get(url: str) -> tuple[str, str]:
    """(the final URL after redirects, the body)"""
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.url, response.read().decode()


class Browserless:
    """What BokehJS does with a served page, in Python: open its session's websocket, pull the
    document, apply the server's patches as they come, and send button clicks."""

    def __init__(self, url: str) -> None:
        _, html = get(f"{url}/app")
        self.token = re.search(r'"token":\s*"([^"]+)"', html).group(1)
        self.ws_url = url.replace("http://", "ws://") + "/app/ws"
        self.protocol = Protocol()
        self.doc = Document()

    @contextlib.asynccontextmanager
    async def connected(self):
        receiver = Receiver(self.protocol)
        socket_ = await websocket_connect(HTTPRequest(self.ws_url),
                                          subprotocols=["bokeh", self.token])
        self.connection = WebSocketClientConnectionWrapper(socket_)
        pulled = asyncio.get_running_loop().create_future()

        async def read() -> None:
            while (fragment := await socket_.read_message()) is not None:
                message = await receiver.consume(fragment)
                if message is None:
                    continue
                if message.msgtype == "ACK":
                    await self.protocol.create("PULL-DOC-REQ").send(self.connection)
                elif message.msgtype == "PULL-DOC-REPLY":
                    message.push_to_document(self.doc)
                    self.doc.models.flush_synced()  # the server knows these models
                    pulled.set_result(None)
                elif message.msgtype == "PATCH-DOC":
                    message.apply_to_document(self.doc)

        reader = asyncio.ensure_future(read())
        try:
            await asyncio.wait_for(pulled, 30)
            yield self
        finally:
            reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await reader
            stream = socket_.protocol.stream
            socket_.close()
            for _ in range(100):  # the server answers: the socket closes (within 2 s here)
                if stream.closed():
                    break
                await asyncio.sleep(0.02)

    async def click(self, model: Button) -> None:
        event = MessageSentEvent(self.doc, "bokeh_event", ButtonClick(model))
        await self.protocol.create("PATCH-DOC", [event]).send(self.connection)


def button(doc: Document, label: str) -> Button:
    return next(m for m in doc.models if isinstance(m, Button) and m.label == label)


def epoch_readout(doc: Document):
    """The model of the `Epoch N` readout."""
    (model,) = [m for m in doc.models if "pg-epoch" in (getattr(m, "css_classes", None) or [])]
    return model


def epoch(doc: Document) -> int:
    return int(re.search(r"Epoch (\d+)", epoch_readout(doc).text).group(1))


def network_lines(doc: Document) -> ColumnDataSource:
    """The network view's connection lines (one row per weight)."""
    return next(m for m in doc.models if isinstance(m, ColumnDataSource) and "w" in m.data)


def test_panel_serve_answers_with_the_playground_page(served: Served) -> None:
    final_url, html = get(served.url + "/")
    assert final_url == served.url + "/app"  # the only app: `/` redirects to it
    assert f"<title>{TITLE}</title>" in html  # set by servable(): the script ran to its end
    assert "docs_json" in html
    assert "Bokeh.embed.embed_items" in html
    assert re.search(r'"token":\s*"', html)  # a server session: the document comes by websocket


@pytest.fixture
def browserless(served: Served) -> Browserless:
    return Browserless(served.url)


def test_the_served_session_holds_the_playground(served: Served,
                                                  browserless: Browserless) -> None:
    async def pull() -> Document:
        async with browserless.connected() as page:
            return page.doc

    doc = asyncio.run(pull())
    assert doc.title == TITLE
    assert {"Epoch", "Loss"} <= {a.axis_label for a in doc.select({"type": LinearAxis})}
    assert {"Play", "Step", "Reset"} <= {m.label for m in doc.models if isinstance(m, Button)}
    assert epoch(doc) == 0
    assert len(network_lines(doc).data["w"]) > 0
    assert "Traceback" not in served.output()


@pytest.mark.slow
def test_play_over_the_websocket_trains_and_refreshes_the_page(served: Served,
                                                                browserless: Browserless) -> None:
    async def run() -> tuple[list[int], list[list[float]], str, str, int]:
        async with browserless.connected() as page:
            doc = page.doc
            play = button(doc, "Play")
            epochs, weights = [], []
            await page.click(play)
            for _ in range(100):  # the first refresh: within 10 s
                await asyncio.sleep(0.1)
                if epoch(doc) > 0:
                    break
            for _ in range(3):
                epochs.append(epoch(doc))
                weights.append(list(network_lines(doc).data["w"]))
                await asyncio.sleep(0.5)
            while_playing = play.label
            await page.click(play)
            for _ in range(100):
                await asyncio.sleep(0.1)
                if play.label == "Play":
                    break
            paused = epoch(doc)
            await asyncio.sleep(0.5)
            return epochs, weights, while_playing, play.label, epoch(doc) - paused

    epochs, weights, while_playing, after, drift = asyncio.run(run())
    assert while_playing == "Pause"
    assert 0 < epochs[0] < epochs[1] < epochs[2], epochs  # it keeps training, and shows it
    assert weights[0] != weights[1] != weights[2]  # the network picture follows
    assert after == "Play"
    assert drift == 0  # paused means paused
    assert "Traceback" not in served.output()


@pytest.mark.slow
def test_stepping_through_one_step_over_the_websocket(served: Served,
                                                       browserless: Browserless) -> None:
    logged = len(served.output())

    async def run() -> tuple[list[float], list[float]]:
        async with browserless.connected() as page:
            before = list(network_lines(page.doc).data["w"])
            next_phase = button(page.doc, "Next phase")
            for _phase in ("Forward", "Loss", "Backward", "Update"):
                await page.click(next_phase)
                await asyncio.sleep(1.2)  # the phase's animation: a few 0.3 s frames
            return before, list(network_lines(page.doc).data["w"])

    before, after = asyncio.run(run())
    assert "Traceback" not in served.output()[logged:]
    assert after != before  # the Update phase moved the weights, and the page shows it


def cpu_seconds(pid: int) -> float:
    """The CPU time (user and system) the process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_over(pid: int, seconds: float) -> float:
    """The CPU time the process uses in the next `seconds`."""
    start = cpu_seconds(pid)
    time.sleep(seconds)
    return cpu_seconds(pid) - start


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_closing_a_tab_mid_training_stops_its_training_without_an_error(
        served: Served, browserless: Browserless) -> None:
    """The bug: a tab closed while Play was on left its training task running for ever (the
    server at 100 % CPU), until `Task exception was never retrieved ... KeyError: 'x0'`.
    Now the session's end stops the training (Playground.close, on_session_destroyed)."""
    logged = len(served.output())

    async def play_then_close() -> tuple[int, float]:
        async with browserless.connected() as page:
            await page.click(button(page.doc, "Play"))
            for _ in range(100):
                await asyncio.sleep(0.1)
                if epoch(page.doc) > 0:
                    break
            start = cpu_seconds(served.pid)
            await asyncio.sleep(1.0)
            return epoch(page.doc), cpu_seconds(served.pid) - start
        # leaving the block closes the websocket, as closing the tab does

    trained, busy = asyncio.run(play_then_close())
    assert trained > 0
    assert busy > 0.3  # training keeps the server busy
    time.sleep(0.5)
    closed = len(served.output())  # the connection's close is logged by now
    deadline = time.monotonic() + UNUSED_SESSION_MS / 1000 + 20
    idle = []
    while time.monotonic() < deadline:
        idle.append(cpu_over(served.pid, 1.0))
        if idle[-1] < 0.1:
            break
    assert idle[-1] < 0.1, f"the server kept busy after the tab closed: {idle}"
    time.sleep(1.0)  # where the old task's exception was printed
    assert cpu_over(served.pid, 1.0) < 0.1
    # the server's log holds the connection's own lines, and nothing else
    lines = [re.sub(r"^\d{4}-\d\d-\d\d [\d:,]+ ", "", line)
             for line in served.output()[logged:].splitlines()]
    assert set(lines) <= CONNECTION_LINES, "\n".join(lines)
    assert served.output()[closed:] == ""  # and nothing at all when the session ended


# a notebook cell ----------------------------------------------------------------------------------
@pytest.fixture
def notebook(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A notebook's first cell: `pn.extension()`. Outside a kernel it only marks Panel loaded;
    that flag is restored afterwards. Panel routes a cell's print output through
    IPython.display, which Jupyter has and this venv does not: console_output='disable'."""
    monkeypatch.setattr(pn.extension, "_loaded", pn.extension._loaded)
    pn.extension()
    with pn.config.set(console_output="disable"):
        yield


def show(app: Playground) -> tuple[dict, dict, Document, list[dict]]:
    """Display `app` as a cell's last expression: its mime bundle, the document behind it and
    the patches sent to the notebook over the (simulated, open) comm."""
    data, metadata = app._repr_mimebundle_()
    ref = metadata[EXEC_MIME]["id"]
    _, _, doc, comm = pn_state._views[ref]
    sent: list[dict] = []
    comm._comm = True  # the notebook opened the comm

    def send(data=None, metadata=None, buffers=()) -> None:
        if isinstance(data, str) and '"events"' in data:
            sent.extend(json.loads(data)["events"])

    comm.send = send
    return data, metadata, doc, sent


def notebook_click(model: Button) -> None:
    """A click arriving from the notebook, applied as Panel's Viewable._on_msg applies it."""
    doc = model.document
    held = doc.callbacks.hold_value
    doc.hold()
    try:
        doc.callbacks.trigger_event(ButtonClick(model))
    finally:
        doc.unhold()
        if held:
            doc.hold(held)


def test_a_notebook_cell_shows_the_playground(notebook: None) -> None:
    data, metadata, doc, _ = show(Playground())
    html = data["text/html"]
    assert EXEC_MIME in data
    assert EXEC_MIME in metadata
    assert "docs_json" in html  # the whole document, inline
    assert "embed_items" in html
    assert TITLE in html  # the heading
    assert '"axis_label":"Epoch"' in html.replace(" ", "")
    assert {"Play", "Step", "Reset"} <= {m.label for m in doc.models if isinstance(m, Button)}
    assert epoch(doc) == 0


def test_step_in_a_notebook_refreshes_the_numbers_and_the_figures(notebook: None) -> None:
    app = Playground()
    _, _, doc, sent = show(app)
    notebook_click(button(doc, "Step"))
    changed = {event["model"]["id"] for event in sent if "model" in event}
    assert epoch(doc) == 1
    assert epoch_readout(doc).id in changed  # the numbers reach the notebook
    assert app.network.lines.id in changed, "the network picture was not sent"
