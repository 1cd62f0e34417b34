package dev.asap.engine.study;

import static dev.asap.engine.study.FieldReader.child;
import static dev.asap.engine.study.FieldReader.describe;
import static dev.asap.engine.study.FieldReader.index;
import static dev.asap.engine.study.FieldReader.quote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.asap.engine.space.CategoricalParameter;
import dev.asap.engine.space.FloatParameter;
import dev.asap.engine.space.IntParameter;
import dev.asap.engine.space.Parameter;
import dev.asap.engine.space.SearchSpace;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code spec.searchSpace}. It checks what the parameter records' constructors check, and
 * more, but reports each problem against its field instead of throwing at the first.
 */
final class SearchSpaceReader {
  static final List<String> TYPES = List.of("float", "int", "categorical");

  private static final Map<String, List<String>> FIELDS_BY_TYPE =
      Map.of(
          "float", List.of("name", "type", "min", "max", "log"),
          "int", List.of("name", "type", "min", "max", "step", "log"),
          "categorical", List.of("name", "type", "values"));
  private static final List<String> ANY_TYPE_FIELDS =
      List.of("name", "type", "min", "max", "step", "log", "values");

  private final FieldReader fields;
  private final Set<String> declaredNames = new LinkedHashSet<>();
  private boolean parametersRead;

  SearchSpaceReader(FieldReader fields) {
    this.fields = fields;
  }

  /**
   * The names the document declares, valid or not, so that placeholders are checked against what
   * the author wrote; {@code null} when there was no non-empty list of parameters to read them
   * from, so that one missing list does not also fail every placeholder.
   */
  Set<String> declaredNames() {
    return parametersRead ? declaredNames : null;
  }

  /** The search space, or {@code null} when any part of it is wrong. */
  SearchSpace read(ObjectNode spec, String specPath) {
    String path = child(specPath, "searchSpace");
    ObjectNode searchSpace =
        fields.object(spec, specPath, "searchSpace", "an object with a list of parameters");
    if (searchSpace == null) {
      return null;
    }
    fields.rejectUnknownFields(searchSpace, path, List.of("parameters"));
    ArrayNode list =
        fields.list(
            searchSpace,
            path,
            "parameters",
            "a non-empty list of parameters, each with a name and a type ("
                + String.join(", ", TYPES)
                + ")");
    if (list == null) {
      return null;
    }
    String listPath = child(path, "parameters");
    if (list.isEmpty()) {
      fields.error(listPath, "must hold at least one parameter");
      return null;
    }
    parametersRead = true;
    var parameters = new ArrayList<Parameter>();
    var firstIndexByName = new HashMap<String, Integer>();
    for (int i = 0; i < list.size(); i++) {
      ObjectNode node = fields.object(list.get(i), index(listPath, i));
      Parameter parameter =
          node == null ? null : parameter(node, index(listPath, i), i, firstIndexByName);
      if (parameter != null) {
        parameters.add(parameter);
      }
    }
    return parameters.size() == list.size() ? new SearchSpace(parameters) : null;
  }

  private Parameter parameter(
      ObjectNode node, String path, int i, Map<String, Integer> firstIndexByName) {
    String name = name(node, path, i, firstIndexByName);
    String type = fields.string(node, path, "type", "allowed: " + String.join(", ", TYPES));
    if (type == null) {
      fields.rejectUnknownFields(node, path, ANY_TYPE_FIELDS);
      return null;
    }
    if (!TYPES.contains(type)) {
      fields.error(
          child(path, "type"),
          "unknown type " + quote(type) + "; allowed: " + String.join(", ", TYPES));
      fields.rejectUnknownFields(node, path, ANY_TYPE_FIELDS);
      return null;
    }
    rejectFieldsOfOtherTypes(node, path, type);
    Parameter parameter =
        switch (type) {
          case "float" -> floatParameter(node, path, name);
          case "int" -> intParameter(node, path, name);
          default -> categoricalParameter(node, path, name);
        };
    return name == null ? null : parameter;
  }

  private String name(ObjectNode node, String path, int i, Map<String, Integer> firstIndexByName) {
    String name =
        fields.string(node, path, "name", "a letter or '_' followed by letters, digits or '_'");
    if (name == null) {
      return null;
    }
    declaredNames.add(name);
    String namePath = child(path, "name");
    if (!ParameterPlaceholders.NAME.matcher(name).matches()) {
      fields.error(
          namePath,
          "invalid name "
              + quote(name)
              + "; a parameter name is a letter or '_' followed by letters, digits or '_'");
      return null;
    }
    Integer first = firstIndexByName.putIfAbsent(name, i);
    if (first != null) {
      fields.error(
          namePath, "duplicate name " + quote(name) + "; parameters[" + first + "] already has it");
      return null;
    }
    return name;
  }

  private void rejectFieldsOfOtherTypes(ObjectNode node, String path, String type) {
    List<String> allowed = FIELDS_BY_TYPE.get(type);
    for (String key : node.properties().stream().map(Map.Entry::getKey).toList()) {
      if (allowed.contains(key)) {
        continue;
      }
      if (ANY_TYPE_FIELDS.contains(key)) {
        fields.error(
            child(path, key),
            "not a field of a " + type + " parameter; allowed: " + String.join(", ", allowed));
      } else {
        fields.unknownField(path, key, allowed);
      }
    }
  }

