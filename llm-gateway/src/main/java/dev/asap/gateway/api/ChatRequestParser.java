package dev.asap.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads a chat-completions body the way OpenAI servers do: unknown fields are ignored, a known
 * field with a wrong type or value is refused with its path and the values it allows.
 */
public final class ChatRequestParser {

  private static final Set<String> ROLES = Set.of("system", "user", "assistant");
  private static final int MAX_STOP_STRINGS = 4;

  private ChatRequestParser() {}

  /** Validates {@code json} and returns the request it describes. */
  public static ChatRequest parse(JsonNode json) throws InvalidRequestException {
    if (json == null || !json.isObject()) {
      throw new InvalidRequestException("the request body must be a JSON object", null);
    }
    ObjectNode body = (ObjectNode) json;
    String model = optionalString(body, "model");
    List<ChatMessage> messages = messages(body);
    Integer maxTokens = maxTokens(body);
    Double temperature = number(body, "temperature", 0, 2, "a number from 0 to 2");
    Double topP = number(body, "top_p", Double.MIN_VALUE, 1, "a number above 0 and at most 1");
    Long seed = seed(body);
    List<String> stop = stop(body);
    requireOneChoice(body);
    requireNoStreaming(body);
    ResponseFormat format = responseFormat(body);
    String grammar = optionalString(body, "grammar");
    if (grammar != null && format.isJson()) {
      throw new InvalidRequestException(
          "grammar cannot be combined with a JSON response_format: give one or the other",
          "grammar");
    }
    return new ChatRequest(
        model, messages, maxTokens, temperature, topP, seed, stop, format, grammar, body);
  }

