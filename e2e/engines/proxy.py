"""A recording proxy that refuses everything: the browser under test is told to send every
request not for 127.0.0.1 here, so a request to any other host is recorded (and fails) even
where the driver cannot see requests at all (classic WebDriver) or not from every realm
(Firefox's BiDi misses a service worker's own requests).

Plain HTTP requests arrive as `GET http://host/path HTTP/1.1`, HTTPS and WebSockets as
`CONNECT host:443`; both are answered 403 and the connection closed.
"""

from __future__ import annotations

import socketserver
import threading
from urllib.parse import urlsplit


class RecordingProxy:
    def __init__(self) -> None:
        self.seen: list[str] = []
        self._lock = threading.Lock()
        owner = self

        class Handler(socketserver.StreamRequestHandler):
            timeout = 10

            def handle(self) -> None:
                try:
                    line = self.rfile.readline(65536).decode("latin-1").strip()
                except OSError:
                    return
                if not line:
                    return
                parts = line.split()
                target = parts[1] if len(parts) > 1 else line
                if parts[0].upper() == "CONNECT":
                    target = "https://" + target  # host:port of a TLS or WebSocket tunnel
                owner.record(target)
                try:
                    self.wfile.write(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n"
                                     b"Connection: close\r\n\r\n")
                except OSError:
                    pass

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        self._server = Server(("127.0.0.1", 0), Handler)
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def record(self, target: str) -> None:
        with self._lock:
            self.seen.append(target)

    def take(self, ignore_hosts: tuple[str, ...] = ()) -> list[str]:
        """What was recorded since the last call, less the hosts the browser itself calls."""
        with self._lock:
            seen, self.seen = self.seen, []
        return [url for url in seen if (urlsplit(url).hostname or "") not in ignore_hosts]

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