  private FloatParameter floatParameter(ObjectNode node, String path, String name) {
    JsonNode minNode = fields.field(node, path, "min", "a number");
    JsonNode maxNode = fields.field(node, path, "max", "a number");
    Double min = minNode == null ? null : fields.number(minNode, child(path, "min"));
    Double max = maxNode == null ? null : fields.number(maxNode, child(path, "max"));
    boolean log = log(node, path);
    boolean valid = min != null && max != null;
    if (valid && !(min < max)) {
      fields.error(
          child(path, "min"),
          "must be less than max (" + maxNode.asText() + "), got " + minNode.asText());
      valid = false;
    } else if (valid && Double.isInfinite(max - min)) {
      fields.error(
          child(path, "max"),
          "max - min must be a finite number (at most "
              + Double.MAX_VALUE
              + "), got "
              + maxNode.asText()
              + " - "
              + minNode.asText());
      valid = false;
    }
    if (log && min != null && min <= 0) {
      fields.error(child(path, "min"), logNeedsPositiveMin(minNode));
      valid = false;
    }
    return valid && name != null ? new FloatParameter(name, min, max, log) : null;
  }

  private IntParameter intParameter(ObjectNode node, String path, String name) {
    JsonNode minNode = fields.field(node, path, "min", "an integer");
    JsonNode maxNode = fields.field(node, path, "max", "an integer");
    Long min = minNode == null ? null : intBound(minNode, child(path, "min"));
    Long max = maxNode == null ? null : intBound(maxNode, child(path, "max"));
    JsonNode stepNode = fields.field(node, path, "step", null);
    Long step = stepNode == null ? Long.valueOf(1) : fields.integer(stepNode, child(path, "step"));
    boolean log = log(node, path);
    boolean valid = min != null && max != null && step != null;
    if (step != null && step < 1) {
      fields.error(child(path, "step"), "must be at least 1, got " + step);
      valid = false;
    } else if (log && step != null && step != 1) {
      fields.error(
          child(path, "step"), "must be 1 for a log-scale parameter (log: true), got " + step);
      valid = false;
    }
    if (min != null && max != null && min >= max) {
      fields.error(child(path, "min"), "must be less than max (" + max + "), got " + min);
      valid = false;
    } else if (min != null && max != null && max - min < 0) {
      // The difference overflowed: the parameter would have more values than a long counts.
      fields.error(
          child(path, "max"),
          "max - min must be at most " + Long.MAX_VALUE + ", got " + max + " - " + min);
      valid = false;
    } else if (valid && step > max - min) {
      fields.error(
          child(path, "step"),
          "must be at most max - min ("
              + (max - min)
              + "), or the parameter has a single value; got "
              + step);
      valid = false;
    }
    if (log && min != null && min <= 0) {
      fields.error(child(path, "min"), logNeedsPositiveMin(minNode));
      valid = false;
    }
    return valid && name != null ? new IntParameter(name, min, max, step, log) : null;
  }

  private Long intBound(JsonNode node, String path) {
    if (node.isNumber() && !FieldReader.isWhole(node)) {
      fields.error(path, "an int parameter needs integer bounds, got " + describe(node));
      return null;
    }
    return fields.integer(node, path);
  }

  private boolean log(ObjectNode node, String path) {
    JsonNode logNode = fields.field(node, path, "log", null);
    return logNode != null && Boolean.TRUE.equals(fields.bool(logNode, child(path, "log")));
  }

  private static String logNeedsPositiveMin(JsonNode minNode) {
    return "must be greater than 0 for a log-scale parameter (log: true), got " + minNode.asText();
  }

  private CategoricalParameter categoricalParameter(ObjectNode node, String path, String name) {
    String valuesPath = child(path, "values");
    ArrayNode list =
        fields.list(node, path, "values", "a non-empty list of strings, numbers or booleans");
    if (list == null) {
      return null;
    }
    if (list.isEmpty()) {
      fields.error(valuesPath, "must hold at least one value (strings, numbers or booleans)");
      return null;
    }
    var values = new ArrayList<Object>();
    var firstIndexByValue = new HashMap<Object, Integer>();
    for (int i = 0; i < list.size(); i++) {
      JsonNode element = list.get(i);
      String elementPath = index(valuesPath, i);
      Object value = categoryValue(element, elementPath);
      if (value == null) {
        continue;
      }
      // 1 and 1.0 are one category: they would substitute into the trial as the same number.
      Object key = value instanceof Number n ? (Object) n.doubleValue() : value;
      Integer first = firstIndexByValue.putIfAbsent(key, i);
      if (first != null) {
        fields.error(
            elementPath,
            "duplicate value "
                + describe(element)
                + "; values["
                + first
                + "] already has it, and values must be distinct");
        continue;
      }
      values.add(value);
    }
    return values.size() == list.size() && name != null
        ? new CategoricalParameter(name, values)
        : null;
  }

  private Object categoryValue(JsonNode element, String path) {
    if (element.isTextual()) {
      return element.textValue();
    }
    if (element.isBoolean()) {
      return element.booleanValue();
    }
    if (element.isIntegralNumber()) {
      return fields.integer(element, path);
    }
    if (element.isNumber()) {
      return fields.number(element, path);
    }
    fields.error(path, "expected a string, number or boolean, got " + describe(element));
    return null;
  }
}
