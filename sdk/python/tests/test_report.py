import contextlib
import decimal
import fractions
import io
import os
import unittest
from unittest import mock

import asap
from asap._report import _Reporter
from tests.report_server import ReportServer


def printed(metrics, step=None, environ=None):
    """What a report prints when no operator is configured."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        _Reporter(environ or {}).report(metrics, step)
    return out.getvalue()


class PrintingTest(unittest.TestCase):
    """The lines a report prints, which ASAP's metric line parser reads from the trial's output."""

    def test_prints_one_line_per_metric_with_its_step(self):
        self.assertEqual(
            printed({"val_accuracy": 0.93, "loss": 0.2}, step=3),
            "val_accuracy=0.93 step=3\nloss=0.2 step=3\n",
        )

    def test_prints_no_step_when_none_is_given(self):
        self.assertEqual(printed({"loss": 0.25}), "loss=0.25\n")

    def test_prints_values_as_the_shortest_exact_float_text(self):
        self.assertEqual(
            printed({"a": 1, "b": 1e-05, "c": 1e20, "d": 0.1 + 0.2}),
            "a=1.0\nb=1e-05\nc=1e+20\nd=0.30000000000000004\n",
        )

    def test_prints_nan_and_infinities_as_words_the_parser_reads(self):
        self.assertEqual(
            printed({"loss": float("nan"), "grad": float("inf"), "log_p": float("-inf")}),
            "loss=nan\ngrad=inf\nlog_p=-inf\n",
        )

    def test_prints_names_with_dots_slashes_and_dashes(self):
        self.assertEqual(
            printed({"val/acc": 0.5, "top-5.acc": 0.75, "_x": 2}),
            "val/acc=0.5\ntop-5.acc=0.75\n_x=2.0\n",
        )

    def test_takes_any_value_that_converts_itself_to_float(self):
        self.assertEqual(
            printed({"a": fractions.Fraction(1, 4), "b": decimal.Decimal("0.5")}),
            "a=0.25\nb=0.5\n",
        )

    def test_takes_the_largest_step_the_parser_reads(self):
        self.assertEqual(printed({"loss": 0.5}, step=2**53), "loss=0.5 step=9007199254740992\n")


class ValidationTest(unittest.TestCase):
    """Reports that ASAP could not read are refused before anything is printed or sent."""

    def assertRefused(self, metrics, step=None, message=""):
        with ReportServer([(202, b"")]) as server:
            out = io.StringIO()
            environ = {"ASAP_REPORT_URL": server.url}
            with contextlib.redirect_stdout(out), self.assertRaises(ValueError) as raised:
                _Reporter(environ).report(metrics, step)
        self.assertEqual(str(raised.exception), message)
        self.assertEqual(out.getvalue(), "")
        self.assertEqual(server.received, [])

    def test_refuses_names_the_parser_cannot_read(self):
        rule = "a name starts with a letter or _ and goes on with letters, digits, _ . / or -"
        for name in ("1st", "val acc", "a=b", "", "accuracy%", "épsilon", "a,b"):
            with self.subTest(name=name):
                self.assertRefused({name: 0.5}, message="metric %r: %s" % (name, rule))

    def test_refuses_epoch_as_a_metric(self):
        self.assertRefused(
            {"loss": 0.5, "epoch": 2},
            message="metric 'epoch': 'epoch' gives the step of a report, it cannot be a metric",
        )

    def test_refuses_values_that_are_not_numbers(self):
        cases = [
            ("0.93", "str '0.93'"),
            (True, "bool True"),
            (None, "NoneType None"),
            ([0.5], "list [0.5]"),
        ]
        for value, shown in cases:
            with self.subTest(value=value):
                self.assertRefused(
                    {"loss": 0.5, "acc": value},
                    message="metric 'acc': the value must be a number, not %s" % shown,
                )

    def test_refuses_an_integer_too_large_for_a_float(self):
        self.assertRefused(
            {"acc": 10**400},
            message="metric 'acc': the value does not fit a float:"
            " int too large to convert to float",
        )

    def test_refuses_steps_that_are_not_whole_numbers_from_0_to_2_to_the_53(self):
        for step in (-1, 1.0, 2.5, True, "3", 2**53 + 1):
            with self.subTest(step=step):
                self.assertRefused(
                    {"loss": 0.5},
                    step=step,
                    message="step must be a whole number from 0 to 2**53, not %r" % (step,),
                )

    def test_refuses_a_report_without_metrics(self):
        self.assertRefused(
            {},
            step=1,
            message="report() needs at least one metric, as in report(val_accuracy=0.93)",
        )

    def test_refuses_a_budget_that_is_not_a_number_of_seconds(self):
        for text in ("soon", "-1", "nan", "inf"):
            with self.subTest(text=text), ReportServer([(202, b"")]) as server:
                environ = {"ASAP_REPORT_URL": server.url, "ASAP_REPORT_TIMEOUT_SECONDS": text}
                out = io.StringIO()
                with contextlib.redirect_stdout(out), self.assertRaises(ValueError) as raised:
                    _Reporter(environ).report({"loss": 0.5})
                self.assertEqual(
                    str(raised.exception),
                    "ASAP_REPORT_TIMEOUT_SECONDS must be a number of seconds >= 0, not %r" % text,
                )
                self.assertEqual(out.getvalue(), "")
                self.assertEqual(server.received, [])


class PublicApiTest(unittest.TestCase):
    """asap.report as a trainer calls it, reading the real environment."""

    def environment(self, **variables):
        without_asap = {k: v for k, v in os.environ.items() if not k.startswith("ASAP_")}
        return mock.patch.dict(os.environ, {**without_asap, **variables}, clear=True)

    def test_only_prints_when_no_report_url_is_set(self):
        out = io.StringIO()
        with self.environment(), contextlib.redirect_stdout(out):
            asap.report(val_accuracy=0.93, step=3)

        self.assertEqual(out.getvalue(), "val_accuracy=0.93 step=3\n")

    def test_prints_and_posts_when_the_operator_gave_a_report_url(self):
        out = io.StringIO()
        with ReportServer([(202, b"")]) as server:
            with self.environment(ASAP_REPORT_URL=server.url, ASAP_REPORT_TOKEN="t0ken"):
                with contextlib.redirect_stdout(out):
                    asap.report(loss=0.2, step=1)

        self.assertEqual(out.getvalue(), "loss=0.2 step=1\n")
        self.assertEqual(server.received[0].body, b'{"metrics": {"loss": 0.2}, "step": 1}')
        self.assertEqual(server.received[0].headers["Authorization"], "Bearer t0ken")

    def test_raises_report_error_from_the_package(self):
        with ReportServer([(409, b'{"error": "trial 7 already ended"}')]) as server:
            with self.environment(ASAP_REPORT_URL=server.url, ASAP_REPORT_TOKEN="t0ken"):
                with contextlib.redirect_stdout(io.StringIO()):
                    with self.assertRaises(asap.ReportError) as raised:
                        asap.report(loss=0.2)

        self.assertEqual(raised.exception.status, 409)
        self.assertEqual(raised.exception.message, "trial 7 already ended")

    def test_takes_metrics_only_as_keywords(self):
        with self.assertRaises(TypeError):
            asap.report(0.93)


if __name__ == "__main__":
    unittest.main()
