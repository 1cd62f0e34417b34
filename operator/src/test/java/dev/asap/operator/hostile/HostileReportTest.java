package dev.asap.operator.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.asap.operator.OperatorTestSupport;
import dev.asap.operator.StudyFixtures;
import dev.asap.operator.api.HpoStudy;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.RestAssured;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Hostile metric reports against a running study (trial 0 of atk-reports/rep keeps running). */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class HostileReportTest extends OperatorTestSupport {
  private static final String NS = "atk-reports";
  private String token;

  @BeforeEach
  void runningStudy() {
    if (study(NS, "rep") == null) {
      client.resource(StudyFixtures.gpuStudy(NS, "rep", 3, 0)).create();
    }
    awaitJob(NS, "rep-t0");
    token = token(NS, "rep");
  }

  private String body(String metrics) {
    return "{\"metrics\": {" + metrics + "}}";
  }

  @Test
  void aTenMegabyteBodyIsRefusedAndTheEndpointStillWorks() throws Exception {
    var sb = new StringBuilder("{\"metrics\": {\"val_accuracy\": 0.5}, \"step\": 1");
    sb.append(" ".repeat(10 * 1024 * 1024));
    sb.append("}");
    int code;
    try {
      code = raw(sb.toString()).statusCode();
    } catch (java.io.IOException e) {
      code = -1; // the server closed the connection mid-upload: refused before reading it all
      System.out.println("10 MB body: connection closed: " + e);
    }
    System.out.println("10 MB body -> " + code);
    assertThat(code).isIn(-1, 400, 413);
    assertThat(report(NS, "rep", "0", token, body("\"loss\": 1.0")).statusCode()).isEqualTo(202);
  }

  @Test
  void tenThousandMetricsAreRefusedNamingTheLimit() {
    var sb = new StringBuilder();
    for (int i = 0; i < 10_000; i++) {
      sb.append(i == 0 ? "" : ",").append("\"m").append(i).append("\": ").append(i);
    }
    var r = report(NS, "rep", "0", token, body(sb.toString()));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.jsonPath().getString("error")).isEqualTo("metrics holds more than 256 values");
  }

  /**
   * Sent with the JDK's own HTTP client: RestAssured itself runs out of heap on this body (the
   * operator does not; it answers 400 at once).
   */
  @Test
  void deeplyNestedJsonIsABadRequestNotAServerError() throws Exception {
    int depth = Integer.getInteger("attack.depth", 100_000);
    String deep = "{\"metrics\": " + "[".repeat(depth) + "]".repeat(depth) + "}";
    var r = raw(deep);
    System.out.println("nested " + depth + " -> " + r.statusCode() + " " + r.body());
    assertThat(r.statusCode()).isEqualTo(400);
  }

  private java.net.http.HttpResponse<String> raw(String body) throws Exception {
    var http = java.net.http.HttpClient.newHttpClient();
    var request =
        java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(
                    "http://127.0.0.1:"
                        + RestAssured.port
                        + "/api/v1alpha1/namespaces/"
                        + NS
                        + "/hpostudies/rep/trials/0/metrics"))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
            .build();
    return http.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Numbers beyond a double (1e400) are refused, not read as infinities; 1e-400 is 0. Names with
   * spaces, unicode, '=', newlines and lowercase "nan" are refused, each naming the problem.
   */
  @Test
  void oddMetricNamesAndValues() {
    var out = new ArrayList<String>();
    for (String m :
        new String[] {
          "\"val accuracy\": 1",
          "\"v\\u00e4l_acc\": 1",
          "\"\": 1",
          "\"a=b\": 1",
          "\"x\\ny\": 1",
          "\"val_accuracy\": \"nan\"",
          "\"val_accuracy\": 1e400",
          "\"val_accuracy\": -1e400",
          "\"val_accuracy\": 1e-400",
          "\"val_accuracy\": 12345678901234567890123456789",
          "\"val_accuracy\": true",
          "\"val_accuracy\": null",
        }) {
      var r = report(NS, "rep", "0", token, body(m));
      out.add(m + " -> " + r.statusCode() + " " + r.asString());
    }
    out.forEach(System.out::println);
    // What a production endpoint should do: refuse an overflowing literal (1e400 is not a
    // number a trial measured) rather than store it as Infinity.
    assertThat(out.get(6)).contains("-> 400");
  }

  /** A trial is addressed by its number as written: "+0", "00", "-1" and 2^31 are bad requests. */
  @Test
  void trialNumbersOutsideTheRange() {
    var out = new ArrayList<String>();
    for (String t : new String[] {"-1", "2147483648", "+0", "00", "0x0", " 0"}) {
      var r = report(NS, "rep", t, token, body("\"loss\": 1"));
      out.add(t + " -> " + r.statusCode() + " " + r.asString());
    }
    out.forEach(System.out::println);
    String refused = " -> 400 {\"error\":\"trial must be a whole number from 0 to 2147483647, got ";
    assertThat(out.get(0)).isEqualTo("-1" + refused + "-1\"}");
    assertThat(out.get(1)).isEqualTo("2147483648" + refused + "2147483648\"}");
    assertThat(out.get(2)).isEqualTo("+0" + refused + "+0\"}");
    assertThat(out.get(3)).isEqualTo("00" + refused + "00\"}");
  }

  @Test
  void anotherStudysTokenIsRefused() {
    if (study(NS, "other") == null) {
      client.resource(StudyFixtures.gpuStudy(NS, "other", 3, 0)).create();
    }
    String other = token(NS, "other");
    assertThat(report(NS, "rep", "0", other, body("\"loss\": 1")).statusCode()).isEqualTo(401);
    assertThat(report("elsewhere", "rep", "0", token, body("\"loss\": 1")).statusCode())
        .isEqualTo(404);
  }

  /**
   * Reports refused before any study is identified are counted without the namespace named in the
   * URL, so that nobody who reaches the port can grow the operator's metrics without bound.
   */
  @Test
  void unauthenticatedReportsDoNotGrowPrometheusSeriesWithoutBound() {
    for (int i = 0; i < 300; i++) {
      RestAssured.given()
          .body("{}")
          .post("/api/v1alpha1/namespaces/junk-" + i + "/hpostudies/x/trials/0/metrics")
          .then()
          .statusCode(404);
    }
    String metrics = RestAssured.get("/q/metrics").asString();
    long series = metrics.lines().filter(l -> l.contains("namespace=\"junk-")).count();
    System.out.println("series for made-up namespaces: " + series);
    assertThat(series).isLessThan(10);
  }

  @Test
  void concurrentReportsAreAllKeptOnTheTrial() throws Exception {
    var pool = Executors.newFixedThreadPool(16);
    var futures = new ArrayList<Future<Integer>>();
    for (int i = 0; i < 64; i++) {
      String m = "c" + i;
      futures.add(
          pool.submit(
              (Callable<Integer>)
                  () -> report(NS, "rep", "0", token, body("\"" + m + "\": 1")).statusCode()));
    }
    for (var f : futures) {
      assertThat(f.get()).isEqualTo(202);
    }
    pool.shutdown();
    var kept =
        await()
            .atMost(Duration.ofSeconds(15))
            .until(
                () -> trial(NS, "rep-t0").getStatus().metrics,
                m -> m != null && m.keySet().stream().filter(k -> k.startsWith("c")).count() == 64);
    assertThat(kept.keySet().stream().filter(k -> k.startsWith("c")).count()).isEqualTo(64);
  }

  /** 1e400 as the objective of a maximized study is refused: it can never become the best. */
  @Test
  void anOverflowingObjectiveIsRefused() {
    String ns = "atk-inf";
    client.resource(StudyFixtures.gpuStudy(ns, "inf", 2, 5)).create();
    awaitJob(ns, "inf-t0");

    var r = report(ns, "inf", "0", token(ns, "inf"), body("\"val_accuracy\": 1e400"));

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.asString())
        .isEqualTo(
            "{\"error\":\"metrics.val_accuracy is beyond what a double holds; send"
                + " \\\"Infinity\\\" or \\\"-Infinity\\\" to mean infinity\"}");
  }

  @Test
  void aReportAfterTheStudyWasDeletedIsNotFound() {
    String ns = "atk-deleted";
    client.resource(StudyFixtures.gpuStudy(ns, "gone", 2, 0)).create();
    awaitJob(ns, "gone-t0");
    String tok = token(ns, "gone");
    client.resources(HpoStudy.class).inNamespace(ns).withName("gone").delete();
    await().atMost(Duration.ofSeconds(20)).until(() -> study(ns, "gone") == null);
    var r = report(ns, "gone", "0", tok, body("\"val_accuracy\": 0.5"));
    assertThat(r.statusCode()).isEqualTo(404);
  }
}
