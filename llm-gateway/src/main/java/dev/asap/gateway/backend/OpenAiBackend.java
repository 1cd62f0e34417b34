package dev.asap.gateway.backend;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.asap.gateway.api.ChatRequest;
import dev.asap.gateway.routing.BackendFailure;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A remote OpenAI-compatible server (llama.cpp's server, vLLM, another gateway): the request goes
 * through as sent, with {@code cache_prompt} on for servers that honour it.
 */
public final class OpenAiBackend implements Backend {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String name;
  private final URI completions;
  private final String apiKey;
  private final String model;
  private final HttpClient http;
  private final long maxBodyBytes;

  /** Answers larger than this are a backend failure: a pick is a few hundred bytes. */
  public static final long MAX_BODY_BYTES = 8L * 1024 * 1024;

  /** {@code model} and {@code apiKey} may be null: the client's model name is then kept. */
  public OpenAiBackend(String name, URI baseUrl, String apiKey, String model) {
    this(name, baseUrl, apiKey, model, MAX_BODY_BYTES);
  }

  OpenAiBackend(String name, URI baseUrl, String apiKey, String model, long maxBodyBytes) {
    this.name = name;
    this.maxBodyBytes = maxBodyBytes;
    String base = baseUrl.toString();
    this.completions =
        URI.create(base.endsWith("/") ? base + "chat/completions" : base + "/chat/completions");
    this.apiKey = apiKey;
    this.model = model;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String model() {
    return model != null ? model : name;
  }

  @Override
  public BackendReply complete(ChatRequest request, Duration timeout) throws BackendFailure {
    ObjectNode body = request.body().deepCopy();
    if (model != null) {
      body.put("model", model);
    }
    body.put("cache_prompt", true);
    HttpRequest.Builder post =
        HttpRequest.newBuilder(completions)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    if (apiKey != null) {
      post.header("Authorization", "Bearer " + apiKey);
    }
    HttpResponse<String> response = send(post.build(), timeout);
    int status = response.statusCode();
    if (status >= 500) {
      throw new BackendFailure(BackendFailure.Kind.SERVER_ERROR, "HTTP " + status);
    }
    if (status >= 400) {
      return new ClientError(status, response.body());
    }
    if (status != 200) {
      throw new BackendFailure(BackendFailure.Kind.SERVER_ERROR, "unexpected HTTP " + status);
    }
    return completion(response.body());
  }

  /**
   * Sends {@code request} and reads its whole body within {@code timeout}: the JDK's request
   * timeout stops at the headers, so a server that sends them and then stalls would otherwise hold
   * the attempt, and its in-flight slot, forever.
   */
  private HttpResponse<String> send(HttpRequest request, Duration timeout) throws BackendFailure {
    CompletableFuture<HttpResponse<String>> response =
        http.sendAsync(request, info -> new CappedBody(maxBodyBytes));
    try {
      return response.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      response.cancel(true);
      throw new BackendFailure(
          BackendFailure.Kind.TIMEOUT,
          "no complete answer from " + completions + " within " + timeout.toMillis() + " ms",
          e);
    } catch (InterruptedException e) {
      response.cancel(true);
      Thread.currentThread().interrupt();
      throw new BackendFailure(BackendFailure.Kind.CONNECTION, "interrupted", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof BodyTooLargeException) {
        throw new BackendFailure(
            BackendFailure.Kind.SERVER_ERROR, cause.getMessage() + " from " + completions, cause);
      }
      if (cause instanceof HttpTimeoutException) {
        throw new BackendFailure(
            BackendFailure.Kind.TIMEOUT,
            "no answer from " + completions + " within " + timeout.toMillis() + " ms",
            cause);
      }
      throw new BackendFailure(
          BackendFailure.Kind.CONNECTION, describe(cause) + " (" + completions + ")", cause);
    }
  }

  /** An answer body longer than the cap this backend reads. */
  static final class BodyTooLargeException extends IOException {
    BodyTooLargeException(long cap) {
      super("answer body exceeds " + cap + " bytes");
    }
  }

  /**
   * Collects a body as UTF-8 text up to {@code cap} bytes, and cancels the exchange past it, so a
   * runaway server cannot fill the gateway's memory.
   */
  static final class CappedBody implements HttpResponse.BodySubscriber<String> {
    private final long cap;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final CompletableFuture<String> body = new CompletableFuture<>();
    private Flow.Subscription subscription;

    CappedBody(long cap) {
      this.cap = cap;
    }

    @Override
    public CompletionStage<String> getBody() {
      return body;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      this.subscription = subscription;
      subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
      if (body.isDone()) {
        return;
      }
      for (ByteBuffer buffer : buffers) {
        if (bytes.size() + (long) buffer.remaining() > cap) {
          subscription.cancel();
          body.completeExceptionally(new BodyTooLargeException(cap));
          return;
        }
        byte[] chunk = new byte[buffer.remaining()];
        buffer.get(chunk);
        bytes.write(chunk, 0, chunk.length);
      }
    }

    @Override
    public void onError(Throwable error) {
      body.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
      body.complete(bytes.toString(StandardCharsets.UTF_8));
    }
  }

  /** Reads an OpenAI {@code chat.completion}, with llama.cpp's {@code timings} when present. */
  static Completion completion(String text) throws BackendFailure {
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new BackendFailure(BackendFailure.Kind.SERVER_ERROR, "answer is not JSON", e);
    }
    JsonNode choice = root.path("choices").path(0);
    if (!choice.path("message").path("content").isTextual()) {
      throw new BackendFailure(
          BackendFailure.Kind.SERVER_ERROR, "answer has no choices[0].message.content");
    }
    JsonNode usage = root.path("usage");
    JsonNode timings = root.path("timings");
    int cached =
        usage.path("prompt_tokens_details").has("cached_tokens")
            ? usage.path("prompt_tokens_details").path("cached_tokens").asInt()
            : timings.path("cache_n").asInt(0);
    Timings reported =
        timings.isObject()
            ? new Timings(
                timings.path("prompt_n").asInt(),
                timings.path("prompt_ms").asDouble(),
                timings.path("predicted_n").asInt(),
                timings.path("predicted_ms").asDouble(),
                timings.path("cache_n").asInt(cached))
            : null;
    return new Completion(
        root.path("model").asText(""),
        choice.path("message").path("content").asText(),
        choice.path("finish_reason").asText("stop"),
        usage.path("prompt_tokens").asInt(),
        usage.path("completion_tokens").asInt(),
        cached,
        reported);
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  @Override
  public void close() {
    // HttpClient gained close() only in Java 21; its threads end with the JVM.
  }
}
