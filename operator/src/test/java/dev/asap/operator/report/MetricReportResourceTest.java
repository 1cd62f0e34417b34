package dev.asap.operator.report;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.asap.operator.StudyFixtures;
import dev.asap.operator.api.HpoStudy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the metric endpoint answers to reports it cannot take; each answer names the problem. */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class MetricReportResourceTest {
  private static final String NS = "reports";
  private static final String URL = "/api/v1alpha1/namespaces/reports/hpostudies/rep/trials/";

  @Inject KubernetesClient client;

  private String token;

  @BeforeEach
  void runningStudy() {
    if (client.resources(HpoStudy.class).inNamespace(NS).withName("rep").get() == null) {
      client.resource(StudyFixtures.gpuStudy(NS, "rep", 3, 0)).create();
    }
    await()
        .until(() -> client.batch().v1().jobs().inNamespace(NS).withName("rep-t0").get() != null);
    var secret = client.secrets().inNamespace(NS).withName("rep-asap-report").get();
    token =
        new String(
            Base64.getDecoder().decode(secret.getData().get("token")), StandardCharsets.UTF_8);
  }

  private ValidatableResponse post(String trial, String auth, String body) {
    var request = given().contentType("application/json").body(body);
    if (auth != null) {
      request = request.header("Authorization", auth);
    }
    return request.post(URL + trial + "/metrics").then();
  }

  @Test
  void aReportForAStudyThatDoesNotRunIsNotFound() {
    given()
        .header("Authorization", "Bearer " + token)
        .body("{\"metrics\": {\"val_accuracy\": 0.5}}")
        .post("/api/v1alpha1/namespaces/reports/hpostudies/nope/trials/0/metrics")
        .then()
        .statusCode(404)
        .body("error", equalTo("no running study reports/nope"));
  }

  @Test
  void aReportWithoutATokenIsRefused() {
    post("0", null, "{\"metrics\": {\"val_accuracy\": 0.5}}")
        .statusCode(401)
        .body(
            "error",
            equalTo(
                "missing or wrong token: send the study's token as 'Authorization: Bearer TOKEN'"
                    + " (the pod's ASAP_REPORT_TOKEN)"));
  }

  @Test
  void aReportForATrialThatNeverRanIsNotFound() {
    post("7", "Bearer " + token, "{\"metrics\": {\"val_accuracy\": 0.5}}")
        .statusCode(404)
        .body("error", equalTo("study rep has no running trial 7"));
  }

  @Test
  void aTrialNumberThatIsNotANumberIsABadRequest() {
    post("seven", "Bearer " + token, "{\"metrics\": {\"val_accuracy\": 0.5}}")
        .statusCode(400)
        .body("error", equalTo("trial must be a whole number from 0 to 2147483647, got seven"));
  }

  @Test
  void bodiesThatAreNotReportsAreBadRequestsNamingTheField() {
    String bearer = "Bearer " + token;
    post("0", bearer, "val_accuracy=0.5")
        .statusCode(400)
        .body("error", equalTo("the body is not JSON: expected {\"metrics\": {...}}"));
    post("0", bearer, "[1, 2]")
        .statusCode(400)
        .body("error", equalTo("the body must be a JSON object with a metrics object"));
    post("0", bearer, "{\"metrics\": {}}")
        .statusCode(400)
        .body("error", equalTo("metrics must be a non-empty object of metric names to numbers"));
    post("0", bearer, "{\"metrics\": {\"val_accuracy\": \"high\"}}")
        .statusCode(400)
        .body(
            "error",
            equalTo(
                "metrics.val_accuracy must be a number or one of \"NaN\", \"Infinity\","
                    + " \"-Infinity\", got \"high\""));
    post("0", bearer, "{\"metrics\": {\"val_accuracy\": 0.5}, \"epoch\": 3}")
        .statusCode(400)
        .body("error", equalTo("unknown field epoch; allowed: metrics, step"));
    post("0", bearer, "{\"metrics\": {\"val_accuracy\": 0.5}, \"step\": -1}")
        .statusCode(400)
        .body("error", equalTo("step must be a whole number of 0 or more, got -1"));
    post("0", bearer, "{\"metrics\": {\"val_accuracy\": 0.5}, \"step\": 1.5}")
        .statusCode(400)
        .body("error", equalTo("step must be a whole number of 0 or more, got 1.5"));
  }
}
