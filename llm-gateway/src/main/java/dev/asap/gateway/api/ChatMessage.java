package dev.asap.gateway.api;

/** One message of a chat: its role (system, user or assistant) and its text. */
public record ChatMessage(String role, String content) {}
