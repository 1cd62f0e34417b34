package dev.asap.gateway.backend;

/**
 * One generated answer with its token counts; {@code timings} is null when the backend did not
 * report them.
 */
public record Completion(
    String model,
    String content,
    String finishReason,
    int promptTokens,
    int completionTokens,
    int cachedTokens,
    Timings timings)
    implements BackendReply {}
