package dev.asap.gateway;

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

/**
 * Real gateway processes for integration tests, started from the packaged jar on loopback ports:
 * each test class owns one instance and closes it, which kills every process it started.
 */
public final class GatewayProcesses implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final Path logs;
  private final List<Process> processes = new ArrayList<>();

  /** Processes whose output goes to {@code logs/<name>.log}. */
  public GatewayProcesses(Path logs) {
    this.logs = logs;
  }

  /**
   * Starts a gateway named {@code name} on {@code port} with the given {@code -D} settings (its
   * first backend is named after it unless the settings say otherwise) and waits until it is ready.
   */
  public Process start(String name, int port, List<String> properties) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Dquarkus.http.port=" + port);
    command.add("-Dasap.gateway.backends[0].name=" + name);
    command.addAll(properties);
    command.add("-jar");
    command.add(System.getProperty("gateway.jar", "target/quarkus-app/quarkus-run.jar"));
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(logs.resolve(name + ".log").toFile())
            .start();
    processes.add(process);
    Awaitility.await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(250))
        .ignoreExceptions()
        .until(() -> !process.isAlive() || get(port, "/q/health/ready").statusCode() == 200);
    if (!process.isAlive()) {
      throw new IllegalStateException(
          "gateway " + name + " exited during start-up; see " + logs.resolve(name + ".log"));
    }
    return process;
  }

  /** Two replicas, each with the embedded model on one thread, and the front port before them. */
  public record ReplicaPair(Map<String, Process> replicas, int frontPort) {}

  /**
   * Starts replicas {@code r1} and {@code r2} and a front gateway whose backends they are. The
   * front's cooldown is ten minutes, so that no probe of a killed replica happens during a test.
   */
  public ReplicaPair startReplicaPair() throws IOException {
    int port1 = freePort();
    int port2 = freePort();
    Map<String, Process> replicas = new HashMap<>();
    replicas.put("r1", start("r1", port1, List.of("-Dasap.gateway.backends[0].threads=1")));
    replicas.put("r2", start("r2", port2, List.of("-Dasap.gateway.backends[0].threads=1")));
    int frontPort = freePort();
    List<String> front = new ArrayList<>(frontOf(List.of("r1", "r2"), List.of(port1, port2)));
    front.add("-Dasap.gateway.routing.cooldown=10m");
    front.add("-Dasap.gateway.routing.max-cooldown=10m");
    start("front", frontPort, front);
    return new ReplicaPair(replicas, frontPort);
  }

  /** Settings for a gateway whose backends are the OpenAI-compatible replicas on these ports. */
  public static List<String> frontOf(List<String> names, List<Integer> ports) {
    List<String> properties = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      String backend = "-Dasap.gateway.backends[" + i + "].";
      properties.add(backend + "name=" + names.get(i));
      properties.add(backend + "type=openai");
      properties.add(backend + "url=http://127.0.0.1:" + ports.get(i) + "/v1");
    }
    return properties;
  }

  /** Kills {@code process} at once, as a crashed replica would die. */
  public static void kill(Process process) throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  @Override
  public void close() throws InterruptedException {
    for (Process process : processes) {
      kill(process);
    }
  }

  /** A GET on the gateway at {@code port}. */
  public static HttpResponse<String> get(int port, String path)
      throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The value of one series in a Prometheus text exposition. */
  public static double metric(String text, String series) {
    for (String line : text.split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1));
      }
    }
    throw new AssertionError("no series " + series + " in\n" + text);
  }

  /** A loopback port that was free a moment ago (the child process binds it). */
  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
