package dev.asap.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;

/** What shape the answer must take: free text, any JSON object, or JSON matching a schema. */
public record ResponseFormat(Type type, JsonNode schema) {

  /** The OpenAI {@code response_format.type} values this gateway honours. */
  public enum Type {
    TEXT,
    JSON_OBJECT,
    JSON_SCHEMA
  }

  public static final ResponseFormat TEXT = new ResponseFormat(Type.TEXT, null);

  /** Whether the answer must be one JSON value. */
  public boolean isJson() {
    return type != Type.TEXT;
  }
}
