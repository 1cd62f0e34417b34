package dev.asap.gateway.backend;

/**
 * Watches generated text and says where the first complete JSON value ends, so generation under a
 * JSON grammar can stop there: llama.cpp's schema grammars allow trailing whitespace, and a small
 * model may emit it until it runs out of tokens.
 */
public final class JsonCompletionDetector {

  private final StringBuilder text = new StringBuilder();
  private int depth;
  private boolean inString;
  private boolean escaped;
  private boolean started;
  private int end = -1;

  /**
   * Adds a piece of generated text; returns true once the text holds one complete JSON object or
   * array, after which {@link #completeValue} gives it without what followed.
   */
  public boolean append(String piece) {
    for (int i = 0; i < piece.length() && end < 0; i++) {
      scan(piece.charAt(i));
      text.append(piece.charAt(i));
      if (started && depth == 0) {
        end = text.length();
      }
    }
    return end >= 0;
  }

  /** Whether a complete value has been seen. */
  public boolean isComplete() {
    return end >= 0;
  }

  /** The text up to the end of the complete value, or all text so far when none is complete. */
  public String completeValue() {
    return end >= 0 ? text.substring(0, end) : text.toString();
  }

  private void scan(char c) {
    if (inString) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        inString = false;
      }
      return;
    }
    switch (c) {
      case '"' -> inString = started;
      case '{', '[' -> {
        started = true;
        depth++;
      }
      case '}', ']' -> depth--;
      default -> {}
    }
  }
}
