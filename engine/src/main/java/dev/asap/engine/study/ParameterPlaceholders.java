package dev.asap.engine.study;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.asap.engine.space.Configuration;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code ${trial.parameters.NAME}} placeholders of a trial template: finding them, and
 * replacing them with a trial's values. The study reader and every executor go through the same
 * scan, so a template that passes validation substitutes without surprise.
 *
 * <p>Only a {@code ${...}} whose body starts with {@code trial} is a placeholder; any other, such
 * as {@code ${HOME}} in a {@code sh -c} script, is left alone for the shell. A placeholder must be
 * exactly {@code ${trial.parameters.NAME}}. There is no escape for a literal {@code ${trial...}};
 * no trial has needed one.
 *
 * <p>Values are rendered as text so that they parse back to the same value: integers as integers;
 * floats with every digit needed to round-trip, in plain decimal notation ({@code 0.0001}, {@code
 * 1000.0}) when the magnitude lies in [1e-6, 1e16) and in Java's scientific notation ({@code
 * 1.0E-7}) outside it; strings and booleans as written. On Java 17 a float may carry a digit more
 * than its shortest round-trip form, because {@link Double#toString(double)} does.
 */
public final class ParameterPlaceholders {
  /** What a parameter name looks like, inside a placeholder and in the search space. */
  public static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private static final String OPEN = "${";
  private static final String PREFIX = "trial.parameters.";
  private static final String FORM = "write ${trial.parameters.NAME}";

  /** One piece of a scanned string. */
  sealed interface Part {}

  /** Text copied as it is. */
  record Literal(String text) implements Part {}

  /** A well-formed placeholder naming a parameter, which may or may not exist. */
  record Reference(String name, String placeholder) implements Part {}

  /** A placeholder that is unterminated or not of the one allowed form. */
  record Malformed(String message) implements Part {}

  private ParameterPlaceholders() {}

  /**
   * The names of the parameters {@code text} refers to, in order of first appearance.
   *
   * @throws IllegalArgumentException when a placeholder is malformed
   */
  public static Set<String> referencedParameters(String text) {
    var names = new LinkedHashSet<String>();
    for (Part part : scan(text)) {
      if (part instanceof Malformed m) {
        throw new IllegalArgumentException(m.message());
      }
      if (part instanceof Reference r) {
        names.add(r.name());
      }
    }
    return names;
  }

  /**
   * {@code text} with each placeholder replaced by the configuration's value, rendered as the class
   * comment describes.
   *
   * @throws IllegalArgumentException when a placeholder is malformed or names no parameter of the
   *     configuration
   */
  public static String substitute(String text, Configuration configuration) {
    var out = new StringBuilder(text.length());
    for (Part part : scan(text)) {
      if (part instanceof Literal l) {
        out.append(l.text());
      } else if (part instanceof Reference r) {
        Object value = configuration.values().get(r.name());
        if (value == null) {
          throw new IllegalArgumentException(
              r.placeholder()
                  + " names no parameter; parameters: "
                  + String.join(", ", configuration.values().keySet()));
        }
        out.append(render(value));
      } else {
        throw new IllegalArgumentException(((Malformed) part).message());
      }
    }
    return out.toString();
  }

  /**
   * A copy of {@code tree} with {@link #substitute(String, Configuration)} applied to every string
   * value (not to object keys); for executors that hand a whole PodTemplateSpec on.
   */
  public static JsonNode substitute(JsonNode tree, Configuration configuration) {
    if (tree.isTextual()) {
      return TextNode.valueOf(substitute(tree.textValue(), configuration));
    }
    if (tree instanceof ObjectNode object) {
      ObjectNode copy = object.objectNode();
      object
          .properties()
          .forEach(e -> copy.set(e.getKey(), substitute(e.getValue(), configuration)));
      return copy;
    }
    if (tree instanceof ArrayNode array) {
      ArrayNode copy = array.arrayNode(array.size());
      array.forEach(element -> copy.add(substitute(element, configuration)));
      return copy;
    }
    return tree.deepCopy();
  }

  /** The text a parameter value is substituted as. */
  public static String render(Object value) {
    if (value instanceof Double d) {
      return renderFloat(d);
    }
    return String.valueOf(value);
  }

  private static String renderFloat(double x) {
    if (x == 0) {
      return "0.0";
    }
    double magnitude = Math.abs(x);
    if (!(magnitude >= 1e-6 && magnitude < 1e16)) {
      return Double.toString(x);
    }
    // Double.toString holds the round-trip digits; BigDecimal only moves the decimal point.
    String plain = new BigDecimal(Double.toString(x)).stripTrailingZeros().toPlainString();
    return plain.indexOf('.') < 0 ? plain + ".0" : plain;
  }

  /** Splits {@code text} into literal text, references and malformed placeholders. */
  static List<Part> scan(String text) {
    var parts = new ArrayList<Part>();
    var literal = new StringBuilder();
    int at = 0;
    while (at < text.length()) {
      int open = text.indexOf(OPEN, at);
      if (open < 0) {
        literal.append(text, at, text.length());
        break;
      }
      int close = text.indexOf('}', open + OPEN.length());
      int nextOpen = text.indexOf(OPEN, open + OPEN.length());
      boolean terminated = close >= 0 && (nextOpen < 0 || close < nextOpen);
      int bodyEnd = terminated ? close : (nextOpen < 0 ? text.length() : nextOpen);
      String body = text.substring(open + OPEN.length(), bodyEnd);
      if (!body.strip().startsWith("trial")) {
        literal.append(text, at, open + OPEN.length());
        at = open + OPEN.length();
        continue;
      }
      literal.append(text, at, open);
      if (literal.length() > 0) {
        parts.add(new Literal(literal.toString()));
        literal.setLength(0);
      }
      if (!terminated) {
        parts.add(
            new Malformed(
                "unterminated placeholder \"" + OPEN + body + "\"; " + FORM + " with its '}'"));
        at = bodyEnd;
        continue;
      }
      String placeholder = OPEN + body + "}";
      String name = body.startsWith(PREFIX) ? body.substring(PREFIX.length()) : "";
      if (NAME.matcher(name).matches()) {
        parts.add(new Reference(name, placeholder));
      } else {
        parts.add(
            new Malformed(
                "malformed placeholder \""
                    + placeholder
                    + "\"; "
                    + FORM
                    + ", where NAME is a parameter's name"));
      }
      at = close + 1;
    }
    if (literal.length() > 0) {
      parts.add(new Literal(literal.toString()));
    }
    return parts;
  }
}
