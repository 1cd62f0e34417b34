package dev.asap.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
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
import org.awaitility.Awaitility;
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
  private static final List<Process> PROCESSES = new ArrayList<>();
  private static final Map<String, Process> REPLICAS = new HashMap<>();

  @TempDir static Path logs;
  private static int frontPort;

  @BeforeAll
  static void startGateways() throws Exception {
    int port1 = freePort();
    int port2 = freePort();
    REPLICAS.put("r1", start("r1", port1, List.of("-Dasap.gateway.backends[0].threads=1")));
    REPLICAS.put("r2", start("r2", port2, List.of("-Dasap.gateway.backends[0].threads=1")));
    frontPort = freePort();
    start(
        "front",
        frontPort,
        List.of(
            "-Dasap.gateway.backends[0].name=r1",
            "-Dasap.gateway.backends[0].type=openai",
            "-Dasap.gateway.backends[0].url=http://127.0.0.1:" + port1 + "/v1",
            "-Dasap.gateway.backends[1].name=r2",
            "-Dasap.gateway.backends[1].type=openai",
            "-Dasap.gateway.backends[1].url=http://127.0.0.1:" + port2 + "/v1",
            // Long enough that no probe of the killed replica adds a second failover here.
            "-Dasap.gateway.routing.cooldown=10m"));
    for (int port : List.of(port1, port2, frontPort)) {
      Awaitility.await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(250))
          .ignoreExceptions()
          .until(() -> get(port, "/q/health/ready").statusCode() == 200);
    }
  }

  @AfterAll
  static void stopGateways() throws InterruptedException {
    for (Process process : PROCESSES) {
      process.destroyForcibly();
      process.waitFor();
    }
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

    Process dead = REPLICAS.get(home);
    dead.destroyForcibly();
    dead.waitFor();
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

  private static Process start(String name, int port, List<String> properties) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Dquarkus.http.port=" + port);
    command.add("-Dasap.gateway.backends[0].name=" + name);
    command.addAll(properties);
    command.add("-jar");
    command.add(System.getProperty("gateway.jar", "target/quarkus-app/quarkus-run.jar"));
    Path log = logs.resolve(name + ".log");
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    PROCESSES.add(process);
    return process;
  }

  private static HttpResponse<String> get(int port, String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static double metric(String text, String series) {
    for (String line : text.split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1));
      }
    }
    throw new AssertionError("no series " + series + " in\n" + text);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
