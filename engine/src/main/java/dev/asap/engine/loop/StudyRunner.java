package dev.asap.engine.loop;

import dev.asap.engine.execution.MetricReport;
import dev.asap.engine.execution.RunningTrial;
import dev.asap.engine.execution.TrialExecutor;
import dev.asap.engine.execution.TrialExit;
import dev.asap.engine.execution.TrialLaunch;
import dev.asap.engine.history.SelectionRecord;
import dev.asap.engine.history.SpeculationRecord;
import dev.asap.engine.history.StudyJournal;
import dev.asap.engine.history.TrialRecord;
import dev.asap.engine.history.TrialState;
import dev.asap.engine.integrator.Integrator;
import dev.asap.engine.integrator.SelectionContext;
import dev.asap.engine.integrator.SourceBandit;
import dev.asap.engine.integrator.llm.GatewayClient;
import dev.asap.engine.integrator.llm.LlmIntegrator;
import dev.asap.engine.integrator.llm.PrefixStablePrompt;
import dev.asap.engine.optimizer.Observation;
import dev.asap.engine.optimizer.OptimizationState;
import dev.asap.engine.optimizer.Optimizer;
import dev.asap.engine.optimizer.OptimizerPool;
import dev.asap.engine.optimizer.Proposal;
import dev.asap.engine.optimizer.RandomSearch;
import dev.asap.engine.simulation.VirtualClock;
import dev.asap.engine.space.Configuration;
import dev.asap.engine.speculation.ExecutionLog;
import dev.asap.engine.speculation.ExecutionLogEntry;
import dev.asap.engine.speculation.FileThresholds;
import dev.asap.engine.speculation.RelativeErrorAcceptTest;
import dev.asap.engine.speculation.SpeculationVerdict;
import dev.asap.engine.speculation.ThresholdSource;
import dev.asap.engine.speculation.TunerState;
import dev.asap.engine.speculation.ValuePredictor;
import dev.asap.engine.study.DurationText;
import dev.asap.engine.study.IntegratorSpec;
import dev.asap.engine.study.PoolMembers;
import dev.asap.engine.study.SpeculationSpec;
import dev.asap.engine.study.Study;
import dev.asap.engine.study.StudySpec;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The study loop: keeps {@code budget.parallelism} trials running, refilling a slot as soon as its
 * trial ends, until a stop condition holds; records every step in the study's journal.
 *
 * <p>All decisions happen on the thread that calls {@link #run()}: executors hand metric reports
 * and exits to a queue, and the loop takes them one at a time, so no state here is shared between
 * threads. Each free slot is one round: every pool member proposes, proposals that are invalid or
 * already tried are dropped, and the integrator picks one of the rest.
 *
 * <p>The pool's members propose in parallel, one thread each, on a fixed pool of threads that the
 * runner owns for the length of {@link #run()}. Each round waits at most {@code proposalTimeout}
 * (default {@link #DEFAULT_PROPOSAL_TIMEOUT}) for them; a member that misses it is skipped that
 * round, and in later rounds until its late call has returned, because optimizers are not
 * thread-safe and must never be called twice at once. The candidates keep the pool's order whatever
 * the threads' timing, so a seed still gives the same candidates.
 *
 * <p>With speculation on, every running trial has a {@link Speculator} computing, in the
 * background, the round that would follow it, from a predicted value. When the trial ends with a
 * value that passes the {@link RelativeErrorAcceptTest}, its slot starts that proposal at once;
 * otherwise the round runs from the real history as without speculation. A slot whose trial ended
 * before its speculation could be tested (no prediction yet) or used (accepted, still computing) is
 * held until it can. Speculations built on a history that changed since (another trial started or
 * ended) are restarted.
 *
 * <p>On a {@link VirtualClock} (a simulated study) nothing waits in real time: when the loop has no
 * event, the clock jumps to the next scheduled one, and the measured computing time of every round
 * is charged to it.
 */
public final class StudyRunner {
  private static final Logger LOG = LoggerFactory.getLogger(StudyRunner.class);

  /** How long to wait for stopped trials to end before recording them as stopped regardless. */
  static final Duration STOP_GRACE = Duration.ofSeconds(15);

  /** How long a round waits for the pool's proposals unless the runner is told otherwise. */
  public static final Duration DEFAULT_PROPOSAL_TIMEOUT = Duration.ofSeconds(30);

  /** How long a trial killed by SIGINT or SIGTERM waits for the study's own interrupt. */
  static final Duration SIGNAL_GRACE = Duration.ofSeconds(2);

  /** The characters of the study's fingerprint in the LLM gateway's routing key. */
  private static final int PREFIX_KEY_FINGERPRINT = 8;

  private final Study study;
  private final StudySpec spec;
  private final TrialExecutor executor;
  private final Path folder;
  private final StudyListener listener;
  private final LongFunction<List<Optimizer>> poolFactory;
  private final Integrator integrator;
  private final Clock clock;
  private final Duration proposalTimeout;
  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final Map<Integer, Live> running = new LinkedHashMap<>();
  private final VirtualClock virtual;
  private volatile boolean interruptRequested;

  private Integrator speculationIntegrator;
  private ValuePredictor predictor = ValuePredictor.pooled();
  private ThresholdSource thresholds;
  private Speculator speculator;
  private ExecutionLog executionLog;
  private java.util.function.Consumer<ExecutionLogEntry> executionObserver;

  /** The newest speculation on each running trial. */
  private final Map<Integer, Speculator.Speculation> speculations = new HashMap<>();

  /** Speculations still waiting for a result from the background, by id. */
  private final Map<Integer, Speculator.Speculation> awaiting = new HashMap<>();

  /** Slots freed by an ended trial and not refilled yet, oldest first. */
  private final Deque<FreeSlot> freeSlots = new ArrayDeque<>();

  /** Slots whose trial ended but whose speculation cannot be tested or used yet. */
  private final List<Speculator.Speculation> held = new ArrayList<>();

  /** How many recent verdicts decide whether speculation pays. */
  static final int RECENT = 8;

  /** How many of them coming too late or overtaken pause speculation. */
  static final int USELESS_OF_RECENT = 6;

  /** The verdicts of the latest speculations whose subject ended, oldest first. */
  private final Deque<SpeculationVerdict> recentVerdicts = new ArrayDeque<>();

  /** Trials still to end before speculation is tried again after a pause. */
  private int pausedForTrials;

  /** Rounds the pool has run or adopted: copies made before the latest one are outdated. */
  private long poolRounds;

  /**
   * A slot to refill: when it was freed, and the speculation on the trial that had it, whose
   * verdict decides whether the slot starts the speculative proposal.
   */
  private record FreeSlot(Instant freedAt, Speculator.Speculation speculation) {}

  private StudyJournal journal;
  private List<Optimizer> pool;
  private RandomSearch fallback;
  private ParallelProposals proposals;

  /** A trial in flight: its record and what it has reported so far. */
  private static final class Live {
    TrialRecord record;
    final RunningTrial handle;
    final Map<String, Double> metrics = new LinkedHashMap<>();

    Live(TrialRecord record, RunningTrial handle) {
      this.record = record;
      this.handle = handle;
    }
  }

  /** Something that happened to a running trial, queued for the loop's thread. */
  private sealed interface Event {}

  private record Reported(int trial, MetricReport report) implements Event {}

  private record Exited(int trial, TrialExit exit, Instant at) implements Event {}

  private record Speculated(Speculator.Result result) implements Event {}

  /**
   * A runner with the study's own pool and the integrator its spec names, state kept under {@code
   * stateDir}.
   */
  public StudyRunner(Study study, TrialExecutor executor, Path stateDir, StudyListener listener) {
    this(
        study,
        executor,
        stateDir,
        listener,
        round -> OptimizerPool.create(study.spec().optimizers(), study.spec().seed(), round),
        integratorFor(study),
        Clock.systemUTC());
    // Speculative rounds run on another thread than the loop's: they get their own instance.
    this.speculationIntegrator = integratorFor(study);
  }

  /**
   * A runner with an explicit pool factory (given the number of trials already recorded) and
   * integrator.
   */
  public StudyRunner(
      Study study,
      TrialExecutor executor,
      Path stateDir,
      StudyListener listener,
      LongFunction<List<Optimizer>> poolFactory,
      Integrator integrator,
      Clock clock) {
    this(
        study,
        executor,
        stateDir,
        listener,
        poolFactory,
        integrator,
        clock,
        DEFAULT_PROPOSAL_TIMEOUT);
  }

  /**
   * A runner with an explicit pool factory, integrator and proposal time limit.
   *
   * @param proposalTimeout how long a round waits for the pool's proposals
   */
  public StudyRunner(
      Study study,
      TrialExecutor executor,
      Path stateDir,
      StudyListener listener,
      LongFunction<List<Optimizer>> poolFactory,
      Integrator integrator,
      Clock clock,
      Duration proposalTimeout) {
    this.study = study;
    this.spec = study.spec();
    this.executor = executor;
    // Absolute, so that the executor (which resolves relative paths against the study file's
    // folder) puts the trial logs beside the journal.
    this.folder = stateDir.toAbsolutePath().resolve(study.name());
    this.listener = listener;
    this.poolFactory = poolFactory;
    this.integrator = integrator;
    this.clock = clock;
    this.proposalTimeout = proposalTimeout;
    this.virtual = clock instanceof VirtualClock v ? v : null;
    this.speculationIntegrator = integrator;
  }

  /**
   * Predicts running trials' values with {@code predictor} instead of the pool's surrogates, for
   * benchmarks that study what wrong predictions do.
   */
  public StudyRunner predictor(ValuePredictor predictor) {
    this.predictor = predictor;
    return this;
  }

  /**
   * Reads the accept threshold from {@code thresholds} when the study's speculation has none of its
   * own; without a call, from the Self-Tuner's state file beside the study's folder.
   */
  public StudyRunner thresholds(ThresholdSource thresholds) {
    this.thresholds = thresholds;
    return this;
  }

  /**
   * The integrator {@code study}'s spec names: the bandit, or the LLM integrator with the bandit
   * deciding the rounds the LLM does not. The LLM's requests carry the study's name and a short
   * fingerprint as routing key, so that every round of one study reaches the same cache.
   */
  static Integrator integratorFor(Study study) {
    IntegratorSpec integrator = study.spec().integrator();
    if (!integrator.type().equals(PoolMembers.LLM)) {
      return new SourceBandit();
    }
    String prefixKey =
        study.name() + "/" + Fingerprint.of(study.spec()).substring(0, PREFIX_KEY_FINGERPRINT);
    return new LlmIntegrator(
        new PrefixStablePrompt(study.spec()),
        new GatewayClient(integrator.llm(), prefixKey),
        new SourceBandit(),
        study.spec().seed());
  }

  /** Also hands every execution log entry to {@code observer}, on the thread that logs it. */
  public StudyRunner executionObserver(java.util.function.Consumer<ExecutionLogEntry> observer) {
    this.executionObserver = observer;
    return this;
  }

  /** The folder that holds this study's journal and trial logs. */
  public Path folder() {
    return folder;
  }

  /**
   * Asks a running study to stop soon, for example from a shutdown hook: running trials are stopped
   * and recorded as interrupted, so that the next run refills their slots.
   */
  public void requestInterrupt() {
    interruptRequested = true;
    events.add(
        new Exited(-1, new TrialExit(TrialExit.Kind.STOPPED, null, "interrupt"), Instant.EPOCH));
  }

  /** Runs (or resumes) the study until it stops, and returns its outcome. */
  public StudyResult run() {
    MDC.put("study", study.name());
    Instant start = clock.instant();
    try (StudyJournal j = StudyJournal.open(folder, study.name(), Fingerprint.of(spec))) {
      journal = j;
      recoverInterrupted();
      pool = poolFactory.apply(journal.trials().size());
      fallback = new RandomSearch(spec.seed() ^ journal.trials().size());
      proposals = new ParallelProposals(pool, proposalTimeout);
      executionLog = new ExecutionLog(folder);
      if (executionObserver != null) {
        executionLog.observe(executionObserver);
      }
      if (spec.speculation().enabled()) {
        if (thresholds == null) {
          thresholds =
              new FileThresholds(
                  folder.getParent().resolve(TunerState.FILE_NAME), SpeculationSpec.DEFAULT_TAU);
        }
        speculator =
            new Speculator(
                spec,
                speculationIntegrator,
                predictor,
                proposalTimeout,
                clock,
                r -> events.add(new Speculated(r)),
                executionLog);
      }
      Instant deadline =
          spec.budget().timeout() == null ? null : start.plus(spec.budget().timeout());
      Stop stop = loop(deadline);
      stopRunning(stop);
      if (speculator != null) {
        // Counterfactuals still queued are written before the log is read for the result, and
        // speculations that ended meanwhile are logged with what they cost.
        speculator.close();
        drainSpeculations();
      }
      var result = result(stop, Duration.between(start, clock.instant()));
      LOG.info("study {} stopped: {}", study.name(), stop.detail());
      listener.finished(result);
      return result;
    } finally {
      if (proposals != null) {
        // A call still running past its time limit is abandoned; its thread is a daemon.
        proposals.close();
      }
      if (speculator != null) {
        speculator.close();
      }
      MDC.remove("study");
    }
  }

  /** Why the loop ended, with a sentence for people. */
  private record Stop(StopReason reason, String detail) {}

  private Stop loop(Instant deadline) {
    boolean exhausted = false;
    while (true) {
      Stop stop = checkStop(deadline);
      if (stop != null) {
        return stop;
      }
      // A round can take long (a slow model); the deadline and an interrupt are checked before
      // each, so that no trial starts after the study should have stopped.
      while (!exhausted
          && running.size() + held.size() < spec.budget().parallelism()
          && launchable()
          && !stopDue(deadline)) {
        exhausted = !launchNext(deadline);
      }
      speculateOnRunning(deadline);
      stop = checkStop(deadline);
      if (stop != null) {
        return stop;
      }
      if (running.isEmpty() && held.isEmpty()) {
        if (exhausted) {
          return new Stop(
              StopReason.SEARCH_SPACE_EXHAUSTED,
              "every configuration of the search space has been tried");
        }
        return new Stop(
            StopReason.MAX_TRIALS, "reached maxTrials (" + spec.budget().maxTrials() + ")");
      }
      Event event = nextEvent(deadline);
      if (event != null) {
        handle(event);
      }
    }
  }

  private Event nextEvent(Instant deadline) {
    if (virtual != null) {
      // Simulated time: jump to the next scheduled happening rather than wait for it.
      while (events.isEmpty() && virtual.runNext(deadline)) {
        // each scheduled action may queue an event
      }
      Event e = events.poll();
      if (e == null && (deadline == null || clock.instant().isBefore(deadline))) {
        throw new IllegalStateException(
            "simulated study stalled: trials are running but nothing is scheduled");
      }
      return e;
    }
    try {
      if (deadline == null) {
        return events.take();
      }
      long wait = Duration.between(clock.instant(), deadline).toMillis();
      return wait <= 0 ? events.poll() : events.poll(wait, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      interruptRequested = true;
      return null;
    }
  }

  /** Whether the study was interrupted or ran out of time, the stops that can come mid-round. */
  private boolean stopDue(Instant deadline) {
    return interruptRequested
        || Thread.currentThread().isInterrupted()
        || (deadline != null && !clock.instant().isBefore(deadline));
  }

  private Stop checkStop(Instant deadline) {
    if (interruptRequested || Thread.currentThread().isInterrupted()) {
      return new Stop(StopReason.INTERRUPTED, "interrupted; run again to resume");
    }
    List<TrialRecord> trials = journal.trials();
    long failed = trials.stream().filter(t -> t.state() == TrialState.FAILED).count();
    if (failed > spec.budget().maxFailedTrials()) {
      return new Stop(
          StopReason.TOO_MANY_FAILURES,
          failed
              + " trials failed, more than maxFailedTrials ("
              + spec.budget().maxFailedTrials()
              + "); see the trial logs in "
              + folder.resolve("trials")
              + ", then raise budget.maxFailedTrials to go on");
    }
    for (TrialRecord t : trials) {
      if (t.state() == TrialState.COMPLETED && spec.objective().reached(t.objective())) {
        return new Stop(
            StopReason.TARGET_REACHED,
            "trial "
                + t.number()
                + " reached the target "
                + spec.objective().metric()
                + " "
                + spec.objective().target());
      }
    }
    if (deadline != null && !clock.instant().isBefore(deadline)) {
      return new Stop(
          StopReason.TIMEOUT,
          "reached the study timeout (" + DurationText.format(spec.budget().timeout()) + ")");
    }
    return null;
  }

  /** Whether another trial may start without exceeding maxTrials once all running ones end. */
  private boolean launchable() {
    long ended =
        journal.trials().stream()
            .filter(t -> t.state() == TrialState.COMPLETED || t.state() == TrialState.FAILED)
            .count();
    return ended + running.size() < spec.budget().maxTrials();
  }

  /**
   * Fills one free slot; returns false when no untried configuration could be found. The slot
   * starts its accepted speculative proposal when it has one, else runs a round from the real
   * history. The chosen trial is not started when the study was interrupted or timed out during the
   * round.
   */
  private boolean launchNext(Instant deadline) {
    FreeSlot slot = freeSlots.poll();
    Speculator.Speculation s = slot == null ? null : slot.speculation();
    OptimizationState state = optimizationState();
    if (s != null && s.verdict == SpeculationVerdict.ACCEPTED) {
      Proposal chosen = s.outcome.chosen();
      if (!state.triedKeys().contains(chosen.configuration().key())) {
        long waited = Duration.between(s.arrivedAt, clock.instant()).toMillis();
        s.hiddenMillis = Math.max(0, s.computeMillis() - waited);
        launch(chosen, s.outcome.selection().withSlot(idleMillis(slot), record(s)));
        adopt(s);
        finish(s);
        return true;
      }
      // Another slot started the same configuration meanwhile.
      s.verdict = SpeculationVerdict.STALE;
      finish(s);
    }
    long roundStart = System.nanoTime();
    poolRounds++;
    Round.Outcome outcome =
        Round.run(
            spec,
            pool,
            proposals,
            fallback,
            integrator,
            new SelectionContext(
                spec,
                journal.endedInOrder(),
                running.values().stream().map(l -> l.record).toList(),
                state));
    if (Thread.currentThread().isInterrupted()) {
      interruptRequested = true;
    }
    if (virtual != null) {
      virtual.chargeCompute(System.nanoTime() - roundStart);
    }
    if (outcome == null || stopDue(deadline)) {
      if (slot != null) {
        freeSlots.addFirst(slot);
      }
      return outcome != null;
    }
    launch(
        outcome.chosen(),
        outcome.selection().withSlot(idleMillis(slot), s == null ? null : record(s)));
    return true;
  }

  /** Now, or on a virtual clock the instant of the happening being delivered. */
  private Instant eventInstant() {
    return virtual != null ? virtual.actionInstant() : clock.instant();
  }

  /**
   * Makes the accepted speculation's copies the pool, so that the study goes on as if the pool had
   * made that round itself; unless the pool has run a round of its own since they were copied,
   * which they would lose.
   */
  private void adopt(Speculator.Speculation s) {
    if (s.poolVersion != poolRounds) {
      return;
    }
    proposals.close();
    pool = s.pool;
    proposals = new ParallelProposals(pool, proposalTimeout);
    poolRounds++;
  }

  /** How long {@code slot} has stood idle, or {@code null} for a slot filled at the start. */
  private Long idleMillis(FreeSlot slot) {
    return slot == null ? null : Duration.between(slot.freedAt(), clock.instant()).toMillis();
  }

  /** The journal's summary of a resolved speculation. */
  private SpeculationRecord record(Speculator.Speculation s) {
    long compute = s.computeMillis();
    boolean accepted = s.verdict == SpeculationVerdict.ACCEPTED;
    return new SpeculationRecord(
        s.subject,
        predictedValue(s),
        s.actual,
        s.relativeError,
        s.tau,
        s.verdict,
        compute,
        accepted ? s.hiddenMillis : 0,
        accepted ? 0 : compute);
  }

  private double predictedValue(Speculator.Speculation s) {
    return s.prediction == null
        ? Double.NaN
        : spec.objective().direction().fromLoss(s.prediction.mean());
  }

  /**
   * Whether speculating can pay. Not while nearly every speculation comes too late or is overtaken
   * (of the last {@link #RECENT}, at least {@link #USELESS_OF_RECENT} were {@code LATE} or {@code
   * STALE} and at most one was accepted): trials then end faster than a speculative round is
   * computed, and the speculations only compete with the critical path for the optimizers' threads
   * and the LLM. After {@link #RECENT} trials without speculation it tries again.
   */
  private boolean speculationPays() {
    if (pausedForTrials > 0) {
      return false;
    }
    long useless =
        recentVerdicts.stream()
            .filter(v -> v == SpeculationVerdict.LATE || v == SpeculationVerdict.STALE)
            .count();
    long accepted = recentVerdicts.stream().filter(v -> v == SpeculationVerdict.ACCEPTED).count();
    if (recentVerdicts.size() == RECENT && useless >= USELESS_OF_RECENT && accepted <= 1) {
      LOG.info(
          "speculation paused for {} trials: {} of the last {} speculations came too late or were"
              + " overtaken",
          RECENT,
          useless,
          RECENT);
      recentVerdicts.clear();
      pausedForTrials = RECENT;
      return false;
    }
    return true;
  }

  /**
   * Notes the verdict of a speculation whose subject ended, for {@link #speculationPays}; a restart
   * on a newer history is not noted, since it says nothing about timing.
   */
  private void noteVerdict(SpeculationVerdict verdict) {
    recentVerdicts.addLast(verdict);
    if (recentVerdicts.size() > RECENT) {
      recentVerdicts.removeFirst();
    }
  }

  /** Starts a speculation on every running trial that has none. */
  private void speculateOnRunning(Instant deadline) {
    // Only when another trial may start after a running one ends.
    if (speculator == null || stopDue(deadline) || !launchable() || !speculationPays()) {
      return;
    }
    for (Live live : List.copyOf(running.values())) {
      int subject = live.record.number();
      if (speculations.containsKey(subject)) {
        continue;
      }
      var others = running.values().stream().filter(l -> l != live).map(l -> l.record).toList();
      Speculator.Speculation started =
          speculator.start(
              optimizationState(),
              journal.endedInOrder(),
              live.record,
              others,
              subject + 1L,
              copyOfPool(subject + 1L),
              copyOfPool(subject + 1L),
              poolRounds);
      speculations.put(subject, started);
      awaiting.put(started.id, started);
    }
  }

  /**
   * Copies of the pool's members, for background work; a member still busy with a late call (or one
   * that cannot be copied) is replaced by a fresh one of its kind, seeded by {@code round}.
   */
  private List<Optimizer> copyOfPool(long round) {
    List<Optimizer> fresh = null;
    var copies = new ArrayList<Optimizer>(pool.size());
    for (int i = 0; i < pool.size(); i++) {
      Optimizer member = pool.get(i);
      Optimizer copy = null;
      if (!proposals.busy(member)) {
        try {
          copy = member.copy();
        } catch (UnsupportedOperationException e) {
          copy = null;
        }
      }
      if (copy == null) {
        if (fresh == null) {
          fresh = poolFactory.apply(round);
        }
        copy = fresh.get(i);
      }
      copies.add(copy);
    }
    return copies;
  }

  /**
   * Drops a speculation with {@code verdict}. Work not started yet is skipped; work already running
   * (an LLM call cannot be taken back) is logged when it ends, so that what it cost is counted.
   */
  private void discard(Speculator.Speculation s, SpeculationVerdict verdict) {
    s.verdict = verdict;
    speculator.cancel(s.id);
    if (s.outcomeKnown || s.failure != null || !awaiting.containsKey(s.id)) {
      finish(s);
    }
  }

  /** Logs the decided speculations whose work has ended or will not end now. */
  private void drainSpeculations() {
    for (Event e = events.poll(); e != null; e = events.poll()) {
      if (e instanceof Speculated sp) {
        speculated(sp.result());
      }
    }
    for (Speculator.Speculation s : List.copyOf(awaiting.values())) {
      if (s.verdict != null && !s.finished) {
        s.finished = true;
        executionLog.append(entry(s));
      }
    }
  }

  /** Takes in a result of background speculative work. */
  private void speculated(Speculator.Result result) {
    Speculator.Speculation s = awaiting.get(result.id());
    if (s == null) {
      return; // superseded or already decided without it
    }
    if (result instanceof Speculator.Predicted p) {
      s.prediction = p.prediction();
      s.predictionKnown = true;
      s.predictNanos = p.nanos();
      if (p.prediction() == null) {
        awaiting.remove(s.id);
      }
    } else if (result instanceof Speculator.Ready r) {
      awaiting.remove(s.id);
      s.outcome = r.outcome();
      s.outcomeKnown = true;
      s.roundNanos = r.nanos();
      if (r.outcome() == null) {
        s.failure = "no untried configuration";
      }
    } else if (result instanceof Speculator.Failed f) {
      awaiting.remove(s.id);
      s.failure = f.why();
    }
    if (held.remove(s)) {
      resolve(s);
    } else if (s.verdict != null
        && s.verdict != SpeculationVerdict.ACCEPTED
        && !s.finished
        && !awaiting.containsKey(s.id)) {
      // Decided while still computing; the log waited for the work's end.
      finish(s);
    }
  }

  /**
   * Called when {@code ended}, a trial that was running, has been recorded: frees its slot, after
   * testing the speculation on it when there is one.
   */
  private void subjectEnded(TrialRecord ended) {
    if (pausedForTrials > 0) {
      pausedForTrials--;
    }
    Speculator.Speculation s = speculations.remove(ended.number());
    Instant now = ended.finishedAt();
    if (s == null) {
      freeSlots.add(new FreeSlot(now, null));
      return;
    }
    s.arrivedAt = now;
    if (s.predictionKnown && s.prediction == null) {
      freeSlots.add(new FreeSlot(now, null)); // nothing was predicted, so nothing speculated
      return;
    }
    if (ended.state() != TrialState.COMPLETED) {
      freeSlots.add(new FreeSlot(now, s));
      noteVerdict(SpeculationVerdict.NO_VALUE);
      discard(s, SpeculationVerdict.NO_VALUE);
      return;
    }
    s.actual = ended.objective();
    s.realState = optimizationState();
    resolve(s);
  }

  /** Tests a speculation whose subject has reported, or holds its slot until that can be done. */
  private void resolve(Speculator.Speculation s) {
    if (s.failure != null) {
      decide(s, SpeculationVerdict.STALE);
      return;
    }
    if (!s.predictionKnown) {
      // Still queued behind earlier speculative work: a round from the real history is sooner.
      speculator.cancel(s.id);
      decide(s, SpeculationVerdict.LATE);
      return;
    }
    if (s.prediction == null) {
      freeSlots.add(new FreeSlot(s.arrivedAt, null));
      return;
    }

    if (Double.isNaN(s.tau)) {
      SpeculationSpec settings = spec.speculation();
      s.tau = tauInForce();
      var verdict =
          new RelativeErrorAcceptTest(s.tau, settings.epsilon()).test(s.actual, predictedValue(s));
      s.relativeError = Double.isNaN(verdict.relativeError()) ? null : verdict.relativeError();
      if (!verdict.accepted()) {
        decide(s, SpeculationVerdict.REJECTED);
        return;
      }
    }
    if (!s.outcomeKnown) {
      held.add(s); // accepted; the proposal is still being computed
      return;
    }
    s.verdict = SpeculationVerdict.ACCEPTED;
    noteVerdict(s.verdict);
    freeSlots.add(new FreeSlot(s.arrivedAt, s));
  }

  /** Discards a speculation with {@code verdict}: its slot runs a round from the real history. */
  private void decide(Speculator.Speculation s, SpeculationVerdict verdict) {
    s.verdict = verdict;
    noteVerdict(verdict);
    freeSlots.add(new FreeSlot(s.arrivedAt, s));
    if (s.outcomeKnown || s.failure != null || !awaiting.containsKey(s.id)) {
      finish(s);
    }
  }

  /** The Self-Tuner's threshold for this study now; the default when it names a useless one. */
  private double tau() {
    try {
      double t = thresholds.tau(study.name());
      if (t >= 0 && Double.isFinite(t)) {
        return t;
      }
      LOG.warn("threshold source gave tau {}; using {}", t, SpeculationSpec.DEFAULT_TAU);
    } catch (RuntimeException e) {
      LOG.warn("cannot read the accept threshold; using {}", SpeculationSpec.DEFAULT_TAU, e);
    }
    return SpeculationSpec.DEFAULT_TAU;
  }

  /**
   * How far the prediction moved the subject among the losses observed before it, or {@code null}
   * without a prediction and a real value.
   */
  private Double rankShift(Speculator.Speculation s) {
    if (s.prediction == null || s.actual == null) {
      return null;
    }
    double actualLoss = spec.objective().direction().toLoss(s.actual);
    return Math.abs(
        Speculator.rank(s.predictState, s.prediction.mean())
            - Speculator.rank(s.predictState, actualLoss));
  }

  /** Writes a decided speculation to the execution log, once. */
  private void finish(Speculator.Speculation s) {
    if (s.finished) {
      return;
    }
    s.finished = true;
    speculator.finish(s, entry(s));
  }

  /** The execution log's entry for a decided speculation, without its counterfactual. */
  private ExecutionLogEntry entry(Speculator.Speculation s) {
    boolean accepted = s.verdict == SpeculationVerdict.ACCEPTED;
    long compute = s.computeMillis();
    long llm = s.llmMillis();
    return new ExecutionLogEntry(
        study.name(),
        s.subject,
        s.arrivedAt == null ? clock.instant() : s.arrivedAt,
        predictedValue(s),
        s.prediction == null ? null : s.prediction.stddev(),
        s.actual,
        s.relativeError,
        // An untested speculation records the threshold in force, not a test it never had.
        Double.isNaN(s.tau) ? tauInForce() : s.tau,
        spec.speculation().epsilon(),
        s.verdict,
        s.outcome == null ? null : s.outcome.chosen().source(),
        s.outcome == null ? null : s.outcome.chosen().configuration().values(),
        Math.max(0, compute - llm),
        llm,
        accepted ? s.hiddenMillis : 0,
        accepted ? 0 : compute,
        null,
        rankShift(s));
  }

  /** The threshold the next accept test would use. */
  private double tauInForce() {
    Double fixed = spec.speculation().tau();
    return fixed != null ? fixed : tau();
  }

  private void launch(Proposal chosen, SelectionRecord selection) {
    // One past the highest number, not the count: a journal missing a record must never make two
    // trials share a number.
    int number = journal.trials().stream().mapToInt(TrialRecord::number).max().orElse(-1) + 1;
    Instant proposedAt = clock.instant();
    Path log = logFile(number);
    var launch =
        new TrialLaunch(
            study.name(),
            number,
            chosen.configuration(),
            spec.trialTemplate(),
            study.baseDir(),
            log,
            spec.budget().trialTimeout());
    Double predicted = chosen.prediction() == null ? null : chosen.prediction().mean();
    listener.trialLaunching(
        new TrialRecord(
            number,
            chosen.configuration().values(),
            chosen.source(),
            predicted,
            TrialState.RUNNING,
            proposedAt,
            null,
            null,
            null,
            null,
            null,
            null,
            selection));
    RunningTrial handle =
        executor.start(launch, report -> events.add(new Reported(number, report)));
    var record =
        new TrialRecord(
            number,
            chosen.configuration().values(),
            chosen.source(),
            predicted,
            TrialState.RUNNING,
            proposedAt,
            clock.instant(),
            null,
            null,
            null,
            null,
            handle.handle(),
            selection);
    journal.append(record);
    running.put(number, new Live(record, handle));
    handle.exit().thenAccept(exit -> events.add(new Exited(number, exit, eventInstant())));
    LOG.info("trial {} started from {}: {}", number, chosen.source(), chosen.configuration());
    listener.trialStarted(record);
  }

  private void handle(Event event) {
    if (event instanceof Speculated sp) {
      speculated(sp.result());
    } else if (event instanceof Reported r) {
      Live live = running.get(r.trial());
      if (live != null && recorded(r.report().name())) {
        live.metrics.put(r.report().name(), r.report().value());
      }
    } else if (event instanceof Exited e && e.trial() >= 0) {
      Live live = running.remove(e.trial());
      if (live != null) {
        end(live, e.exit(), null, e.at());
      }
    }
  }

  private boolean recorded(String metric) {
    return metric.equals(spec.objective().metric())
        || spec.objective().additionalMetrics().contains(metric);
  }

  /** Turns an exit into the trial's final record; {@code forced} overrides the state. */
  private void end(Live live, TrialExit exit, TrialState forced) {
    end(live, exit, forced, clock.instant());
  }

  /**
   * Turns an exit into the trial's final record, ended {@code at} (when the exit happened, which
   * can be before the loop got to it).
   */
  private void end(Live live, TrialExit exit, TrialState forced, Instant at) {
    // Executors queue every report before the exit completes, so all of this trial's reports
    // were handled before this exit event.
    String metric = spec.objective().metric();
    Double value = live.metrics.get(metric);
    TrialState state;
    String reason = null;
    Double objective = null;
    if (forced != null) {
      state = forced;
      reason = exit.detail();
    } else if (exit.kind() == TrialExit.Kind.STOPPED) {
      state = TrialState.STOPPED;
      reason = exit.detail();
    } else if (!exit.succeeded() && interruptedWithStudy(exit)) {
      state = TrialState.INTERRUPTED;
      reason = "interrupted with the study: " + exit.detail();
    } else if (!exit.succeeded()) {
      state = TrialState.FAILED;
      reason = exit.detail() + logHint(exit, live.record.number());
    } else if (value == null) {
      state = TrialState.FAILED;
      reason = "ended without reporting the objective metric " + metric;
    } else if (!Double.isFinite(value)) {
      state = TrialState.FAILED;
      reason = "reported a non-finite " + metric + " (" + value + ")";
    } else {
      state = TrialState.COMPLETED;
      objective = value;
    }
    var metrics = new LinkedHashMap<String, Double>();
    live.metrics.forEach((k, v) -> metrics.put(k, Double.isFinite(v) ? v : null));
    metrics.values().removeIf(java.util.Objects::isNull);
    TrialRecord ended = live.record.ended(state, at, objective, metrics, reason);
    journal.append(ended);
    subjectEnded(ended);
    if (state == TrialState.COMPLETED) {
      LOG.info("trial {} completed: {} = {}", ended.number(), metric, objective);
    } else {
      LOG.info(
          "trial {} {}: {}",
          ended.number(),
          state.name().toLowerCase(java.util.Locale.ROOT),
          reason);
    }
    listener.trialEnded(ended, best());
  }

  /**
   * Whether a trial's non-zero exit came from the interrupt that is stopping the study. Ctrl-C in a
   * terminal signals the whole process group, so a trial often dies of the same SIGINT (exit code
   * 130; 143 for SIGTERM) a moment before this process's shutdown hook asks the study to stop; such
   * an exit waits up to {@link #SIGNAL_GRACE} for that request rather than being recorded as the
   * trial's own failure, which would count against the failure budget and never be retried.
   */
  private boolean interruptedWithStudy(TrialExit exit) {
    if (interruptRequested) {
      return true;
    }
    boolean bySignal =
        exit.kind() == TrialExit.Kind.EXITED
            && exit.exitCode() != null
            && (exit.exitCode() == 130 || exit.exitCode() == 143);
    if (!bySignal) {
      return false;
    }
    long deadline = System.nanoTime() + SIGNAL_GRACE.toNanos();
    while (!interruptRequested && System.nanoTime() < deadline) {
      java.util.concurrent.locks.LockSupport.parkNanos(10_000_000);
    }
    return interruptRequested;
  }

  private Path logFile(int number) {
    return folder.resolve("trials").resolve(String.format("trial-%04d.log", number));
  }

  /** Where to read more about a trial that ran and failed; nothing when it never started. */
  private String logHint(TrialExit exit, int number) {
    // Only where the executor kept the log in the study folder (local trials); a Job's detail
    // says where its log is.
    Path log = logFile(number);
    return exit.kind() == TrialExit.Kind.FAILED_TO_START || !java.nio.file.Files.exists(log)
        ? ""
        : " (log: " + log + ")";
  }

  /** Stops every running trial; they end as stopped, or as interrupted when the run was. */
  private void stopRunning(Stop stop) {
    if (running.isEmpty()) {
      return;
    }
    TrialState as =
        stop.reason() == StopReason.INTERRUPTED ? TrialState.INTERRUPTED : TrialState.STOPPED;
    String reason = "the study stopped: " + stop.detail();
    // Trials whose exit is already queued ended on their own: they are recorded as they ended, not
    // as stopped, so a result that arrived while the loop was busy is kept.
    for (Event queued = events.poll(); queued != null; queued = events.poll()) {
      handle(queued);
    }
    if (running.isEmpty()) {
      return;
    }
    running.values().forEach(l -> l.handle.stop(reason));
    Instant until = clock.instant().plus(STOP_GRACE);
    while (!running.isEmpty() && clock.instant().isBefore(until)) {
      Event e;
      try {
        e = stopEvent(until);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        break;
      }
      if (e == null && virtual != null) {
        break; // nothing more will happen in simulated time
      }
      if (e instanceof Reported r) {
        handle(r);
      } else if (e instanceof Exited x && running.containsKey(x.trial())) {
        end(running.remove(x.trial()), new TrialExit(TrialExit.Kind.STOPPED, null, reason), as);
      }
    }
    for (Live live : List.copyOf(running.values())) {
      running.remove(live.record.number());
      end(live, new TrialExit(TrialExit.Kind.STOPPED, null, reason + " (did not end in time)"), as);
    }
  }

  /** The next event while trials are being stopped, waiting at most until {@code until}. */
  private Event stopEvent(Instant until) throws InterruptedException {
    if (virtual != null) {
      while (events.isEmpty() && virtual.runNext(until)) {
        // a stopped simulated trial ends at once
      }
      return events.poll();
    }
    return events.poll(
        Math.max(1, Duration.between(clock.instant(), until).toMillis()), TimeUnit.MILLISECONDS);
  }

  /**
   * Takes over trials a dead earlier run left running where the executor can adopt their work
   * (Kubernetes Jobs outlive the operator); records the others as interrupted and stops their work.
   */
  private void recoverInterrupted() {
    List<TrialRecord> earlier = journal.trials();
    for (TrialRecord t : earlier) {
      if (t.state() == TrialState.RUNNING) {
        int number = t.number();
        RunningTrial adopted =
            t.handle() == null
                ? null
                : executor.adopt(
                    t.handle(), number, report -> events.add(new Reported(number, report)));
        if (adopted != null) {
          running.put(number, new Live(t, adopted));
          adopted.exit().thenAccept(exit -> events.add(new Exited(number, exit, eventInstant())));
          LOG.info("trial {} was running when the last run ended; waiting for it", number);
          continue;
        }
        if (t.handle() != null) {
          executor.reclaim(t.handle());
        }
        journal.append(
            t.ended(
                TrialState.INTERRUPTED,
                clock.instant(),
                null,
                t.metrics(),
                "the study process ended while this trial was running"));
        LOG.info(
            "trial {} was running when the last run ended; recorded as interrupted", t.number());
      }
    }
    if (!earlier.isEmpty()) {
      listener.resumed(journal.trials());
    }
  }

  private OptimizationState optimizationState() {
    var observations = new ArrayList<Observation>();
    var failed = new ArrayList<Configuration>();
    for (TrialRecord t : journal.endedInOrder()) {
      Configuration c = spec.searchSpace().configuration(t.parameters());
      if (t.state() == TrialState.COMPLETED) {
        observations.add(new Observation(c, spec.objective().direction().toLoss(t.objective())));
      } else {
        failed.add(c);
      }
    }
    var pending =
        running.values().stream()
            .map(l -> spec.searchSpace().configuration(l.record.parameters()))
            .toList();
    return new OptimizationState(spec.searchSpace(), observations, pending, failed);
  }

  private TrialRecord best() {
    TrialRecord best = null;
    for (TrialRecord t : journal.trials()) {
      if (t.state() == TrialState.COMPLETED
          && (best == null
              || spec.objective().direction().better(t.objective(), best.objective()))) {
        best = t;
      }
    }
    return best;
  }

  private StudyResult result(Stop stop, Duration elapsed) {
    var chosen = new LinkedHashMap<String, Long>();
    spec.optimizers().forEach(n -> chosen.put(n, 0L));
    var bySource = new HashMap<String, Long>();
    journal.trials().forEach(t -> bySource.merge(t.source(), 1L, Long::sum));
    bySource.forEach((k, v) -> chosen.merge(k, v, Long::sum));
    return new StudyResult(
        study.name(),
        stop.reason(),
        stop.detail(),
        journal.trials(),
        best(),
        elapsed,
        chosen,
        WallClock.of(journal.trials(), ExecutionLog.read(folder)));
  }
}
