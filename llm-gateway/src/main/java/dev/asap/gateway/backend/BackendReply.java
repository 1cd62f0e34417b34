package dev.asap.gateway.backend;

/** What a backend answered: a completion, or a refusal that is the client's fault. */
public sealed interface BackendReply permits Completion, ClientError {}
