"""Checks a report, prints it as metric lines, and sends it to the operator when there is one."""

from __future__ import annotations

import json
import math
import os
import re
import sys
import time
from typing import Callable, Dict, Mapping, Optional

from asap._http import ReportError, post

__all__ = ["ReportError", "report"]

# The names ASAP's metric line parser reads; "epoch" is refused because on a printed line without
# a step it would be taken as the step instead of as a metric.
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_./-]*")
_RESERVED = ("step", "epoch")
# The parser takes steps up to 2**53, the whole numbers a double holds exactly.
_LARGEST_STEP = 2**53
_DEFAULT_BUDGET_SECONDS = 30.0


def report(*, step: Optional[int] = None, **metrics: float) -> None:
    """Reports metrics of the running trial, optionally at a step (a whole number >= 0).

    Each metric is printed to stdout as a ``name=value`` line (with ``step=N`` when given), which
    ASAP reads from the trial's output. When ``ASAP_REPORT_URL`` is set (on a cluster), the report
    is also posted there; transient failures are retried for ``ASAP_REPORT_TIMEOUT_SECONDS``
    (default 30), then :class:`ReportError` is raised, as it is at once for a refused report.
    Raises ``ValueError`` for a metric whose name ASAP cannot read or whose value is not a number.
    """
    _Reporter().report(metrics, step)


class _Reporter:
    """What ``report`` does, with the environment and the passing of time given from outside."""

    def __init__(
        self,
        environ: Optional[Mapping[str, str]] = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ):
        self._environ = os.environ if environ is None else environ
        self._sleep = sleep
        self._clock = clock

    def report(self, metrics: Mapping[str, object], step: object = None) -> None:
        """Checks everything first, so that a bad report is neither printed nor sent."""
        values = _checked_metrics(metrics)
        checked_step = _checked_step(step)
        url = self._environ.get("ASAP_REPORT_URL", "")
        budget = _budget(self._environ) if url else 0.0

        _print_lines(values, checked_step)

        if url:
            token = self._environ.get("ASAP_REPORT_TOKEN")
            post(url, token, _body(values, checked_step), budget, self._sleep, self._clock)


def _checked_metrics(metrics: Mapping[str, object]) -> Dict[str, float]:
    if not metrics:
        raise ValueError("report() needs at least one metric, as in report(val_accuracy=0.93)")
    values = {}
    for name, value in metrics.items():
        if name in _RESERVED:
            raise ValueError(
                "metric %r: %r gives the step of a report, it cannot be a metric" % (name, name)
            )
        if not _NAME.fullmatch(name):
            raise ValueError(
                "metric %r: a name starts with a letter or _ and goes on with letters, digits,"
                " _ . / or -" % name
            )
        values[name] = _number(name, value)
    return values


def _number(name: str, value: object) -> float:
    # float() would also parse strings and turn booleans into 0 and 1; both hide a mistake.
    # Anything else that converts itself (numpy scalars, one-element tensors) is a number.
    if isinstance(value, bool) or not hasattr(type(value), "__float__"):
        raise ValueError(
            "metric %r: the value must be a number, not %s %r" % (name, type(value).__name__, value)
        )
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError) as e:
        raise ValueError("metric %r: the value does not fit a float: %s" % (name, e)) from None


def _checked_step(step: object) -> Optional[int]:
    if step is None:
        return None
    whole = not isinstance(step, bool) and hasattr(type(step), "__index__")
    if not whole or not 0 <= step.__index__() <= _LARGEST_STEP:  # type: ignore[attr-defined]
        raise ValueError("step must be a whole number from 0 to 2**53, not %r" % (step,))
    return step.__index__()  # type: ignore[attr-defined]


def _budget(environ: Mapping[str, str]) -> float:
    text = environ.get("ASAP_REPORT_TIMEOUT_SECONDS", "")
    if not text:
        return _DEFAULT_BUDGET_SECONDS
    try:
        seconds = float(text)
    except ValueError:
        seconds = math.nan
    if not (0 <= seconds < math.inf):
        raise ValueError(
            "ASAP_REPORT_TIMEOUT_SECONDS must be a number of seconds >= 0, not %r" % text
        )
    return seconds


def _print_lines(values: Mapping[str, float], step: Optional[int]) -> None:
    # One line per metric, each with its step, so that every line reads on its own. repr() writes
    # nan, inf and -inf, which the parser reads, and the shortest text that gives the same double.
    suffix = "" if step is None else " step=%d" % step
    lines = "".join("%s=%r%s\n" % (name, value, suffix) for name, value in values.items())
    out = sys.stdout
    if out is not None:  # None under pythonw and some daemons: there is nowhere to print
        out.write(lines)
        out.flush()


def _body(values: Mapping[str, float], step: Optional[int]) -> bytes:
    # JSON has no NaN or infinity; the operator reads them as these strings.
    metrics = {name: _json_number(value) for name, value in values.items()}
    document: Dict[str, object] = {"metrics": metrics}
    if step is not None:
        document["step"] = step
    return json.dumps(document, allow_nan=False).encode("utf-8")


def _json_number(value: float) -> object:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return value
