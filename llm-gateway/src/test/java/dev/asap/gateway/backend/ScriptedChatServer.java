package dev.asap.gateway.backend;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A test double for an OpenAI-compatible server on loopback that misbehaves on purpose (stalls
 * after its headers, or answers too much), which no real server can be made to do on demand.
 */
final class ScriptedChatServer implements AutoCloseable {

  /** What the server does with each request. */
  @FunctionalInterface
  interface Script {
    void answer(HttpExchange exchange, CountDownLatch closed) throws Exception;
  }

  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final CountDownLatch closed = new CountDownLatch(1);

  private ScriptedChatServer(Script script) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(threads);
    server.createContext(
        "/v1/chat/completions",
        exchange -> {
          try (exchange) {
            exchange.getRequestBody().readAllBytes();
            script.answer(exchange, closed);
          } catch (Exception e) {
            // The client went away or the double is closing: nothing to answer.
          }
        });
    server.start();
  }

  /** Answers every request with {@code body}, status 200. */
  static ScriptedChatServer answering(String body) throws IOException {
    return new ScriptedChatServer(
        (exchange, closed) -> {
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, bytes.length);
          exchange.getResponseBody().write(bytes);
        });
  }

  /** Sends 200 headers and the first bytes of a chunked body, then nothing until closed. */
  static ScriptedChatServer stallingAfterHeaders() throws IOException {
    return new ScriptedChatServer(
        (exchange, closed) -> {
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, 0);
          OutputStream out = exchange.getResponseBody();
          out.write("{\"choices\": [".getBytes(StandardCharsets.UTF_8));
          out.flush();
          closed.await();
        });
  }

  /** Answers 200 with a chunked body of {@code size} spaces. */
  static ScriptedChatServer answeringBytes(int size) throws IOException {
    return new ScriptedChatServer(
        (exchange, closed) -> {
          exchange.sendResponseHeaders(200, 0);
          OutputStream out = exchange.getResponseBody();
          byte[] chunk = " ".repeat(1024).getBytes(StandardCharsets.US_ASCII);
          for (int sent = 0; sent < size; sent += chunk.length) {
            out.write(chunk, 0, Math.min(chunk.length, size - sent));
          }
        });
  }

  URI baseUrl() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
  }

  @Override
  public void close() {
    closed.countDown();
    server.stop(0);
    threads.shutdownNow();
  }
}
