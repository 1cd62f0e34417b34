package dev.asap.engine.speculation;

/**
 * Decides whether a proposal computed from a predicted objective value may stand once the real
 * value is known: it is accepted when {@code |y - ŷ| / max(|y|, ε) <= τ}, else discarded and
 * recomputed.
 *
 * <p>The scale is the magnitude {@code |y|}, so the test treats a negative objective like a
 * positive one, and it gives the same verdict in objective units and in loss units ({@link
 * dev.asap.engine.study.Direction#toLoss} only negates, and negating both values leaves the error
 * unchanged). Below {@code ε} the scale stops shrinking: without it a real value near zero would
 * make every error huge and nothing would ever be accepted; with it the error there is the absolute
 * error divided by {@code ε}. A value that is NaN or infinite, such as a failed trial's, never
 * accepts: a proposal built on it is always recomputed.
 *
 * <p>{@code τ = 0} accepts only an exact prediction, so it means "always recompute" except when the
 * prediction was exactly right. The comparison with {@code τ} is exact in binary floating point:
 * with {@code y = -2} and {@code ŷ = -2.1} the error computes as 0.050000000000000044, which {@code
 * τ = 0.05} rejects.
 */
public final class RelativeErrorAcceptTest {

  /**
   * The outcome of one test: whether the speculative proposal stands, the relative error (NaN when
   * an input was not a finite number) and, when rejected, why.
   */
  public record Verdict(boolean accepted, double relativeError, String reason) {}

  private final double tau;
  private final double epsilon;

  /**
   * Creates the test.
   *
   * @param tau the largest relative error accepted; finite and {@code >= 0}
   * @param epsilon the smallest scale the error is divided by; finite and {@code > 0}
   */
  public RelativeErrorAcceptTest(double tau, double epsilon) {
    if (!(tau >= 0) || !Double.isFinite(tau)) {
      throw new IllegalArgumentException("tau must be finite and >= 0, was " + tau);
    }
    if (!(epsilon > 0) || !Double.isFinite(epsilon)) {
      throw new IllegalArgumentException("epsilon must be finite and > 0, was " + epsilon);
    }
    this.tau = tau;
    this.epsilon = epsilon;
  }

  public double tau() {
    return tau;
  }

  public double epsilon() {
    return epsilon;
  }

  /**
   * Tests a speculative proposal.
   *
   * @param actual the real objective value the running trial reported
   * @param predicted the value the speculative proposal assumed
   */
  public Verdict test(double actual, double predicted) {
    String notFinite = describeNonFinite(actual, predicted);
    if (notFinite != null) {
      return new Verdict(false, Double.NaN, notFinite);
    }

    // Two finite values far apart can still overflow the difference; the error is then
    // infinite and rejected like any other error above tau.
    double error = Math.abs(actual - predicted) / Math.max(Math.abs(actual), epsilon);
    if (error <= tau) {
      return new Verdict(true, error, null);
    }
    return new Verdict(false, error, "relative error " + error + " is above tau " + tau);
  }

  private static String describeNonFinite(double actual, double predicted) {
    boolean actualBad = !Double.isFinite(actual);
    boolean predictedBad = !Double.isFinite(predicted);
    if (actualBad && predictedBad) {
      return "actual value is " + actual + " and predicted value is " + predicted;
    }
    if (actualBad) {
      return "actual value is " + actual;
    }
    if (predictedBad) {
      return "predicted value is " + predicted;
    }
    return null;
  }
}
