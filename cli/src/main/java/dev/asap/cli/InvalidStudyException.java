package dev.asap.cli;

/**
 * A study file that cannot be run: missing, unreadable or invalid. Its message holds one problem
 * per line; the command prints each line after the file's name and exits with status 2.
 */
public final class InvalidStudyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InvalidStudyException(String message) {
    super(message);
  }

  public InvalidStudyException(String message, Throwable cause) {
    super(message, cause);
  }
}
