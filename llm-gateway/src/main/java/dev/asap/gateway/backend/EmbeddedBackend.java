package dev.asap.gateway.backend;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaIterator;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import de.kherud.llama.ModelParameters;
import dev.asap.gateway.api.ChatMessage;
import dev.asap.gateway.api.ChatRequest;
import dev.asap.gateway.api.ErrorBody;
import dev.asap.gateway.api.InvalidRequestException;
import dev.asap.gateway.api.ResponseFormat;
import dev.asap.gateway.routing.BackendFailure;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;

/**
 * A GGUF model run in this process through llama.cpp, with one slot so that its KV cache holds
 * exactly the previous prompt, and the next prompt sharing its head skips that part of prefill.
 */
public final class EmbeddedBackend implements Backend {

  private static final Logger LOG = Logger.getLogger(EmbeddedBackend.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ANY_OBJECT_SCHEMA = "{\"type\":\"object\"}";

  /** Generation cap when the client sets none: enough for a pick, short of a runaway. */
  static final int DEFAULT_MAX_TOKENS = 1024;

  private final String name;
  private final String model;
  private final int contextSize;
  private final LlamaModel llama;

  // Fair, so requests for one model are served in arrival order; llama.cpp has one slot anyway.
  private final ReentrantLock slot = new ReentrantLock(true);
  private int[] slotPrompt = new int[0];

  /**
   * Loads the model; {@code logFile}, when set, receives llama.cpp's own log (its per-request
   * {@code prompt eval time} lines included) besides standard error.
   */
  public EmbeddedBackend(String name, Path modelPath, int contextSize, int threads, Path logFile) {
    this.name = name;
    this.contextSize = contextSize;
    String file = modelPath.getFileName().toString();
    this.model = file.endsWith(".gguf") ? file.substring(0, file.length() - 5) : file;
    ModelParameters parameters =
        new ModelParameters()
            .setModel(modelPath.toString())
            .setCtxSize(contextSize)
            .setThreads(threads)
            .setThreadsBatch(threads)
            .setParallel(1);
    if (logFile != null) {
      parameters.setLogFile(logFile.toString());
    }
    this.llama = new LlamaModel(parameters);
    LOG.infof(
        "backend %s: loaded %s (context %d, %d threads)", name, modelPath, contextSize, threads);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String model() {
    return model;
  }

  @Override
  public BackendReply complete(ChatRequest request, Duration timeout) throws BackendFailure {
    ClientError refusal = refuseUnsafe(request);
    if (refusal != null) {
      return refusal;
    }
    try {
      if (!slot.tryLock(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
        throw new BackendFailure(
            BackendFailure.Kind.BUSY,
            "waited " + timeout.toMillis() + " ms for the model's only slot");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BackendFailure(BackendFailure.Kind.TIMEOUT, "interrupted while waiting");
    }
    try {
      return generate(request, timeout);
    } finally {
      slot.unlock();
    }
  }

  /**
   * Refuses what llama.cpp could abort the process on: a raw grammar, which cannot be checked in
   * Java, and a JSON schema outside the subset {@link SupportedJsonSchema} accepts.
   */
  static ClientError refuseUnsafe(ChatRequest request) {
    if (request.grammar() != null) {
      return new ClientError(
          400,
          ErrorBody.of(
              "grammar is not supported by embedded backends; use response_format with a"
                  + " json_schema",
              "invalid_request_error",
              "grammar"));
    }
    if (request.responseFormat().type() == ResponseFormat.Type.JSON_SCHEMA) {
      try {
        SupportedJsonSchema.check(request.responseFormat().schema());
      } catch (InvalidRequestException e) {
        return new ClientError(
            400, ErrorBody.of(e.getMessage(), "invalid_request_error", e.param()));
      }
    }
    return null;
  }

  /**
   * How many tokens the answer may take: the client's {@code max_tokens}, else up to {@link
   * #DEFAULT_MAX_TOKENS} of what the prompt leaves of the context. Refused when the prompt leaves
   * no room, since llama.cpp would otherwise silently drop the head of the prompt (the system
   * message first).
   */
  static int answerBudget(int promptTokens, Integer requested, int contextSize)
      throws InvalidRequestException {
    int room = contextSize - promptTokens;
    if (room < 1) {
      throw new InvalidRequestException(
          "the prompt's "
              + promptTokens
              + " tokens leave no room for an answer in the context size "
              + contextSize,
          "messages");
    }
    int maxTokens = requested != null ? requested : Math.min(DEFAULT_MAX_TOKENS, room);
    if (maxTokens > room) {
      throw new InvalidRequestException(
          "the prompt's "
              + promptTokens
              + " tokens plus max_tokens "
              + maxTokens
              + " exceed the context size "
              + contextSize,
          "messages");
    }
    return maxTokens;
  }

  /** The chat rendered with the model's own template, ending where the assistant's turn starts. */
  public String render(Iterable<ChatMessage> messages) {
    ObjectNode parameters = JSON.createObjectNode();
    ArrayNode list = parameters.putArray("messages");
    for (ChatMessage message : messages) {
      list.addObject().put("role", message.role()).put("content", message.content());
    }
    return llama.applyTemplate(parameters.toString());
  }

  /** The model's tokens for {@code text}, as llama.cpp's server tokenizes a prompt. */
  public int[] tokenize(String text) {
    return llama.encode(text);
  }

  /**
   * How many tokens of {@code next} llama.cpp reuses from a slot that last held {@code previous}:
   * their common prefix, less one when that is all of {@code next}, since the last prompt token is
   * always evaluated again to get the logits for the first generated token.
   */
  public static int reusedPrefix(int[] previous, int[] next) {
    int common = 0;
    while (common < previous.length && common < next.length && previous[common] == next[common]) {
      common++;
    }
    return Math.min(common, Math.max(next.length - 1, 0));
  }

  private BackendReply generate(ChatRequest request, Duration timeout) throws BackendFailure {
    String prompt = render(request.messages());
    int[] tokens = llama.encode(prompt);
    int maxTokens;
    try {
      maxTokens = answerBudget(tokens.length, request.maxTokens(), contextSize);
    } catch (InvalidRequestException e) {
      return new ClientError(400, ErrorBody.of(e.getMessage(), "invalid_request_error", e.param()));
    }
    // TODO(#3): the slot also caches the tokens it generated, so a next prompt that repeats the
    // previous answer reuses more than this prompt-only prefix counts.
    int cached = reusedPrefix(slotPrompt, tokens);
    slotPrompt = tokens;

    InferenceParameters parameters = parameters(request, prompt, maxTokens);
    JsonCompletionDetector json =
        request.responseFormat().isJson() ? new JsonCompletionDetector() : null;
    StringBuilder text = new StringBuilder();
    int generated = 0;
    long start = System.nanoTime();
    long firstToken = -1;
    LlamaIterator outputs;
    try {
      outputs = llama.generate(parameters).iterator();
    } catch (RuntimeException e) {
      throw new BackendFailure(BackendFailure.Kind.SERVER_ERROR, e.getMessage(), e);
    }
    while (outputs.hasNext()) {
      LlamaOutput output = outputs.next();
      if (firstToken < 0) {
        firstToken = System.nanoTime();
      }
      if (System.nanoTime() - firstToken > timeout.toNanos()) {
        outputs.cancel();
        throw new BackendFailure(
            BackendFailure.Kind.TIMEOUT, "decoding ran past the attempt timeout");
      }
      if (output.text.isEmpty()) {
        continue;
      }
      generated++;
      text.append(output.text);
      if (json != null && json.append(output.text)) {
        outputs.cancel();
        break;
      }
    }
    long end = System.nanoTime();
    if (firstToken < 0) {
      firstToken = end;
    }
    String content = json != null ? json.completeValue() : text.toString();
    boolean stopped = json != null && json.isComplete();
    String finishReason = !stopped && generated >= maxTokens ? "length" : "stop";
    Timings timings =
        new Timings(
            tokens.length - cached,
            (firstToken - start) / 1e6,
            generated,
            (end - firstToken) / 1e6,
            cached);
    return new Completion(model, content, finishReason, tokens.length, generated, cached, timings);
  }

  private static InferenceParameters parameters(ChatRequest request, String prompt, int maxTokens) {
    InferenceParameters parameters =
        new InferenceParameters(prompt).setCachePrompt(true).setNPredict(maxTokens);
    if (request.temperature() != null) {
      parameters.setTemperature(request.temperature().floatValue());
    }
    if (request.topP() != null) {
      parameters.setTopP(request.topP().floatValue());
    }
    if (request.seed() != null) {
      // llama.cpp takes a 32-bit seed; the low bits of a wider one keep it deterministic.
      parameters.setSeed((int) request.seed().longValue());
    }
    if (!request.stop().isEmpty()) {
      parameters.setStopStrings(request.stop().toArray(String[]::new));
    }
    ResponseFormat format = request.responseFormat();
    if (format.type() == ResponseFormat.Type.JSON_SCHEMA) {
      parameters.setGrammar(LlamaModel.jsonSchemaToGrammar(format.schema().toString()));
    } else if (format.type() == ResponseFormat.Type.JSON_OBJECT) {
      parameters.setGrammar(LlamaModel.jsonSchemaToGrammar(ANY_OBJECT_SCHEMA));
    }
    return parameters;
  }

  @Override
  public void close() {
    slot.lock();
    try {
      llama.close();
      LOG.infof("backend %s: model closed", name);
    } finally {
      slot.unlock();
    }
  }
}
