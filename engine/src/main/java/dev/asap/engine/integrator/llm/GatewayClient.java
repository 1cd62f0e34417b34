package dev.asap.engine.integrator.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.asap.engine.history.LlmCall;
import dev.asap.engine.study.DurationText;
import dev.asap.engine.study.IntegratorSpec;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Asks an OpenAI-compatible chat endpoint (ASAP's LLM gateway) to pick a candidate, and reads the
 * answer and the backend's cost figures.
 *
 * <p>Every request carries {@code X-Asap-Prefix-Key}, the same for all rounds of a study, by which
 * the gateway sends the study to the replica that holds its cached prompt. The answer is
 * constrained by a JSON schema ({@code {"pick": one of 1..k}}), greedy ({@code temperature 0}) and
 * seeded, so a replayed round asks for the same answer. Errors are sorted into {@link
 * FallbackCategory}s; a broken connection counts as unreachable.
 */
public final class GatewayClient {
  /** The answer is {@code {"pick": n}}: a handful of tokens. */
  static final int MAX_TOKENS = 16;

  static final String PREFIX_KEY_HEADER = "X-Asap-Prefix-Key";
  static final String BACKEND_HEADER = "X-Asap-Backend";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI completions;
  private final String model;
  private final Duration timeout;
  private final String prefixKey;
  private final HttpClient http;

  /**
   * A client of {@code settings}' endpoint.
   *
   * @param prefixKey the study's routing key, {@code <study name>/<short fingerprint>}
   */
  public GatewayClient(IntegratorSpec.Llm settings, String prefixKey) {
    this.completions = URI.create(settings.endpoint() + "/chat/completions");
    this.model = settings.model();
    this.timeout = settings.timeout();
    this.prefixKey = prefixKey;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(timeout)
            .build();
  }

  /**
   * Asks for a pick among {@code choices} candidates.
   *
   * @param seed the sampling seed, so that a replayed round asks the same question
   * @throws LlmFailure as timeout, unreachable or http-error
   */
  ChatReply ask(Prompt prompt, int choices, long seed) throws LlmFailure {
    HttpRequest request =
        HttpRequest.newBuilder(completions)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .header(PREFIX_KEY_HEADER, prefixKey)
            .POST(HttpRequest.BodyPublishers.ofString(body(prompt, choices, seed)))
            .build();
    long start = System.nanoTime();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (HttpConnectTimeoutException e) {
      throw new LlmFailure(
          FallbackCategory.UNREACHABLE,
          completions + ": no connection within " + DurationText.format(timeout),
          null);
    } catch (HttpTimeoutException e) {
      throw new LlmFailure(
          FallbackCategory.TIMEOUT, "no answer within " + DurationText.format(timeout), null);
    } catch (IOException e) {
      throw new LlmFailure(FallbackCategory.UNREACHABLE, completions + ": " + why(e), null);
    } catch (InterruptedException e) {
      // The study is being stopped; the round falls back, and the loop sees the flag next.
      Thread.currentThread().interrupt();
      throw new LlmFailure(FallbackCategory.TIMEOUT, "interrupted while waiting", null);
    }
    long totalMillis = (System.nanoTime() - start) / 1_000_000;
    String backend = response.headers().firstValue(BACKEND_HEADER).orElse(null);
    if (response.statusCode() / 100 != 2) {
      throw new LlmFailure(
          FallbackCategory.HTTP_ERROR,
          "status " + response.statusCode() + " " + LlmFailure.excerpt(response.body().strip()),
          null);
    }
    return reply(response.body(), backend, totalMillis);
  }

  /** The request body: the OpenAI chat format with a JSON-schema answer of 1..k. */
  String body(Prompt prompt, int choices, long seed) {
    ObjectNode body = JSON.createObjectNode();
    body.put("model", model);
    ArrayNode messages = body.putArray("messages");
    messages.addObject().put("role", "system").put("content", prompt.system());
    messages.addObject().put("role", "user").put("content", prompt.user());
    body.put("max_tokens", MAX_TOKENS);
    body.put("temperature", 0);
    body.put("seed", seed);
    ObjectNode format = body.putObject("response_format");
    format.put("type", "json_schema");
    ObjectNode schemaHolder = format.putObject("json_schema");
    schemaHolder.put("name", "choice");
    schemaHolder.put("strict", true);
    ObjectNode schema = schemaHolder.putObject("schema");
    schema.put("type", "object");
    ArrayNode picks = schema.putObject("properties").putObject("pick").putArray("enum");
    for (int i = 1; i <= choices; i++) {
      picks.add(i);
    }
    schema.putArray("required").add("pick");
    schema.put("additionalProperties", false);
    return body.toString();
  }

  /** The answer's text and figures; a body that is not a chat completion is unparsable. */
  static ChatReply reply(String body, String backend, long totalMillis) throws LlmFailure {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (IOException e) {
      throw new LlmFailure(
          FallbackCategory.UNPARSABLE, "response is not JSON: " + LlmFailure.excerpt(body), null);
    }
    JsonNode usage = root.path("usage");
    JsonNode timings = root.path("timings");
    Integer cached = integer(usage.path("prompt_tokens_details").path("cached_tokens"));
    var call =
        new LlmCall(
            backend,
            integer(usage.path("prompt_tokens")),
            cached != null ? cached : integer(timings.path("cache_n")),
            number(timings.path("prompt_ms")),
            number(timings.path("predicted_ms")),
            totalMillis);
    JsonNode content = root.path("choices").path(0).path("message").path("content");
    if (!content.isTextual()) {
      throw new LlmFailure(
          FallbackCategory.UNPARSABLE,
          "no choices[0].message.content in " + LlmFailure.excerpt(body),
          call);
    }
    return new ChatReply(content.textValue(), call);
  }

  private static Integer integer(JsonNode node) {
    return node.isIntegralNumber() && node.canConvertToInt() ? node.intValue() : null;
  }

  private static Double number(JsonNode node) {
    return node.isNumber() ? node.doubleValue() : null;
  }

  /** The root cause of a failed connection in a few words. */
  private static String why(IOException e) {
    Throwable cause = e;
    while (cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof UnresolvedAddressException || cause instanceof UnknownHostException) {
      return "unknown host";
    }
    if (e instanceof ConnectException || cause instanceof ConnectException) {
      String message = e.getMessage() != null ? e.getMessage() : cause.getMessage();
      return "cannot connect" + (message == null ? "" : " (" + message + ")");
    }
    String message = cause.getMessage();
    return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
