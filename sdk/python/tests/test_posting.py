import contextlib
import io
import socket
import unittest

from asap import ReportError
from asap._report import _Reporter
from tests.fake_time import FakeTime
from tests.report_server import CLOSE, METRICS_PATH, ReportServer

ACCEPTED = (202, b"")
BUSY = (503, b'{"error": "operator is starting"}')


class PostingTest(unittest.TestCase):
    """What goes over the wire to the operator, and when a report is retried or given up."""

    def setUp(self):
        self.time = FakeTime()
        self.out = io.StringIO()

    def report(self, server_url, metrics, step=None, **environ):
        environ.setdefault("ASAP_REPORT_TOKEN", "s3cret")
        environ["ASAP_REPORT_URL"] = server_url
        reporter = _Reporter(environ, sleep=self.time.sleep, clock=self.time.clock)
        with contextlib.redirect_stdout(self.out):
            reporter.report(metrics, step)

    def test_posts_metrics_and_step_as_json_with_bearer_token(self):
        with ReportServer([ACCEPTED]) as server:
            self.report(server.url, {"val_accuracy": 0.93, "loss": 0.2}, step=3)

        self.assertEqual(len(server.received), 1)
        request = server.received[0]
        self.assertEqual(request.method, "POST")
        self.assertEqual(request.path, METRICS_PATH)
        self.assertEqual(request.headers["Authorization"], "Bearer s3cret")
        self.assertEqual(request.headers["Content-Type"], "application/json")
        self.assertEqual(
            request.body, b'{"metrics": {"val_accuracy": 0.93, "loss": 0.2}, "step": 3}'
        )
        self.assertEqual(self.time.sleeps, [])

    def test_leaves_step_out_when_none_is_given(self):
        with ReportServer([ACCEPTED]) as server:
            self.report(server.url, {"loss": 0.25})

        self.assertEqual(server.received[0].body, b'{"metrics": {"loss": 0.25}}')

    def test_sends_nan_and_infinities_as_strings(self):
        metrics = {"loss": float("nan"), "grad": float("inf"), "log_p": float("-inf"), "acc": 1}
        with ReportServer([ACCEPTED]) as server:
            self.report(server.url, metrics, step=0)

        self.assertEqual(
            server.received[0].body,
            b'{"metrics": {"loss": "NaN", "grad": "Infinity", "log_p": "-Infinity", "acc": 1.0},'
            b' "step": 0}',
        )

    def test_sends_no_authorization_header_without_a_token(self):
        with ReportServer([ACCEPTED]) as server:
            self.report(server.url, {"loss": 0.25}, ASAP_REPORT_TOKEN="")

        self.assertNotIn("Authorization", server.received[0].headers)

    def test_retries_after_503_and_succeeds(self):
        with ReportServer([BUSY, ACCEPTED]) as server:
            self.report(server.url, {"val_accuracy": 0.93}, step=3)

        body = b'{"metrics": {"val_accuracy": 0.93}, "step": 3}'
        self.assertEqual([r.body for r in server.received], [body, body])
        self.assertEqual(self.time.sleeps, [0.5])

    def test_retries_when_the_server_closes_without_answering(self):
        with ReportServer([CLOSE, ACCEPTED]) as server:
            self.report(server.url, {"loss": 0.25})

        self.assertEqual(len(server.received), 2)
        self.assertEqual(self.time.sleeps, [0.5])

    def test_doubles_the_delay_until_the_default_budget_of_30_seconds_is_spent(self):
        with ReportServer([BUSY]) as server:
            with self.assertRaises(ReportError) as raised:
                self.report(server.url, {"loss": 0.25})

        # 0.5 + 1 + 2 + 4 + 8 = 15.5 s; a further 16 s wait would end past 30 s.
        self.assertEqual(self.time.sleeps, [0.5, 1.0, 2.0, 4.0, 8.0])
        self.assertEqual(len(server.received), 6)
        self.assertEqual(raised.exception.status, 503)
        self.assertEqual(raised.exception.message, "operator is starting")

    def test_takes_the_budget_from_the_environment(self):
        with ReportServer([BUSY]) as server:
            with self.assertRaises(ReportError):
                self.report(server.url, {"loss": 0.25}, ASAP_REPORT_TIMEOUT_SECONDS="2")

        self.assertEqual(self.time.sleeps, [0.5, 1.0])
        self.assertEqual(len(server.received), 3)

    def test_tries_once_with_a_budget_of_zero(self):
        with ReportServer([BUSY]) as server:
            with self.assertRaises(ReportError):
                self.report(server.url, {"loss": 0.25}, ASAP_REPORT_TIMEOUT_SECONDS="0")

        self.assertEqual(self.time.sleeps, [])
        self.assertEqual(len(server.received), 1)

    def test_does_not_retry_401_and_raises_with_status_and_message(self):
        with ReportServer([(401, b'{"error": "wrong token"}'), ACCEPTED]) as server:
            with self.assertRaises(ReportError) as raised:
                self.report(server.url, {"loss": 0.25})

        self.assertEqual(len(server.received), 1)
        self.assertEqual(self.time.sleeps, [])
        self.assertEqual(raised.exception.status, 401)
        self.assertEqual(raised.exception.message, "wrong token")
        self.assertEqual(str(raised.exception), "metrics were not recorded (HTTP 401): wrong token")

    def test_does_not_retry_any_client_error(self):
        for status in (400, 404, 409):
            with self.subTest(status=status):
                answer = (status, b'{"error": "refused with %d"}' % status)
                with ReportServer([answer, ACCEPTED]) as server:
                    with self.assertRaises(ReportError) as raised:
                        self.report(server.url, {"loss": 0.25})

                self.assertEqual(len(server.received), 1)
                self.assertEqual(raised.exception.status, status)
                self.assertEqual(raised.exception.message, "refused with %d" % status)
        self.assertEqual(self.time.sleeps, [])

    def test_uses_the_answer_text_when_it_is_not_an_error_object(self):
        with ReportServer([(404, b"no such trial\n")]) as server:
            with self.assertRaises(ReportError) as raised:
                self.report(server.url, {"loss": 0.25})

        self.assertEqual(raised.exception.message, "no such trial")

    def test_uses_the_reason_when_the_answer_has_no_body(self):
        with ReportServer([(409, b"")]) as server:
            with self.assertRaises(ReportError) as raised:
                self.report(server.url, {"loss": 0.25})

        self.assertEqual(raised.exception.message, "Conflict")

    def test_retries_when_nothing_listens_then_raises_without_status(self):
        with socket.socket() as placeholder:
            placeholder.bind(("127.0.0.1", 0))
            port = placeholder.getsockname()[1]
        url = "http://127.0.0.1:%d%s" % (port, METRICS_PATH)

        with self.assertRaises(ReportError) as raised:
            self.report(url, {"loss": 0.25}, ASAP_REPORT_TIMEOUT_SECONDS="1")

        self.assertEqual(self.time.sleeps, [0.5])
        self.assertIsNone(raised.exception.status)
        self.assertTrue(
            raised.exception.message.startswith("cannot reach %s: " % url), raised.exception.message
        )
        self.assertTrue(str(raised.exception).startswith("metrics were not recorded (no answer): "))

    def test_prints_the_lines_even_when_the_report_is_refused(self):
        with ReportServer([(401, b'{"error": "wrong token"}')]) as server:
            with self.assertRaises(ReportError):
                self.report(server.url, {"loss": 0.25}, step=2)

        self.assertEqual(self.out.getvalue(), "loss=0.25 step=2\n")


if __name__ == "__main__":
    unittest.main()
