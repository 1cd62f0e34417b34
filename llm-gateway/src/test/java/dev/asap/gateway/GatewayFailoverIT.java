package dev.asap.gateway;

import static dev.asap.gateway.GatewayProcesses.get;
import static dev.asap.gateway.GatewayProcesses.kill;
import static dev.asap.gateway.GatewayProcesses.metric;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real replicas (the packaged gateway, each with the embedded model) behind a front gateway:
 * one prefix key stays on one replica, and survives that replica's death through failover.
 */
class GatewayFailoverIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Map<String, Process> REPLICAS = new HashMap<>();

  @TempDir static Path logs;
  private static GatewayProcesses gateways;
  private static int frontPort;

  @BeforeAll
  static void startGateways() throws Exception {
    gateways = new GatewayProcesses(logs);
    var pair = gateways.startReplicaPair();
    REPLICAS.putAll(pair.replicas());
    frontPort = pair.frontPort();
  }

  @AfterAll
  static void stopGateways() throws InterruptedException {
    gateways.close();
  }

  @Test
  void keepsOneKeyOnOneReplicaAndFailsOverWhenItDies() throws Exception {
    List<String> served = new ArrayList<>();
    List<Integer> cached = new ArrayList<>();
    int promptTokens = 0;
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> response = chat("study-7");
      assertThat(response.statusCode()).isEqualTo(200);
      served.add(response.headers().firstValue("X-Asap-Backend").orElseThrow());
      JsonNode body = JSON.readTree(response.body());
      promptTokens = body.at("/usage/prompt_tokens").asInt();
      cached.add(body.at("/usage/prompt_tokens_details/cached_tokens").asInt());
    }
    String home = served.get(0);
    String other = home.equals("r1") ? "r2" : "r1";
    assertThat(served).containsExactly(home, home, home);
    // The same prompt again: llama.cpp reuses all of it but the last token.
    assertThat(cached.subList(1, 3)).containsExactly(promptTokens - 1, promptTokens - 1);
    String metrics = get(frontPort, "/q/metrics").body();
    assertThat(
            metric(metrics, "asap_gateway_requests_total{backend=\"" + home + "\",outcome=\"ok\"}"))
        .isEqualTo(3.0);
    assertThat(metric(metrics, "asap_gateway_affinity_total{result=\"hit\"}")).isEqualTo(3.0);

    kill(REPLICAS.get(home));
    List<String> after = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      HttpResponse<String> response = chat("study-7");
      assertThat(response.statusCode()).isEqualTo(200);
      after.add(response.headers().firstValue("X-Asap-Backend").orElseThrow());
    }

    assertThat(after).containsExactly(other, other);
    metrics = get(frontPort, "/q/metrics").body();
    assertThat(metric(metrics, "asap_gateway_failovers_total{backend=\"" + home + "\"}"))
        .isEqualTo(1.0);
    assertThat(metric(metrics, "asap_gateway_backend_up{backend=\"" + home + "\"}")).isEqualTo(0.0);
    assertThat(
            metric(
                metrics, "asap_gateway_requests_total{backend=\"" + other + "\",outcome=\"ok\"}"))
        .isEqualTo(2.0);
    assertThat(metric(metrics, "asap_gateway_affinity_total{result=\"miss\"}")).isEqualTo(2.0);
  }

  private static HttpResponse<String> chat(String prefixKey) throws Exception {
    ObjectNode request = JSON.createObjectNode();
    request.put("max_tokens", 4).put("temperature", 0);
    request
        .putArray("messages")
        .add(JSON.createObjectNode().put("role", "system").put("content", "Answer briefly."))
        .add(JSON.createObjectNode().put("role", "user").put("content", "Name a prime number."));
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + frontPort + "/v1/chat/completions"))
            .header("Content-Type", "application/json")
            .header("X-Asap-Prefix-Key", prefixKey)
            .timeout(Duration.ofSeconds(60))
            .POST(HttpRequest.BodyPublishers.ofString(request.toString()))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
