package dev.asap.engine.study;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown when a study document cannot be read; it carries every problem found in the document, not
 * just the first, so that one round of fixes is enough.
 */
public final class StudyValidationException extends RuntimeException {
  private final List<FieldError> errors;

  /** Creates the exception from a non-empty list of errors, in the order they were found. */
  public StudyValidationException(List<FieldError> errors) {
    super(errors.stream().map(FieldError::toString).collect(Collectors.joining("\n")));
    if (errors.isEmpty()) {
      throw new IllegalArgumentException("a validation failure needs at least one error");
    }
    this.errors = List.copyOf(errors);
  }

  /** The errors, in the order they were found. */
  public List<FieldError> errors() {
    return errors;
  }
}
