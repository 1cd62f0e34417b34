package dev.asap.engine.study;

/**
 * How a trial's metrics reach ASAP.
 *
 * @param kind {@link Kind#STDOUT}: the trial prints {@code name=value} or JSON lines on its
 *     standard output (locally) or its log (on a cluster); {@link Kind#PUSH}: the trial sends them
 *     with the SDK
 */
public record MetricsCollector(Kind kind) {
  /** The ways metrics can be collected. */
  public enum Kind {
    STDOUT,
    PUSH
  }

  public static MetricsCollector stdout() {
    return new MetricsCollector(Kind.STDOUT);
  }
}
