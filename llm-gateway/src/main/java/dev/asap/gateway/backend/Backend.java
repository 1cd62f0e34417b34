package dev.asap.gateway.backend;

import dev.asap.gateway.api.ChatRequest;
import dev.asap.gateway.routing.BackendFailure;
import java.time.Duration;

/** A place that can complete chats: a model in this process, or a remote OpenAI-style server. */
public interface Backend extends AutoCloseable {

  /** The name this backend has in configuration, metrics and the X-Asap-Backend header. */
  String name();

  /** The model it serves, as {@code /v1/models} lists it. */
  String model();

  /**
   * Completes {@code request} within {@code timeout}; throws {@link BackendFailure} when the
   * backend, not the request, is at fault.
   */
  BackendReply complete(ChatRequest request, Duration timeout) throws BackendFailure;

  @Override
  void close();
}
