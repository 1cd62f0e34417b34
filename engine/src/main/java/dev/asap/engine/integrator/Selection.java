package dev.asap.engine.integrator;

/**
 * An integrator's pick among a round's candidates.
 *
 * @param index the position of the chosen candidate in the list the integrator was given
 * @param fallbackReason why the integrator could not decide as designed and took its default, or
 *     {@code null}
 */
public record Selection(int index, String fallbackReason) {
  public static Selection of(int index) {
    return new Selection(index, null);
  }
}
