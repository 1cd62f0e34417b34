"""Reports a trial's metrics to ASAP.

``asap.report(val_accuracy=0.93, step=3)`` prints the metrics as lines that ASAP's log reader
parses and, when the operator gave the trial a report address (``ASAP_REPORT_URL``), also posts
them there, raising :class:`ReportError` when they could not be recorded.
"""

from asap._report import ReportError, report

__all__ = ["ReportError", "report"]
__version__ = "0.1.0"
