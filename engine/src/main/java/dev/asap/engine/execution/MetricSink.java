package dev.asap.engine.execution;

/** Receives metric reports from a running trial, on any thread, in the order they were made. */
@FunctionalInterface
public interface MetricSink {
  void report(MetricReport report);
}
