package dev.asap.gateway.backend;

import com.fasterxml.jackson.databind.JsonNode;
import dev.asap.gateway.api.InvalidRequestException;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * The subset of JSON Schema the embedded backend turns into a llama.cpp grammar, checked in Java
 * first because llama.cpp aborts the whole process on some schemas it cannot convert.
 */
public final class SupportedJsonSchema {

  /**
   * Schemas nested deeper than this are refused, so that a hostile one cannot exhaust the stack.
   */
  static final int MAX_DEPTH = 16;

  static final String ROOT = "response_format.json_schema.schema";

  private static final Set<String> TYPES =
      Set.of("object", "string", "integer", "number", "boolean", "array", "null");
  private static final Set<String> ANNOTATIONS = Set.of("title", "description", "$schema");
  private static final String SUPPORTED =
      "supported keywords: type, properties, required, additionalProperties (false), enum, const,"
          + " items, and the annotations title, description, $schema";

  private SupportedJsonSchema() {}

  /** Refuses {@code schema} with the path at fault unless every keyword is in the subset. */
  public static void check(JsonNode schema) throws InvalidRequestException {
    check(schema, ROOT, 0);
  }

  private static void check(JsonNode schema, String path, int depth)
      throws InvalidRequestException {
    if (depth > MAX_DEPTH) {
      throw new InvalidRequestException(
          path + " nests schemas deeper than " + MAX_DEPTH + " levels", path);
    }
    if (schema == null || !schema.isObject()) {
      throw new InvalidRequestException(path + " must be a JSON Schema object", path);
    }
    Iterator<Map.Entry<String, JsonNode>> fields = schema.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      String keyword = field.getKey();
      JsonNode value = field.getValue();
      String at = path + "." + keyword;
      switch (keyword) {
        case "type" -> {
          if (!value.isTextual() || !TYPES.contains(value.asText())) {
            throw new InvalidRequestException(
                at + " must be one of object, string, integer, number, boolean, array, null", at);
          }
        }
        case "properties" -> properties(value, at, depth);
        case "required" -> required(value, schema.get("properties"), at);
        case "additionalProperties" -> {
          if (!value.isBoolean() || value.asBoolean()) {
            throw new InvalidRequestException(at + " must be false when given", at);
          }
        }
        case "enum" -> {
          if (!value.isArray() || value.isEmpty()) {
            throw new InvalidRequestException(at + " must be a non-empty array", at);
          }
          for (int i = 0; i < value.size(); i++) {
            scalar(value.get(i), at + "[" + i + "]");
          }
        }
        case "const" -> scalar(value, at);
        case "items" -> check(value, at, depth + 1);
        default -> {
          if (!ANNOTATIONS.contains(keyword)) {
            throw new InvalidRequestException(
                at + " is not supported by embedded backends; " + SUPPORTED, at);
          }
        }
      }
    }
  }

  private static void properties(JsonNode value, String at, int depth)
      throws InvalidRequestException {
    if (!value.isObject()) {
      throw new InvalidRequestException(at + " must be an object of schemas", at);
    }
    Iterator<Map.Entry<String, JsonNode>> properties = value.fields();
    while (properties.hasNext()) {
      Map.Entry<String, JsonNode> property = properties.next();
      String name = property.getKey();
      if (name.isEmpty() || hasControlCharacter(name)) {
        throw new InvalidRequestException(
            at + " has a property name that is empty or holds control characters", at);
      }
      check(property.getValue(), at + "." + name, depth + 1);
    }
  }

  private static void required(JsonNode value, JsonNode properties, String at)
      throws InvalidRequestException {
    if (!value.isArray()) {
      throw new InvalidRequestException(at + " must be an array of property names", at);
    }
    for (int i = 0; i < value.size(); i++) {
      JsonNode name = value.get(i);
      if (!name.isTextual() || properties == null || !properties.has(name.asText())) {
        throw new InvalidRequestException(
            at + "[" + i + "] must name a property listed in properties", at + "[" + i + "]");
      }
    }
  }

  private static void scalar(JsonNode value, String at) throws InvalidRequestException {
    boolean finiteNumber = value.isNumber() && Double.isFinite(value.asDouble());
    boolean cleanString = value.isTextual() && !hasControlCharacter(value.asText());
    if (!(finiteNumber || cleanString || value.isBoolean() || value.isNull())) {
      throw new InvalidRequestException(
          at + " must be a finite number, a boolean, null, or a string without control characters",
          at);
    }
  }

  private static boolean hasControlCharacter(String text) {
    return text.chars().anyMatch(Character::isISOControl);
  }
}
