"""Posts one metric report to the operator, retrying what may heal and nothing else."""

from __future__ import annotations

import http.client
import json
import time
import urllib.error
import urllib.request
from typing import Callable, Optional, Tuple

# Fixed by the contract with the operator: first wait half a second, then double each time.
FIRST_DELAY_SECONDS = 0.5
# One attempt may not hang longer than this even when the whole budget is larger, so that a
# stalled connection leaves time for a retry.
ATTEMPT_TIMEOUT_SECONDS = 10.0
# An attempt gets at least this long even when the budget is spent, so a budget of 0 still means
# "try once" rather than "fail at once".
SHORTEST_ATTEMPT_SECONDS = 1.0
_LONGEST_MESSAGE = 300


class ReportError(Exception):
    """Raised when the operator did not record a report: the trainer's result is not saved.

    ``status`` is the HTTP status of the last answer, or ``None`` when no answer came (the
    connection failed or timed out); ``message`` says why.
    """

    def __init__(self, status: Optional[int], message: str):
        self.status = status
        self.message = message
        what = "HTTP %d" % status if status is not None else "no answer"
        super().__init__("metrics were not recorded (%s): %s" % (what, message))


class _RefuseRedirects(urllib.request.HTTPRedirectHandler):
    """Turns a redirect into an error: urllib would follow one as a GET and drop the body."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


# No proxy: the report address is a Service inside the cluster (or a loopback server in tests),
# which a proxy meant for outside traffic cannot reach.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}), _RefuseRedirects())


def post(
    url: str,
    token: Optional[str],
    body: bytes,
    budget_seconds: float,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> None:
    """POSTs ``body`` to ``url``, retrying transient failures until ``budget_seconds`` pass.

    Answers 2xx succeed; 5xx answers and connection failures are retried with a doubling delay
    while the next attempt would still start within the budget; any other answer is final.
    Raises :class:`ReportError` on final failure.
    """
    deadline = clock() + budget_seconds
    delay = FIRST_DELAY_SECONDS
    while True:
        timeout = min(ATTEMPT_TIMEOUT_SECONDS, max(SHORTEST_ATTEMPT_SECONDS, deadline - clock()))
        status, message = _attempt(url, token, body, timeout)
        if status is not None and 200 <= status < 300:
            return
        if status is not None and status < 500:
            raise ReportError(status, message)
        if clock() + delay > deadline:
            raise ReportError(status, message)
        sleep(delay)
        delay *= 2


def _attempt(
    url: str, token: Optional[str], body: bytes, timeout: float
) -> Tuple[Optional[int], str]:
    """One POST: the answer's status and message, or ``None`` and the reason no answer came."""
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = "Bearer " + token
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with _OPENER.open(request, timeout=timeout) as answer:
            return answer.status, ""
    except urllib.error.HTTPError as e:
        with e:
            return e.code, _message(e.read(), e.reason)
    except urllib.error.URLError as e:
        return None, "cannot reach %s: %s" % (url, e.reason)
    except (OSError, http.client.HTTPException) as e:
        # Timeouts, resets and a server that closed the connection without answering.
        return None, "no answer from %s: %s" % (url, str(e) or type(e).__name__)


def _message(payload: bytes, reason: object) -> str:
    """The operator's ``{"error": ...}`` message, else the answer's text, else its reason."""
    text = payload.decode("utf-8", errors="replace").strip()
    try:
        error = json.loads(text).get("error")
        if isinstance(error, str) and error:
            return error
    except (ValueError, AttributeError):
        pass
    if text:
        return text[:_LONGEST_MESSAGE]
    return str(reason)
