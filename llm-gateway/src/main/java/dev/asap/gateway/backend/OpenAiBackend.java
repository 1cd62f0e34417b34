package dev.asap.gateway.backend;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.asap.gateway.api.ChatRequest;
import dev.asap.gateway.routing.BackendFailure;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

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

  /** {@code model} and {@code apiKey} may be null: the client's model name is then kept. */
  public OpenAiBackend(String name, URI baseUrl, String apiKey, String model) {
    this.name = name;
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

  private HttpResponse<String> send(HttpRequest request, Duration timeout) throws BackendFailure {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (HttpTimeoutException e) {
      throw new BackendFailure(
          BackendFailure.Kind.TIMEOUT, "no answer within " + timeout.toMillis() + " ms", e);
    } catch (IOException e) {
      throw new BackendFailure(BackendFailure.Kind.CONNECTION, describe(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BackendFailure(BackendFailure.Kind.CONNECTION, "interrupted", e);
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

  private static String describe(IOException e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  @Override
  public void close() {
    // HttpClient gained close() only in Java 21; its threads end with the JVM.
  }
}
