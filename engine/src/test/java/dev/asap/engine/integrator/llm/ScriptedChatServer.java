package dev.asap.engine.integrator.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * Test double of the LLM gateway: a JDK HTTP server on 127.0.0.1 at a free port that answers each
 * {@code POST /v1/chat/completions} with whatever the test scripts, including malformed answers,
 * errors and answers that never come, which a real model cannot be made to give on purpose. It
 * records every request it receives.
 */
public final class ScriptedChatServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One scripted response.
   *
   * @param status the HTTP status
   * @param body the response body
   * @param backend the {@code X-Asap-Backend} header, or {@code null} for none
   * @param behaviour how the response is sent
   */
  public record Reply(int status, String body, String backend, Behaviour behaviour) {

    /** How a reply is sent. */
    public enum Behaviour {
      /** The whole response at once. */
      ANSWER,
      /** Nothing at all until the server closes. */
      HANG,
      /** The headers and the body's first bytes, then nothing until the server closes. */
      STALL_AFTER_HEADERS,
      /** The headers, then the body repeated without end, up to {@link #FLOOD_LIMIT} bytes. */
      FLOOD
    }

    /** Where a flood stops if nobody stopped reading it first. */
    public static final long FLOOD_LIMIT = 64L * 1024 * 1024;

    /** A 200 whose message content is {@code content}, with the given usage and timings. */
    public static Reply content(String content, int promptTokens, int cachedTokens) {
      var body = JSON.createObjectNode();
      var message = body.putArray("choices").addObject().putObject("message");
      message.put("role", "assistant").put("content", content);
      var usage = body.putObject("usage");
      usage.put("prompt_tokens", promptTokens).put("completion_tokens", 5);
      usage.putObject("prompt_tokens_details").put("cached_tokens", cachedTokens);
      body.putObject("timings")
          .put("prompt_ms", 12.5)
          .put("predicted_ms", 30.25)
          .put("prompt_n", promptTokens - cachedTokens)
          .put("cache_n", cachedTokens);
      return new Reply(200, body.toString(), "replica-a", Behaviour.ANSWER);
    }

    /** A 200 answering {@code {"pick": n}}. */
    public static Reply pick(int n, int promptTokens, int cachedTokens) {
      return content("{\"pick\": " + n + "}", promptTokens, cachedTokens);
    }

    /** A response with {@code status} and a plain-text body. */
    public static Reply status(int status, String body) {
      return new Reply(status, body, null, Behaviour.ANSWER);
    }

    /** No answer until the server closes. */
    public static Reply hanging() {
      return new Reply(200, "", null, Behaviour.HANG);
    }

    /** A 200 whose headers come at once and whose body stops after its first bytes. */
    public static Reply stallingAfterHeaders() {
      return new Reply(200, "{\"choices\":", "replica-a", Behaviour.STALL_AFTER_HEADERS);
    }

    /** A 200 whose body never ends: {@code chunk} over and over. */
    public static Reply flood(String chunk) {
      return new Reply(200, chunk, "replica-a", Behaviour.FLOOD);
    }

    /** This reply with the {@code X-Asap-Backend} header {@code backend}. */
    public Reply withBackend(String backend) {
      return new Reply(status, body, backend, behaviour);
    }
  }

  /**
   * One request as received.
   *
   * @param prefixKey the {@code X-Asap-Prefix-Key} header, or {@code null}
   * @param body the parsed JSON body
   */
  public record Request(String prefixKey, JsonNode body) {}

  private final HttpServer server;
  private final ExecutorService handlers = Executors.newCachedThreadPool();
  private final CountDownLatch closing = new CountDownLatch(1);
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final Function<Request, Reply> script;

  private ScriptedChatServer(Function<Request, Reply> script) throws IOException {
    this.script = script;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/v1/chat/completions", this::answer);
    // Handlers run on their own threads, so a hanging one does not block the others.
    server.setExecutor(handlers);
    server.start();
  }

  /** A server that answers each request with {@code script}'s reply to it. */
  public static ScriptedChatServer start(Function<Request, Reply> script) {
    try {
      return new ScriptedChatServer(script);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The endpoint to configure: {@code http://127.0.0.1:<port>/v1}. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
  }

  /** Every request received so far, in order. */
  public List<Request> requests() {
    return List.copyOf(requests);
  }

  private void answer(HttpExchange exchange) throws IOException {
    try (exchange) {
      var request =
          new Request(
              exchange.getRequestHeaders().getFirst("X-Asap-Prefix-Key"),
              JSON.readTree(exchange.getRequestBody()));
      requests.add(request);
      Reply reply = script.apply(request);
      if (reply.behaviour() == Reply.Behaviour.HANG) {
        closing.await();
        return;
      }
      if (reply.backend() != null) {
        exchange.getResponseHeaders().add("X-Asap-Backend", reply.backend());
      }
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
      switch (reply.behaviour()) {
        case STALL_AFTER_HEADERS -> {
          exchange.sendResponseHeaders(reply.status(), 0);
          exchange.getResponseBody().write(bytes);
          exchange.getResponseBody().flush();
          closing.await();
        }
        case FLOOD -> {
          exchange.sendResponseHeaders(reply.status(), 0);
          for (long sent = 0; sent < Reply.FLOOD_LIMIT && closing.getCount() > 0; ) {
            exchange.getResponseBody().write(bytes);
            sent += bytes.length;
          }
        }
        default -> {
          exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
          exchange.getResponseBody().write(bytes);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      // The client hung up on a stalled or flooding answer, as it should.
    }
  }

  /** Frees any hanging handler, then stops the server and its threads. */
  @Override
  public void close() {
    closing.countDown();
    server.stop(0);
    handlers.shutdownNow();
  }

  /**
   * An endpoint on 127.0.0.1 where nothing listens: a port bound and closed again. Another process
   * could take the port in between; on a test machine that is rare enough to accept.
   */
  public static URI deadEndpoint() {
    try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/v1");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
