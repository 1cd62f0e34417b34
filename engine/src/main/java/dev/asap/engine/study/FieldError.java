package dev.asap.engine.study;

/**
 * One problem found in a study document, tied to the field that has it so that the author can go
 * straight to the line.
 *
 * @param path the field's path from the document root, such as {@code
 *     spec.searchSpace.parameters[2].min}; empty for a problem of the whole document (a YAML syntax
 *     error, an empty file)
 * @param message what is wrong and what is allowed
 */
public record FieldError(String path, String message) {

  /** The form used in error listings: {@code path: message}, or the message alone. */
  @Override
  public String toString() {
    return path.isEmpty() ? message : path + ": " + message;
  }
}
