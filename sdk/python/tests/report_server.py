"""A real HTTP server on 127.0.0.1 that stands where the operator's report endpoint would."""

from __future__ import annotations

import http.server
import threading
from typing import List, NamedTuple, Sequence, Tuple, Union

METRICS_PATH = "/api/v1alpha1/namespaces/team-a/hpostudies/resnet/trials/7/metrics"
# An answer that closes the connection without a status line, as a crashing server would.
CLOSE = "close"

Answer = Union[Tuple[int, bytes], str]


class Received(NamedTuple):
    """One request as the server saw it."""

    method: str
    path: str
    headers: dict
    body: bytes


class ReportServer:
    """Records every request and answers them from a script; the last answer repeats."""

    def __init__(self, answers: Sequence[Answer]):
        self.received: List[Received] = []
        self._answers = list(answers)
        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        # A short poll interval: shutdown() waits for the serving loop to look at its flag.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def url(self) -> str:
        return "http://127.0.0.1:%d%s" % (self._server.server_address[1], METRICS_PATH)

    def __enter__(self) -> "ReportServer":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def _next_answer(self) -> Answer:
        return self._answers.pop(0) if len(self._answers) > 1 else self._answers[0]

    def _handler(self):
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                # Recorded before answering, so the client never sees an answer to an unrecorded
                # request.
                server.received.append(
                    Received(self.command, self.path, dict(self.headers.items()), body)
                )
                answer = server._next_answer()
                if answer == CLOSE:
                    self.close_connection = True
                    return
                status, payload = answer
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, format, *args):
                pass  # keep the test output clean

        return Handler
