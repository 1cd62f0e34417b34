package dev.asap.engine.integrator.llm;

import dev.asap.engine.history.LlmCall;

/**
 * A round in which the LLM gave no usable pick: its category, a short detail, and the call's
 * figures when an answer did come back (an unparsable or out-of-range one).
 */
final class LlmFailure extends Exception {
  private static final long serialVersionUID = 1L;

  private final FallbackCategory category;
  private final transient LlmCall call;

  LlmFailure(FallbackCategory category, String detail, LlmCall call) {
    super(category.reason(detail));
    this.category = category;
    this.call = call;
  }

  FallbackCategory category() {
    return category;
  }

  /** The fallback reason to record, starting with the category's token. */
  String reason() {
    return getMessage();
  }

  /** What the call cost, or {@code null} when no answer came back. */
  LlmCall call() {
    return call;
  }

  /** The first 80 characters of {@code text}, quoted, for a reason's detail. */
  static String excerpt(String text) {
    String shown = text.length() <= 80 ? text : text.substring(0, 80) + "...";
    return "\"" + escaped(shown) + "\"";
  }

  /**
   * {@code text} with every control character written as an escape (newline as backslash-n, ESC as
   * backslash-u001b), so that a server's text cannot move the cursor or recolour the terminal that
   * prints the reason.
   */
  static String escaped(String text) {
    var out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }
}
