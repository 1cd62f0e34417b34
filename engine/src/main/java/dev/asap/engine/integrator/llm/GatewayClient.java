package dev.asap.engine.integrator.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.asap.engine.history.LlmCall;
import dev.asap.engine.study.DurationText;
import dev.asap.engine.study.IntegratorSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.UnresolvedAddressException;
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
  /** The answer is {@code {"pick": n}}: a handful of tokens, with room for stray whitespace. */
  static final int MAX_TOKENS = 32;

  /** Far above any chat answer; a body beyond it is refused rather than held in memory. */
  static final int MAX_BODY_BYTES = 4 * 1024 * 1024;

  /** More tokens than any model's context holds: a count above it is not believed. */
  static final int MAX_PROMPT_TOKENS = 10_000_000;

  /** A replica name longer than this is cut, so a server cannot bloat every journal line. */
  static final int MAX_BACKEND_CHARS = 64;

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
    long start = System.nanoTime();
    var body = new CappedBody();
    CompletableFuture<HttpResponse<String>> pending = null;
    HttpResponse<String> response;
    try {
      HttpRequest request =
          HttpRequest.newBuilder(completions)
              .timeout(timeout)
              .header("Content-Type", "application/json")
              .header(PREFIX_KEY_HEADER, prefixKey)
              .POST(HttpRequest.BodyPublishers.ofString(body(prompt, choices, seed)))
              .build();
      pending = http.sendAsync(request, info -> body);
      // The request timeout only bounds the wait for the headers; a body that stalls or trickles
      // would hold the round forever, so the whole exchange gets one deadline.
      response = pending.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      abandon(pending, body);
      throw new LlmFailure(FallbackCategory.TIMEOUT, "no answer within " + shown(timeout), null);
    } catch (ExecutionException e) {
      abandon(pending, body);
      throw failure(e.getCause() != null ? e.getCause() : e);
    } catch (RuntimeException e) {
      abandon(pending, body);
      throw failure(e);
    } catch (InterruptedException e) {
      abandon(pending, body);
      // The study is being stopped; the round falls back, and the loop sees the flag next.
      Thread.currentThread().interrupt();
      throw new LlmFailure(FallbackCategory.TIMEOUT, "interrupted while waiting", null);
    }
    long totalMillis = (System.nanoTime() - start) / 1_000_000;
    String backend =
        response.headers().firstValue(BACKEND_HEADER).map(GatewayClient::backendName).orElse(null);
    if (response.statusCode() / 100 != 2) {
      throw new LlmFailure(
          FallbackCategory.HTTP_ERROR,
          "status " + response.statusCode() + " " + LlmFailure.excerpt(response.body().strip()),
          null);
    }
    return reply(response.body(), backend, totalMillis);
  }

  /** Stops waiting for an exchange given up on, so that it holds no connection or buffer. */
  private static void abandon(CompletableFuture<?> pending, CappedBody body) {
    if (pending != null) {
      pending.cancel(true);
    }
    body.cancel();
  }

  /** A failed exchange sorted into its category; never lets a runtime exception through. */
  private LlmFailure failure(Throwable cause) {
    if (cause instanceof BodyTooLarge) {
      return new LlmFailure(
          FallbackCategory.HTTP_ERROR,
          "response body over " + MAX_BODY_BYTES / (1024 * 1024) + " MiB",
          null);
    }
    if (cause instanceof HttpConnectTimeoutException) {
      return new LlmFailure(
          FallbackCategory.UNREACHABLE,
          completions + ": no connection within " + shown(timeout),
          null);
    }
    if (cause instanceof HttpTimeoutException) {
      return new LlmFailure(FallbackCategory.TIMEOUT, "no answer within " + shown(timeout), null);
    }
    if (cause instanceof IOException io) {
      return new LlmFailure(FallbackCategory.UNREACHABLE, completions + ": " + why(io), null);
    }
    if (cause instanceof IllegalArgumentException) {
      // The JDK client refuses an address it cannot use (a port out of range) this way.
      return new LlmFailure(
          FallbackCategory.UNREACHABLE,
          completions + ": bad address (" + cause.getMessage() + ")",
          null);
    }
    String message = cause.getMessage();
    return new LlmFailure(
        FallbackCategory.HTTP_ERROR,
        cause.getClass().getSimpleName()
            + (message == null ? "" : ": " + LlmFailure.excerpt(message)),
        null);
  }

  /**
   * A duration for a reason: the study file's form when whole seconds, else milliseconds, which
   * that form cannot write.
   */
  static String shown(Duration d) {
    return d.toMillis() % 1000 == 0 ? DurationText.format(d) : d.toMillis() + "ms";
  }

  /** The backend's name as the journal keeps it: at most {@value #MAX_BACKEND_CHARS} chars. */
  static String backendName(String header) {
    String clean = LlmFailure.escaped(header);
    return clean.length() <= MAX_BACKEND_CHARS ? clean : clean.substring(0, MAX_BACKEND_CHARS);
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
    // The figures come from whatever answered; one that cannot be true is dropped, not stored.
    Integer prompt = tokens(usage.path("prompt_tokens"));
    Integer cached = tokens(usage.path("prompt_tokens_details").path("cached_tokens"));
    if (cached == null) {
      cached = tokens(timings.path("cache_n"));
    }
    if (cached != null && prompt != null && cached > prompt) {
      cached = null;
    }
    var call =
        new LlmCall(
            backend,
            prompt,
            cached,
            millis(timings.path("prompt_ms")),
            millis(timings.path("predicted_ms")),
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

  /** A token count, or {@code null} when absent, negative or beyond any model's context. */
  private static Integer tokens(JsonNode node) {
    if (!node.isIntegralNumber() || !node.canConvertToInt()) {
      return null;
    }
    int count = node.intValue();
    return count >= 0 && count <= MAX_PROMPT_TOKENS ? count : null;
  }

  /** A duration in milliseconds, or {@code null} when absent, negative or not finite. */
  private static Double millis(JsonNode node) {
    if (!node.isNumber()) {
      return null;
    }
    double value = node.doubleValue();
    return Double.isFinite(value) && value >= 0 ? value : null;
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

  /** A body over {@link #MAX_BODY_BYTES}. */
  private static final class BodyTooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    BodyTooLarge() {
      super("response body too large");
    }
  }

  /** Collects a body as UTF-8 text, giving up as soon as it passes {@link #MAX_BODY_BYTES}. */
  private static final class CappedBody implements HttpResponse.BodySubscriber<String> {
    private final CompletableFuture<String> text = new CompletableFuture<>();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private volatile Flow.Subscription subscription;

    @Override
    public CompletionStage<String> getBody() {
      return text;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      this.subscription = subscription;
      subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      for (ByteBuffer item : items) {
        if (text.isDone()) {
          return;
        }
        if ((long) bytes.size() + item.remaining() > MAX_BODY_BYTES) {
          subscription.cancel();
          text.completeExceptionally(new BodyTooLarge());
          return;
        }
        byte[] chunk = new byte[item.remaining()];
        item.get(chunk);
        bytes.write(chunk, 0, chunk.length);
      }
    }

    @Override
    public void onError(Throwable error) {
      text.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
      text.complete(bytes.toString(StandardCharsets.UTF_8));
    }

    void cancel() {
      Flow.Subscription current = subscription;
      if (current != null) {
        current.cancel();
      }
      text.cancel(true);
    }
  }
}