  private static List<ChatMessage> messages(ObjectNode body) throws InvalidRequestException {
    JsonNode node = field(body, "messages");
    if (node == null || !node.isArray() || node.isEmpty()) {
      throw new InvalidRequestException(
          "messages must be a non-empty array of {role, content}", "messages");
    }
    List<ChatMessage> messages = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      String path = "messages[" + i + "]";
      JsonNode message = node.get(i);
      if (!message.isObject()) {
        throw new InvalidRequestException(path + " must be an object {role, content}", path);
      }
      JsonNode role = field(message, "role");
      if (role == null || !role.isTextual() || !ROLES.contains(role.asText())) {
        throw new InvalidRequestException(
            path + ".role must be one of system, user, assistant", path + ".role");
      }
      JsonNode content = field(message, "content");
      if (content == null || !content.isTextual()) {
        throw new InvalidRequestException(path + ".content must be a string", path + ".content");
      }
      messages.add(new ChatMessage(role.asText(), content.asText()));
    }
    return messages;
  }

  private static Integer maxTokens(ObjectNode body) throws InvalidRequestException {
    Integer maxTokens = positiveInt(body, "max_tokens");
    Integer alias = positiveInt(body, "max_completion_tokens");
    if (maxTokens != null && alias != null && !maxTokens.equals(alias)) {
      throw new InvalidRequestException(
          "max_completion_tokens must equal max_tokens when both are given",
          "max_completion_tokens");
    }
    return maxTokens != null ? maxTokens : alias;
  }

  private static Integer positiveInt(ObjectNode body, String name) throws InvalidRequestException {
    JsonNode node = field(body, name);
    if (node == null) {
      return null;
    }
    if (!node.canConvertToInt() || !node.isIntegralNumber() || node.asInt() < 1) {
      throw new InvalidRequestException(name + " must be an integer of at least 1", name);
    }
    return node.asInt();
  }

  private static Double number(ObjectNode body, String name, double min, double max, String what)
      throws InvalidRequestException {
    JsonNode node = field(body, name);
    if (node == null) {
      return null;
    }
    if (!node.isNumber() || node.asDouble() < min || node.asDouble() > max) {
      throw new InvalidRequestException(name + " must be " + what, name);
    }
    return node.asDouble();
  }

  private static Long seed(ObjectNode body) throws InvalidRequestException {
    JsonNode node = field(body, "seed");
    if (node == null) {
      return null;
    }
    if (!node.isIntegralNumber() || !node.canConvertToLong()) {
      throw new InvalidRequestException("seed must be an integer", "seed");
    }
    return node.asLong();
  }

  private static List<String> stop(ObjectNode body) throws InvalidRequestException {
    JsonNode node = field(body, "stop");
    if (node == null) {
      return List.of();
    }
    if (node.isTextual()) {
      return List.of(node.asText());
    }
    if (!node.isArray() || node.size() > MAX_STOP_STRINGS) {
      throw new InvalidRequestException(
          "stop must be a string or an array of at most 4 strings", "stop");
    }
    List<String> stop = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      if (!node.get(i).isTextual()) {
        throw new InvalidRequestException("stop[" + i + "] must be a string", "stop[" + i + "]");
      }
      stop.add(node.get(i).asText());
    }
    return stop;
  }

  private static void requireOneChoice(ObjectNode body) throws InvalidRequestException {
    JsonNode n = field(body, "n");
    if (n != null && !(n.isIntegralNumber() && n.asLong() == 1)) {
      throw new InvalidRequestException("n must be 1: this gateway returns one choice", "n");
    }
  }

  private static void requireNoStreaming(ObjectNode body) throws InvalidRequestException {
    JsonNode stream = field(body, "stream");
    if (stream != null && !(stream.isBoolean() && !stream.asBoolean())) {
      throw new InvalidRequestException(
          "stream must be false: this gateway answers in one response", "stream");
    }
  }

  private static ResponseFormat responseFormat(ObjectNode body) throws InvalidRequestException {
    JsonNode node = field(body, "response_format");
    if (node == null) {
      return ResponseFormat.TEXT;
    }
    JsonNode type = node.isObject() ? field(node, "type") : null;
    String name = type != null && type.isTextual() ? type.asText() : "";
    switch (name) {
      case "text":
        return ResponseFormat.TEXT;
      case "json_object":
        return new ResponseFormat(ResponseFormat.Type.JSON_OBJECT, null);
      case "json_schema":
        return new ResponseFormat(ResponseFormat.Type.JSON_SCHEMA, jsonSchema(node));
      default:
        throw new InvalidRequestException(
            "response_format.type must be one of text, json_object, json_schema",
            "response_format.type");
    }
  }

  private static JsonNode jsonSchema(JsonNode format) throws InvalidRequestException {
    JsonNode spec = field(format, "json_schema");
    if (spec == null || !spec.isObject()) {
      throw new InvalidRequestException(
          "response_format.json_schema must be an object {name, schema, strict}",
          "response_format.json_schema");
    }
    JsonNode name = field(spec, "name");
    if (name != null && !name.isTextual()) {
      throw new InvalidRequestException(
          "response_format.json_schema.name must be a string", "response_format.json_schema.name");
    }
    JsonNode strict = field(spec, "strict");
    if (strict != null && !strict.isBoolean()) {
      throw new InvalidRequestException(
          "response_format.json_schema.strict must be true or false",
          "response_format.json_schema.strict");
    }
    JsonNode schema = field(spec, "schema");
    if (schema == null || !schema.isObject()) {
      throw new InvalidRequestException(
          "response_format.json_schema.schema must be a JSON Schema object",
          "response_format.json_schema.schema");
    }
    return schema;
  }

  private static String optionalString(ObjectNode body, String name)
      throws InvalidRequestException {
    JsonNode node = field(body, name);
    if (node == null) {
      return null;
    }
    if (!node.isTextual()) {
      throw new InvalidRequestException(name + " must be a string", name);
    }
    return node.asText();
  }

  /** The field's value, with an explicit JSON null read as absent, as OpenAI clients send it. */
  private static JsonNode field(JsonNode object, String name) {
    JsonNode node = object.get(name);
    return node == null || node.isNull() ? null : node;
  }
}
