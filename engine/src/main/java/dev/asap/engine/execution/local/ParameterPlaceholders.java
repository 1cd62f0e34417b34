package dev.asap.engine.execution.local;

import dev.asap.engine.space.Configuration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${trial.parameters.NAME}} in a template string with the trial's value of NAME.
 *
 * <p>TODO(#2): use the shared ParameterPlaceholders once merged.
 */
final class ParameterPlaceholders {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{trial\\.parameters\\.([^}]*)}");

  private ParameterPlaceholders() {}

  /**
   * {@code text} with every placeholder replaced by its value's {@link #render text}; other {@code
   * ${...}} are left as they are.
   *
   * @throws IllegalArgumentException when a placeholder names no parameter of the configuration
   */
  static String substitute(String text, Configuration configuration) {
    return PLACEHOLDER
        .matcher(text)
        .replaceAll(m -> Matcher.quoteReplacement(render(configuration.get(m.group(1)))));
  }

  /**
   * A parameter value as a program reads it on its command line: floats as {@link
   * Double#toString(double)} gives them, integers without a decimal point, categories as their
   * literal text.
   */
  static String render(Object value) {
    if (value instanceof Double d) {
      return Double.toString(d);
    }
    return String.valueOf(value);
  }
}
