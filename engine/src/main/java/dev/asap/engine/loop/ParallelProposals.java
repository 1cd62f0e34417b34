package dev.asap.engine.loop;

import dev.asap.engine.optimizer.OptimizationState;
import dev.asap.engine.optimizer.Optimizer;
import dev.asap.engine.optimizer.Proposal;
import dev.asap.engine.study.DurationText;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gathers a round's proposals from the pool's members in parallel, one thread each, each round
 * waiting at most a time limit for them.
 *
 * <p>A member that misses the limit is skipped that round, and in later rounds until its late call
 * has returned, because optimizers are not thread-safe and must never be called twice at once. The
 * threads are daemons: a call still running when the study ends is abandoned.
 */
final class ParallelProposals implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ParallelProposals.class);

  private final List<Optimizer> pool;
  private final Duration timeout;
  private final ExecutorService threads;

  /** Calls that missed the time limit and have not returned yet, by member. */
  private final Map<Optimizer, Future<Proposal>> late = new HashMap<>();

  ParallelProposals(List<Optimizer> pool, Duration timeout) {
    this.pool = pool;
    this.timeout = timeout;
    var count = new AtomicInteger();
    this.threads =
        Executors.newFixedThreadPool(
            Math.max(1, pool.size()),
            task -> {
              Thread t = new Thread(task, "asap-propose-" + count.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Every member's proposal for {@code state} that arrived within the time limit; members that
   * missed it (or are still busy with an earlier round) are added to {@code timedOut}, in pool
   * order, and members that failed are logged and left out. When the calling thread is interrupted
   * the calls still out count as late and the thread's interrupt flag is set again.
   */
  Map<Optimizer, Proposal> gather(OptimizationState state, List<String> timedOut) {
    late.values().removeIf(Future::isDone);
    var calls = new LinkedHashMap<Optimizer, Future<Proposal>>();
    for (Optimizer optimizer : pool) {
      if (!late.containsKey(optimizer)) {
        calls.put(optimizer, threads.submit(() -> optimizer.propose(state)));
      }
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    var proposals = new HashMap<Optimizer, Proposal>();
    for (Optimizer optimizer : pool) {
      Future<Proposal> call = calls.get(optimizer);
      if (call == null) {
        timedOut.add(optimizer.name());
        continue;
      }
      try {
        proposals.put(
            optimizer, call.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
      } catch (TimeoutException e) {
        late.put(optimizer, call);
        timedOut.add(optimizer.name());
        LOG.warn(
            "optimizer {} did not propose within {}; skipped until its call returns",
            optimizer.name(),
            DurationText.format(timeout));
      } catch (ExecutionException e) {
        if (e.getCause() instanceof Error error) {
          throw error;
        }
        LOG.warn(
            "optimizer {} failed to propose; skipped this round", optimizer.name(), e.getCause());
      } catch (InterruptedException e) {
        // The study is being stopped: the calls still out are treated as late.
        Thread.currentThread().interrupt();
        late.put(optimizer, call);
        timedOut.add(optimizer.name());
      }
    }
    return proposals;
  }

  /** Whether {@code member} is still busy with a call that missed its time limit. */
  boolean busy(Optimizer member) {
    Future<Proposal> call = late.get(member);
    return call != null && !call.isDone();
  }

  @Override
  public void close() {
    threads.shutdownNow();
  }
}
