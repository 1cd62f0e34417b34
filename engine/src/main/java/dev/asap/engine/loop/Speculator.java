package dev.asap.engine.loop;

import dev.asap.engine.history.TrialRecord;
import dev.asap.engine.history.TrialState;
import dev.asap.engine.integrator.Integrator;
import dev.asap.engine.integrator.SelectionContext;
import dev.asap.engine.optimizer.Observation;
import dev.asap.engine.optimizer.OptimizationState;
import dev.asap.engine.optimizer.Optimizer;
import dev.asap.engine.optimizer.Prediction;
import dev.asap.engine.optimizer.Proposal;
import dev.asap.engine.optimizer.RandomSearch;
import dev.asap.engine.simulation.VirtualClock;
import dev.asap.engine.space.Configuration;
import dev.asap.engine.space.SearchSpace;
import dev.asap.engine.speculation.ExecutionLog;
import dev.asap.engine.speculation.ExecutionLogEntry;
import dev.asap.engine.speculation.SpeculationVerdict;
import dev.asap.engine.speculation.ValuePredictor;
import dev.asap.engine.study.StudySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Computes, while a trial runs, the proposal that would follow it: predicts the trial's loss from
 * the pool's surrogates, then runs a whole round (every member proposes, the integrator chooses) on
 * a history in which the prediction stands in for the pending value. Afterwards, off the critical
 * path too, it computes the counterfactual for the execution log.
 *
 * <p>Each speculation runs on {@linkplain Optimizer#copy() copies} of the loop's pool, made when it
 * starts, never on the pool itself: optimizers keep state and are not thread-safe, and a member
 * that had absorbed a predicted value could not forget it when the real one differs. The copies
 * propose exactly as the pool would from the same state; when the speculation is accepted the loop
 * adopts them, so the study goes on as if the pool itself had made the round. The counterfactual
 * runs on a second set of copies made at the same moment and repeats the same calls on the real
 * history, so a prediction that was exactly right gives exactly the speculative proposal back and
 * any distance between the two is the prediction's doing.
 *
 * <p>On a real clock the work runs on background threads, one per trial slot, and results reach the
 * study loop as events. On a {@link VirtualClock} it runs inline, is measured, and its results are
 * scheduled at the simulated instants they would have arrived; the threads are modelled too, so a
 * speculation starts no earlier than a thread is free.
 */
final class Speculator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Speculator.class);

  /** How long closing waits for counterfactuals still being computed. */
  static final Duration CLOSE_GRACE = Duration.ofSeconds(10);

  /** What the background work reports back to the study loop. */
  sealed interface Result {
    int id();
  }

  /** The subject's predicted loss, or {@code null} when no surrogate could predict it yet. */
  record Predicted(int id, Prediction prediction, long nanos) implements Result {}

  /** The speculative round's outcome, or {@code null} when it found no untried configuration. */
  record Ready(int id, Round.Outcome outcome, long nanos) implements Result {}

  /** The speculative work failed. */
  record Failed(int id, String why) implements Result {}

  /** One speculation; every field is read and written on the study loop's thread only. */
  static final class Speculation {
    final int id;
    final int subject;
    final Configuration subjectConfiguration;
    final long round;
    final OptimizationState predictState;
    final List<Optimizer> pool;
    final List<Optimizer> counterfactualPool;
    final long poolVersion;
    Prediction prediction;
    boolean predictionKnown;
    long predictNanos;
    Round.Outcome outcome;
    boolean outcomeKnown;
    long roundNanos;
    String failure;
    Double actual;
    Instant arrivedAt;
    Double relativeError;
    double tau = Double.NaN;
    SpeculationVerdict verdict;
    OptimizationState realState;
    long hiddenMillis;
    boolean finished;

    Speculation(
        int id,
        int subject,
        Configuration subjectConfiguration,
        long round,
        OptimizationState predictState,
        List<Optimizer> pool,
        List<Optimizer> counterfactualPool,
        long poolVersion) {
      this.pool = pool;
      this.counterfactualPool = counterfactualPool;
      this.poolVersion = poolVersion;
      this.id = id;
      this.subject = subject;
      this.subjectConfiguration = subjectConfiguration;
      this.round = round;
      this.predictState = predictState;
    }

    /** What the speculative work has cost so far, in milliseconds. */
    long computeMillis() {
      return (predictNanos + roundNanos) / 1_000_000;
    }

    /** The LLM's share of it. */
    long llmMillis() {
      return outcome == null ? 0 : outcome.llmMillis();
    }
  }

  private final StudySpec spec;
  private final Integrator integrator;
  private final ValuePredictor predictor;
  private final Duration proposalTimeout;
  private final Clock clock;
  private final VirtualClock virtual;
  private final Consumer<Result> post;
  private final ExecutionLog log;
  private final ExecutorService worker;
  private final Set<Integer> cancelled = ConcurrentHashMap.newKeySet();
  private volatile boolean closing;
  private final Instant[] virtualBusyUntil;
  private int nextId;

  Speculator(
      StudySpec spec,
      Integrator integrator,
      ValuePredictor predictor,
      Duration proposalTimeout,
      Clock clock,
      Consumer<Result> post,
      ExecutionLog log) {
    this.spec = spec;
    this.integrator = integrator;
    this.predictor = predictor;
    this.proposalTimeout = proposalTimeout;
    this.clock = clock;
    this.virtual = clock instanceof VirtualClock v ? v : null;
    this.post = post;
    this.log = log;
    int workers = Math.max(1, spec.budget().parallelism());
    this.virtualBusyUntil = new Instant[workers];
    var count = new java.util.concurrent.atomic.AtomicInteger();
    this.worker =
        virtual != null
            ? null
            : Executors.newFixedThreadPool(
                workers,
                task -> {
                  Thread t = new Thread(task, "asap-speculate-" + count.incrementAndGet());
                  t.setDaemon(true);
                  return t;
                });
  }

  /**
   * Starts speculating on {@code subject}, which is running.
   *
   * @param state the real state, {@code subject} among the pending
   * @param ended the trials that have ended, in order
   * @param subject the running trial whose value is predicted
   * @param others the other running trials
   * @param round the seed of the fallback random search, when no member proposes anything untried
   * @param pool copies of the loop's pool, for the speculative round (the loop may adopt them)
   * @param counterfactualPool other copies in the same state, for the counterfactual
   * @param poolVersion how many rounds the loop's own pool had run when the copies were made
   */
  Speculation start(
      OptimizationState state,
      List<TrialRecord> ended,
      TrialRecord subject,
      List<TrialRecord> others,
      long round,
      List<Optimizer> pool,
      List<Optimizer> counterfactualPool,
      long poolVersion) {
    Configuration c = spec.searchSpace().configuration(subject.parameters());
    var s =
        new Speculation(
            nextId++, subject.number(), c, round, state, pool, counterfactualPool, poolVersion);
    Runnable predictStep =
        () -> {
          long t0 = System.nanoTime();
          Optional<Prediction> p = predictor.predict(pool, state, c);
          long nanos = System.nanoTime() - t0;
          deliverPrediction(s, p.orElse(null), nanos, pool, ended, subject, others);
        };
    if (virtual == null) {
      worker.execute(
          () -> {
            if (cancelled.remove(s.id) || closing) {
              post.accept(new Failed(s.id, "cancelled before it started"));
              return;
            }
            try {
              predictStep.run();
            } catch (RuntimeException e) {
              LOG.warn("speculation on trial {} failed", s.subject, e);
              post.accept(new Failed(s.id, String.valueOf(e.getMessage())));
            }
          });
    } else {
      try {
        // Background work: its cost (what the predictor charges, plus its measured time when the
        // clock measures compute) is scheduled, not added to the clock.
        var prediction = new java.util.concurrent.atomic.AtomicReference<Prediction>();
        long cost =
            virtual
                .measure(() -> prediction.set(predictor.predict(pool, state, c).orElse(null)))
                .toNanos();
        deliverPrediction(s, prediction.get(), cost, pool, ended, subject, others);
      } catch (RuntimeException e) {
        LOG.warn("speculation on trial {} failed", s.subject, e);
        post.accept(new Failed(s.id, String.valueOf(e.getMessage())));
      }
    }
    return s;
  }

  /**
   * Hands the prediction on and, when there is one, runs the speculative round. On a virtual clock
   * the two steps are measured and scheduled instead.
   */
  private void deliverPrediction(
      Speculation s,
      Prediction prediction,
      long predictNanos,
      List<Optimizer> pool,
      List<TrialRecord> ended,
      TrialRecord subject,
      List<TrialRecord> others) {
    if (virtual == null) {
      post.accept(new Predicted(s.id, prediction, predictNanos));
      if (prediction == null) {
        return;
      }
      if (cancelled.remove(s.id)) {
        post.accept(new Failed(s.id, "cancelled after its prediction"));
        return;
      }
      long t0 = System.nanoTime();
      Round.Outcome outcome = speculativeRound(s, prediction, pool, ended, subject, others);
      post.accept(new Ready(s.id, outcome, System.nanoTime() - t0));
      return;
    }
    // Inline on a virtual clock: the prediction was computed already, at the measured cost given;
    // run the round the same way and schedule both results.
    int lane = 0;
    for (int k = 1; k < virtualBusyUntil.length; k++) {
      if (virtualBusyUntil[k] == null
          || (virtualBusyUntil[lane] != null
              && virtualBusyUntil[k].isBefore(virtualBusyUntil[lane]))) {
        lane = k;
      }
    }
    Instant begin =
        virtualBusyUntil[lane] == null || virtualBusyUntil[lane].isBefore(clock.instant())
            ? clock.instant()
            : virtualBusyUntil[lane];
    long predictCost = predictNanos;
    Instant predictedAt = begin.plusNanos(predictCost);
    virtual.schedule(predictedAt, () -> post.accept(new Predicted(s.id, prediction, predictCost)));
    virtualBusyUntil[lane] = predictedAt;
    if (prediction == null) {
      return;
    }
    Round.Outcome[] outcome = new Round.Outcome[1];
    Duration cost =
        virtual.measure(
            () -> outcome[0] = speculativeRound(s, prediction, pool, ended, subject, others));
    Instant readyAt = predictedAt.plus(cost);
    virtual.schedule(readyAt, () -> post.accept(new Ready(s.id, outcome[0], cost.toNanos())));
    virtualBusyUntil[lane] = readyAt;
  }

  private Round.Outcome speculativeRound(
      Speculation s,
      Prediction prediction,
      List<Optimizer> pool,
      List<TrialRecord> ended,
      TrialRecord subject,
      List<TrialRecord> others) {
    OptimizationState state = withPredicted(s.predictState, s.subjectConfiguration, prediction);
    double predictedValue = spec.objective().direction().fromLoss(prediction.mean());
    var endedWithPrediction = new ArrayList<>(ended);
    endedWithPrediction.add(
        subject.ended(
            TrialState.COMPLETED,
            clock.instant(),
            predictedValue,
            java.util.Map.of(spec.objective().metric(), predictedValue),
            null));
    var context = new SelectionContext(spec, endedWithPrediction, others, state);
    try (var proposals = new ParallelProposals(pool, proposalTimeout)) {
      return Round.run(
          spec, pool, proposals, new RandomSearch(spec.seed() ^ s.round), integrator, context);
    }
  }

  /** {@code state} with {@code subject} observed at the predicted loss instead of pending. */
  static OptimizationState withPredicted(
      OptimizationState state, Configuration subject, Prediction prediction) {
    var observations = new ArrayList<>(state.observations());
    observations.add(new Observation(subject, prediction.mean()));
    var pending = state.pending().stream().filter(c -> !c.key().equals(subject.key())).toList();
    return new OptimizationState(state.space(), observations, pending, state.failed());
  }

  /** Results of {@code id} that have not started yet are dropped; work already running ends. */
  void cancel(int id) {
    if (virtual == null) {
      cancelled.add(id);
    }
  }

  /**
   * Writes {@code s}'s execution log entry, with its counterfactual when there can be one (the
   * speculative round finished and the subject reported a value), computed off the critical path.
   */
  void finish(Speculation s, ExecutionLogEntry entry) {
    boolean counterfactual = s.outcome != null && s.actual != null && s.realState != null;
    if (!counterfactual) {
      log.append(entry);
      return;
    }
    Runnable task =
        () -> {
          ExecutionLogEntry.Counterfactual c = null;
          try {
            c = counterfactual(s);
          } catch (RuntimeException e) {
            LOG.warn("counterfactual of the speculation on trial {} failed", s.subject, e);
          }
          log.append(c == null ? entry : entry.withCounterfactual(c));
        };
    if (virtual == null) {
      try {
        worker.execute(task);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        log.append(entry);
      }
    } else {
      // Off the critical path: measured, and the measurement dropped.
      virtual.measure(task);
    }
  }

  /**
   * Repeats the speculation's calls with the same seed on the real history: the same prediction
   * step (so every member's random state matches), then the chosen proposal's member proposes.
   */
  private ExecutionLogEntry.Counterfactual counterfactual(Speculation s) {
    List<Optimizer> pool = s.counterfactualPool;
    predictor.predict(pool, s.predictState, s.subjectConfiguration);
    Proposal speculative = s.outcome.chosen();
    Optimizer member =
        pool.stream().filter(o -> o.name().equals(speculative.source())).findFirst().orElse(null);
    Proposal real =
        member != null
            ? member.propose(s.realState)
            : new RandomSearch(spec.seed() ^ s.round).propose(s.realState);
    SearchSpace space = spec.searchSpace();
    Configuration a = space.configuration(speculative.configuration().values());
    Configuration b = space.configuration(real.configuration().values());
    double[] ua = space.toUnit(a);
    double[] ub = space.toUnit(b);
    double sum = 0;
    for (int i = 0; i < ua.length; i++) {
      sum += (ua[i] - ub[i]) * (ua[i] - ub[i]);
    }
    double distance = Math.sqrt(sum / Math.max(1, ua.length));
    Double la = predictor.predict(pool, s.realState, a).map(Prediction::mean).orElse(null);
    Double lb = predictor.predict(pool, s.realState, b).map(Prediction::mean).orElse(null);
    Double gap = la == null || lb == null ? null : rank(s.realState, la) - rank(s.realState, lb);
    return new ExecutionLogEntry.Counterfactual(b.values(), distance, la, lb, gap);
  }

  /**
   * Where {@code loss} ranks among the observed losses: the fraction below it, ties counting half,
   * so from 0 (better than everything seen) to 1.
   */
  static double rank(OptimizationState state, double loss) {
    var observations = state.observations();
    if (observations.isEmpty()) {
      return 0.5;
    }
    double below = 0;
    for (Observation o : observations) {
      if (o.loss() < loss) {
        below += 1;
      } else if (o.loss() == loss) {
        below += 0.5;
      }
    }
    return below / observations.size();
  }

  /** Lets queued counterfactuals finish for a while, then abandons the rest. */
  @Override
  public void close() {
    if (worker == null) {
      return;
    }
    // Speculations not started yet are skipped; counterfactuals already queued still run.
    closing = true;
    worker.shutdown();
    try {
      if (!worker.awaitTermination(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("speculative work still running after {}; abandoned", CLOSE_GRACE);
        worker.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      worker.shutdownNow();
    }
  }
}
