package dev.asap.engine.study;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads typed fields out of a YAML tree and records a {@link FieldError} for each problem instead
 * of stopping at the first, so that a document's author sees every mistake at once. Each read
 * returns {@code null} when the field is absent or unusable; the caller then skips what depends on
 * it, and the collected errors decide the outcome.
 *
 * <p>As in Kubernetes, a field set to {@code null} counts as absent.
 */
final class FieldReader {
  private final List<FieldError> errors = new ArrayList<>();

  void error(String path, String message) {
    errors.add(new FieldError(path, message));
  }

  List<FieldError> errors() {
    return List.copyOf(errors);
  }

  /** The path of a field of the object at {@code path}; odd keys are bracketed and quoted. */
  static String child(String path, String key) {
    if (!ParameterPlaceholders.NAME.matcher(key).matches()) {
      return path + "[\"" + key + "\"]";
    }
    return path.isEmpty() ? key : path + "." + key;
  }

  /** The path of an element of the list at {@code path}. */
  static String index(String path, int i) {
    return path + "[" + i + "]";
  }

  /** The text of a string as quoted in messages. */
  static String quote(String text) {
    return "\"" + text + "\"";
  }

  /** A node's kind and value, as shown after "got" in a message. */
  static String describe(JsonNode node) {
    if (node.isTextual()) {
      return "string " + quote(node.textValue());
    }
    if (node.isNumber()) {
      return "number " + node.asText();
    }
    if (node.isBoolean()) {
      return "boolean " + node.asText();
    }
    if (node.isNull()) {
      return "null";
    }
    return node.isArray() ? "a list" : "an object";
  }

  /** Records an error for each key of {@code object} that is not in {@code allowed}. */
  void rejectUnknownFields(ObjectNode object, String path, List<String> allowed) {
    for (String key : object.properties().stream().map(Map.Entry::getKey).toList()) {
      if (!allowed.contains(key)) {
        unknownField(path, key, allowed);
      }
    }
  }

  /** Records that the object at {@code path} has a field {@code key} outside {@code allowed}. */
  void unknownField(String path, String key, List<String> allowed) {
    String close = closest(key, allowed);
    error(
        child(path, key),
        "unknown field; "
            + (close == null ? "" : "did you mean " + close + "? ")
            + "allowed: "
            + String.join(", ", allowed));
  }

  /**
   * The field {@code key} of {@code parent}, or {@code null} when it is absent; then, when {@code
   * ifMissing} is not null, records "required; " followed by it.
   */
  JsonNode field(ObjectNode parent, String path, String key, String ifMissing) {
    JsonNode node = parent == null ? null : parent.get(key);
    if (node == null || node.isNull()) {
      if (ifMissing != null && parent != null) {
        error(child(path, key), "required; " + ifMissing);
      }
      return null;
    }
    return node;
  }

  ObjectNode object(ObjectNode parent, String path, String key, String ifMissing) {
    JsonNode node = field(parent, path, key, ifMissing);
    return node == null ? null : object(node, child(path, key));
  }

  String string(ObjectNode parent, String path, String key, String ifMissing) {
    JsonNode node = field(parent, path, key, ifMissing);
    return node == null ? null : string(node, child(path, key));
  }

  ArrayNode list(ObjectNode parent, String path, String key, String ifMissing) {
    JsonNode node = field(parent, path, key, ifMissing);
    return node == null ? null : list(node, child(path, key));
  }

  ObjectNode object(JsonNode node, String path) {
    if (node instanceof ObjectNode object) {
      return object;
    }
    error(path, "expected an object, got " + describe(node));
    return null;
  }

  String string(JsonNode node, String path) {
    if (node.isTextual()) {
      return node.textValue();
    }
    error(path, "expected a string, got " + describe(node));
    return null;
  }

  ArrayNode list(JsonNode node, String path) {
    if (node instanceof ArrayNode list) {
      return list;
    }
    error(path, "expected a list, got " + describe(node));
    return null;
  }

  Boolean bool(JsonNode node, String path) {
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    error(path, "expected a boolean (true or false), got " + describe(node));
    return null;
  }

  /** A finite number. */
  Double number(JsonNode node, String path) {
    if (!node.isNumber()) {
      error(path, "expected a number, got " + describe(node));
      return null;
    }
    double value = node.doubleValue();
    if (!Double.isFinite(value)) {
      error(path, "expected a finite number, got " + describe(node));
      return null;
    }
    return value;
  }

  /** A whole number that fits a {@code long}; {@code 3.0} counts as 3. */
  Long integer(JsonNode node, String path) {
    if (!isWhole(node)) {
      error(path, "expected an integer, got " + describe(node));
      return null;
    }
    BigInteger value =
        node.isIntegralNumber() ? node.bigIntegerValue() : node.decimalValue().toBigInteger();
    if (value.bitLength() >= Long.SIZE) {
      error(
          path,
          "expected an integer between "
              + Long.MIN_VALUE
              + " and "
              + Long.MAX_VALUE
              + ", got "
              + describe(node));
      return null;
    }
    return value.longValue();
  }

  /** Whether {@code node} is a number with no fractional part. */
  static boolean isWhole(JsonNode node) {
    if (node.isIntegralNumber()) {
      return true;
    }
    double value = node.isNumber() ? node.doubleValue() : Double.NaN;
    return Double.isFinite(value) && value == Math.rint(value);
  }

  /** A whole number from {@code min} to {@link Integer#MAX_VALUE}. */
  Integer count(JsonNode node, String path, int min) {
    Long value = integer(node, path);
    if (value == null) {
      return null;
    }
    if (value < min) {
      error(path, "must be at least " + min + ", got " + value);
      return null;
    }
    if (value > Integer.MAX_VALUE) {
      error(path, "must be at most " + Integer.MAX_VALUE + ", got " + value);
      return null;
    }
    return value.intValue();
  }

  static final Duration LONGEST_DURATION = Duration.ofDays(365);

  /** A positive duration, written as {@code 1h30m} or in ISO-8601 as {@code PT1H30M}. */
  Duration duration(JsonNode node, String path) {
    if (!node.isTextual()) {
      error(path, "expected a duration string; " + DurationText.FORMS + "; got " + describe(node));
      return null;
    }
    String text = node.textValue();
    Duration duration;
    try {
      duration = DurationText.parse(text);
    } catch (IllegalArgumentException e) {
      error(path, e.getMessage());
      return null;
    }
    if (duration.isZero() || duration.isNegative()) {
      error(path, "must be longer than zero, got " + quote(text));
      return null;
    }
    // Longer limits overflow the clocks that enforce them; a year is no limit in practice.
    if (duration.compareTo(LONGEST_DURATION) > 0) {
      error(path, "must be at most 8760h (a year), got " + quote(text));
      return null;
    }
    return duration;
  }

  /**
   * The candidate closest to {@code given} when it is close enough to be a likely misspelling: case
   * aside, within one edit for short names and up to three for long ones.
   */
  static String closest(String given, Collection<String> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : candidates) {
      int d = distance(given.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
      int tolerance = Math.min(3, Math.max(1, candidate.length() / 3));
      if (d <= tolerance && d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    return best;
  }

  /** Edit distance counting insertions, deletions, substitutions and adjacent swaps. */
  private static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
