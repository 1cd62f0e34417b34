package dev.asap.gateway.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.asap.gateway.CompletionDispatcher;
import dev.asap.gateway.backend.BackendReply;
import dev.asap.gateway.backend.ClientError;
import dev.asap.gateway.backend.Completion;
import dev.asap.gateway.backend.Timings;
import dev.asap.gateway.routing.AffinityRouter;
import dev.asap.gateway.routing.NoBackendAvailableException;
import dev.asap.gateway.routing.PrefixKey;
import jakarta.inject.Inject;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.UUID;

/** OpenAI's {@code POST /v1/chat/completions}, non-streaming, routed by prefix key. */
@Path("/v1/chat/completions")
public class ChatCompletionsResource {

  /** The response header that names the backend which served the request. */
  public static final String BACKEND_HEADER = "X-Asap-Backend";

  @Inject CompletionDispatcher dispatcher;
  @Inject ObjectMapper json;

  @POST
  public Response complete(String body, @HeaderParam(PrefixKey.HEADER) String prefixKeyHeader) {
    ChatRequest request;
    try {
      request = ChatRequestParser.parse(read(body));
    } catch (InvalidRequestException e) {
      dispatcher.refused();
      return error(400, ErrorBody.of(e.getMessage(), "invalid_request_error", e.param()));
    }
    String key = PrefixKey.of(prefixKeyHeader, request.messages().get(0).content());
    AffinityRouter.Routed<BackendReply> routed;
    try {
      routed = dispatcher.complete(request, key);
    } catch (NoBackendAvailableException e) {
      return error(503, ErrorBody.of(e.getMessage(), "service_unavailable", null));
    }
    if (routed.result() instanceof ClientError refusal) {
      return Response.status(refusal.status())
          .type(MediaType.APPLICATION_JSON)
          .header(BACKEND_HEADER, routed.backend())
          .entity(refusal.body())
          .build();
    }
    Completion completion = (Completion) routed.result();
    return Response.ok(toJson(completion, request).toString(), MediaType.APPLICATION_JSON)
        .header(BACKEND_HEADER, routed.backend())
        .build();
  }

  private JsonNode read(String body) throws InvalidRequestException {
    try {
      return json.readTree(body == null ? "" : body);
    } catch (JsonProcessingException e) {
      throw new InvalidRequestException(
          "the request body is not valid JSON: " + e.getOriginalMessage(), null);
    }
  }

  private ObjectNode toJson(Completion completion, ChatRequest request) {
    ObjectNode root = json.createObjectNode();
    root.put("id", "chatcmpl-" + UUID.randomUUID());
    root.put("object", "chat.completion");
    root.put("created", Instant.now().getEpochSecond());
    String model = completion.model().isEmpty() ? request.model() : completion.model();
    root.put("model", model);
    ObjectNode choice = root.putArray("choices").addObject();
    choice.put("index", 0);
    choice.putObject("message").put("role", "assistant").put("content", completion.content());
    choice.put("finish_reason", completion.finishReason());
    ObjectNode usage = root.putObject("usage");
    usage.put("prompt_tokens", completion.promptTokens());
    usage.put("completion_tokens", completion.completionTokens());
    usage.put("total_tokens", completion.promptTokens() + completion.completionTokens());
    usage.putObject("prompt_tokens_details").put("cached_tokens", completion.cachedTokens());
    Timings timings = completion.timings();
    if (timings != null) {
      root.putObject("timings")
          .put("prompt_n", timings.promptN())
          .put("prompt_ms", timings.promptMs())
          .put("predicted_n", timings.predictedN())
          .put("predicted_ms", timings.predictedMs())
          .put("cache_n", timings.cacheN());
    }
    return root;
  }

  private static Response error(int status, String body) {
    return Response.status(status).type(MediaType.APPLICATION_JSON).entity(body).build();
  }
}
