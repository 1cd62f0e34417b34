package dev.asap.engine.integrator.llm;

import dev.asap.engine.history.LlmCall;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the model's answer, {@code {"pick": n}} with surrounding whitespace allowed, into a
 * candidate's position; anything else is refused, so the model's text can only ever select one of
 * the validated candidates and never becomes a configuration.
 */
final class PickAnswer {
  private static final Pattern PICK =
      Pattern.compile("\\s*\\{\\s*\"pick\"\\s*:\\s*(-?[0-9]+)\\s*}\\s*");

  private PickAnswer() {}

  /**
   * The chosen candidate's index, from 0.
   *
   * @param choices how many candidates were numbered, 1 to {@code choices}
   * @param call the figures to keep with a failure
   * @throws LlmFailure as {@code unparsable} or {@code out-of-range}
   */
  static int index(String content, int choices, LlmCall call) throws LlmFailure {
    Matcher m = PICK.matcher(content);
    if (!m.matches()) {
      throw new LlmFailure(FallbackCategory.UNPARSABLE, LlmFailure.excerpt(content), call);
    }
    String digits = m.group(1);
    long pick;
    try {
      pick = Long.parseLong(digits);
    } catch (NumberFormatException tooLong) {
      pick = Long.MAX_VALUE;
    }
    if (pick < 1 || pick > choices) {
      throw new LlmFailure(
          FallbackCategory.OUT_OF_RANGE,
          "pick "
              + (digits.length() <= 20 ? digits : digits.substring(0, 20) + "...")
              + " is not in 1.."
              + choices,
          call);
    }
    return (int) pick - 1;
  }
}
