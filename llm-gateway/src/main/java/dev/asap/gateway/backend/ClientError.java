package dev.asap.gateway.backend;

/**
 * A 4xx answer: the request itself is at fault, so it goes back to the client as is and no other
 * backend is tried.
 */
public record ClientError(int status, String body) implements BackendReply {}
