package dev.asap.engine.loop;

import dev.asap.engine.execution.MetricReport;
import dev.asap.engine.execution.RunningTrial;
import dev.asap.engine.execution.TrialExecutor;
import dev.asap.engine.execution.TrialExit;
import dev.asap.engine.execution.TrialLaunch;
import dev.asap.engine.history.SelectionRecord;
import dev.asap.engine.history.StudyJournal;
import dev.asap.engine.history.TrialRecord;
import dev.asap.engine.history.TrialState;
import dev.asap.engine.integrator.Integrator;
import dev.asap.engine.integrator.Selection;
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
import dev.asap.engine.space.Configuration;
import dev.asap.engine.study.DurationText;
import dev.asap.engine.study.IntegratorSpec;
import dev.asap.engine.study.PoolMembers;
import dev.asap.engine.study.Study;
import dev.asap.engine.study.StudySpec;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
  private volatile boolean interruptRequested;

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

  private record Exited(int trial, TrialExit exit) implements Event {}

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
    events.add(new Exited(-1, new TrialExit(TrialExit.Kind.STOPPED, null, "interrupt")));
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
      Instant deadline =
          spec.budget().timeout() == null ? null : start.plus(spec.budget().timeout());
      Stop stop = loop(deadline);
      stopRunning(stop);
      var result = result(stop, Duration.between(start, clock.instant()));
      LOG.info("study {} stopped: {}", study.name(), stop.detail());
      listener.finished(result);
      return result;
    } finally {
      if (proposals != null) {
        // A call still running past its time limit is abandoned; its thread is a daemon.
        proposals.close();
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
          && running.size() < spec.budget().parallelism()
          && launchable()
          && !stopDue(deadline)) {
        exhausted = !launchNext(deadline);
      }
      stop = checkStop(deadline);
      if (stop != null) {
        return stop;
      }
      if (running.isEmpty()) {
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
   * Runs one round for a free slot; returns false when no untried configuration could be found. The
   * chosen trial is not started when the study was interrupted or timed out during the round.
   */
  private boolean launchNext(Instant deadline) {
    OptimizationState state = optimizationState();
    var tried = state.triedKeys();
    long proposeStart = System.nanoTime();
    var timedOut = new ArrayList<String>();
    Map<Optimizer, Proposal> proposals = this.proposals.gather(state, timedOut);
    if (Thread.currentThread().isInterrupted()) {
      interruptRequested = true;
    }
    var candidates = new ArrayList<Proposal>();
    var keys = new java.util.HashSet<String>();
    for (Optimizer optimizer : pool) {
      Proposal p = proposals.get(optimizer);
      Configuration c = p == null ? null : validated(p);
      if (c != null && !tried.contains(c.key()) && keys.add(c.key())) {
        candidates.add(new Proposal(c, optimizer.name(), p.prediction()));
      }
    }
    long proposeMillis = (System.nanoTime() - proposeStart) / 1_000_000;
    String fallbackReason = null;
    if (candidates.isEmpty()) {
      Proposal p = fallback.propose(state);
      if (tried.contains(p.configuration().key())) {
        return false;
      }
      candidates.add(p);
      fallbackReason = "no pool member proposed an untried configuration";
    }
    long selectStart = System.nanoTime();
    Selection selection = select(state, candidates);
    long selectMillis = (System.nanoTime() - selectStart) / 1_000_000;
    Proposal chosen = candidates.get(selection.index());
    if (fallbackReason == null) {
      fallbackReason = selection.fallbackReason();
    }
    if (stopDue(deadline)) {
      return true;
    }
    launch(
        chosen,
        new SelectionRecord(
            integrator.name(),
            candidates.stream().map(Proposal::source).toList(),
            proposeMillis,
            selectMillis,
            fallbackReason,
            timedOut,
            selection.llm()));
    return true;
  }

  private Selection select(OptimizationState state, List<Proposal> candidates) {
    var context =
        new SelectionContext(
            spec,
            journal.endedInOrder(),
            running.values().stream().map(l -> l.record).toList(),
            state);
    try {
      Selection s = integrator.select(context, candidates);
      if (s.index() < 0 || s.index() >= candidates.size()) {
        return rescued(
            context,
            candidates,
            integrator.name() + " chose index " + s.index() + " of " + candidates.size());
      }
      return s;
    } catch (RuntimeException e) {
      LOG.warn("integrator {} failed; the bandit decides this round", integrator.name(), e);
      return rescued(context, candidates, integrator.name() + " failed: " + e.getMessage());
    }
  }

  /**
   * The bandit's choice for a round the integrator could not decide, with {@code reason} recorded;
   * pool order alone would always favour the first member.
   */
  private Selection rescued(SelectionContext context, List<Proposal> candidates, String reason) {
    try {
      int index = new SourceBandit().select(context, candidates).index();
      if (index >= 0 && index < candidates.size()) {
        return new Selection(index, reason);
      }
    } catch (RuntimeException e) {
      LOG.warn("the bandit failed too; taking the first candidate", e);
    }
    return new Selection(0, reason);
  }

  /** The proposal's configuration re-checked against the space, or null when it is invalid. */
  private Configuration validated(Proposal p) {
    try {
      return spec.searchSpace().configuration(p.configuration().values());
    } catch (RuntimeException e) {
      LOG.warn(
          "optimizer {} proposed an invalid configuration {}: {}",
          p.source(),
          p.configuration(),
          e.getMessage());
      return null;
    }
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
    RunningTrial handle =
        executor.start(launch, report -> events.add(new Reported(number, report)));
    var record =
        new TrialRecord(
            number,
            chosen.configuration().values(),
            chosen.source(),
            chosen.prediction() == null ? null : chosen.prediction().mean(),
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
    handle.exit().thenAccept(exit -> events.add(new Exited(number, exit)));
    LOG.info("trial {} started from {}: {}", number, chosen.source(), chosen.configuration());
    listener.trialStarted(record);
  }

  private void handle(Event event) {
    if (event instanceof Reported r) {
      Live live = running.get(r.trial());
      if (live != null && recorded(r.report().name())) {
        live.metrics.put(r.report().name(), r.report().value());
      }
    } else if (event instanceof Exited e && e.trial() >= 0) {
      Live live = running.remove(e.trial());
      if (live != null) {
        end(live, e.exit(), null);
      }
    }
  }

  private boolean recorded(String metric) {
    return metric.equals(spec.objective().metric())
        || spec.objective().additionalMetrics().contains(metric);
  }

  /** Turns an exit into the trial's final record; {@code forced} overrides the state. */
  private void end(Live live, TrialExit exit, TrialState forced) {
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
    TrialRecord ended = live.record.ended(state, clock.instant(), objective, metrics, reason);
    journal.append(ended);
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
    return exit.kind() == TrialExit.Kind.FAILED_TO_START ? "" : " (log: " + logFile(number) + ")";
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
        e =
            events.poll(
                Math.max(1, Duration.between(clock.instant(), until).toMillis()),
                TimeUnit.MILLISECONDS);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        break;
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

  /** Records trials a dead earlier run left running as interrupted, and stops their work. */
  private void recoverInterrupted() {
    List<TrialRecord> earlier = journal.trials();
    for (TrialRecord t : earlier) {
      if (t.state() == TrialState.RUNNING) {
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
        study.name(), stop.reason(), stop.detail(), journal.trials(), best(), elapsed, chosen);
  }
}
