package dev.asap.engine.simulation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.PriorityQueue;

/**
 * Simulated time for a study run in seconds: a clock that moves only when told, with a queue of
 * actions due at later instants.
 *
 * <p>Three things move it. {@link #runNext} jumps to the earliest scheduled action (a simulated
 * trial's end, a background computation's result) and runs it. {@link #charge} adds a simulated
 * cost, such as an LLM answer's measured latency. {@link #chargeCompute} adds real computing time
 * the caller measured (the optimizers'), when this clock {@linkplain #measuresCompute() measures
 * compute}; a clock that does not makes runs exactly repeatable, for tests.
 *
 * <p>Work that would run in the background on a real study runs inline inside {@link #measure}: its
 * cost is accounted to the measurement rather than to the clock, and the caller schedules its
 * result at {@code now + cost}.
 *
 * <p>Not thread-safe: one simulated study drives it from one thread.
 */
public final class VirtualClock extends Clock {
  private record Scheduled(Instant at, long order, Runnable action) {}

  private final boolean measuresCompute;
  private final PriorityQueue<Scheduled> queue =
      new PriorityQueue<>(
          (a, b) -> {
            int c = a.at().compareTo(b.at());
            return c != 0 ? c : Long.compare(a.order(), b.order());
          });
  private Instant now;
  private Instant acting;
  private long order;
  private long backgroundNanos = -1;

  /**
   * A clock at {@code start}.
   *
   * @param measuresCompute whether {@link #chargeCompute} advances it
   */
  public VirtualClock(Instant start, boolean measuresCompute) {
    this.now = start;
    this.measuresCompute = measuresCompute;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("a virtual clock is always UTC");
  }

  @Override
  public Instant instant() {
    return now;
  }

  /**
   * When the scheduled action now running was due, else the clock's instant. An action can run
   * after its instant when a charge moved the clock past it (the study loop was busy with a round
   * while a trial ended): what it reports happened at its own instant, not at the clock's.
   */
  public Instant actionInstant() {
    return acting != null ? acting : now;
  }

  public boolean measuresCompute() {
    return measuresCompute;
  }

  /** Runs {@code action} when the clock reaches {@code at} (now, if {@code at} has passed). */
  public void schedule(Instant at, Runnable action) {
    queue.add(new Scheduled(at.isBefore(now) ? now : at, order++, action));
  }

  /** Whether any action is scheduled. */
  public boolean hasScheduled() {
    return !queue.isEmpty();
  }

  /**
   * Advances to the earliest scheduled action and runs it, unless it lies after {@code limit} (when
   * not {@code null}): then the clock moves to {@code limit} and nothing runs.
   *
   * @return whether an action ran
   */
  public boolean runNext(Instant limit) {
    Scheduled next = queue.peek();
    if (next == null || (limit != null && next.at().isAfter(limit))) {
      if (limit != null && limit.isAfter(now)) {
        now = limit;
      }
      return false;
    }
    queue.poll();
    if (next.at().isAfter(now)) {
      now = next.at();
    }
    acting = next.at();
    try {
      next.action().run();
    } finally {
      acting = null;
    }
    return true;
  }

  /** Adds a simulated cost: to the clock, or to the running {@link #measure}ment. */
  public void charge(Duration cost) {
    if (cost.isNegative()) {
      throw new IllegalArgumentException("a cost cannot be negative: " + cost);
    }
    if (backgroundNanos >= 0) {
      backgroundNanos += cost.toNanos();
    } else {
      now = now.plus(cost);
    }
  }

  /**
   * Adds measured computing time, when this clock measures compute; ignored inside {@link
   * #measure}, which measures the whole task itself.
   */
  public void chargeCompute(long nanos) {
    if (measuresCompute && nanos > 0 && backgroundNanos < 0) {
      charge(Duration.ofNanos(nanos));
    }
  }

  /**
   * Runs {@code task} as background work: inline, with the clock standing still.
   *
   * @return what the work would have cost: the charges made during it, plus its real computing time
   *     when this clock measures compute
   */
  public Duration measure(Runnable task) {
    if (backgroundNanos >= 0) {
      throw new IllegalStateException("background work cannot nest");
    }
    backgroundNanos = 0;
    long start = System.nanoTime();
    try {
      task.run();
      if (measuresCompute) {
        backgroundNanos += System.nanoTime() - start;
      }
      return Duration.ofNanos(backgroundNanos);
    } finally {
      backgroundNanos = -1;
    }
  }
}
