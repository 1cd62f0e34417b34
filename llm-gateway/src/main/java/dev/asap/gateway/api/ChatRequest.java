package dev.asap.gateway.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A validated chat-completions request; {@code body} keeps the client's JSON as sent, so that a
 * remote backend receives every field, the ones this gateway does not know included.
 */
public record ChatRequest(
    String model,
    List<ChatMessage> messages,
    Integer maxTokens,
    Double temperature,
    Double topP,
    Long seed,
    List<String> stop,
    ResponseFormat responseFormat,
    String grammar,
    ObjectNode body) {}
