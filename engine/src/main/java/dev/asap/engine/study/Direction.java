package dev.asap.engine.study;

/** Whether the objective metric is to be made small or large. */
public enum Direction {
  MINIMIZE,
  MAXIMIZE;

  /** Turns a metric value into a loss to minimize. */
  public double toLoss(double value) {
    return this == MINIMIZE ? value : -value;
  }

  /** Turns a loss back into a metric value. */
  public double fromLoss(double loss) {
    return this == MINIMIZE ? loss : -loss;
  }

  /** Whether {@code a} is strictly better than {@code b}. */
  public boolean better(double a, double b) {
    return this == MINIMIZE ? a < b : a > b;
  }

  /** The lower-case word used in study files. */
  public String word() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
