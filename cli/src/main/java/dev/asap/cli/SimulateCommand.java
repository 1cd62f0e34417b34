package dev.asap.cli;

import dev.asap.engine.optimizer.OptimizerPool;
import dev.asap.engine.optimizer.Prediction;
import dev.asap.engine.simulation.BenchmarkFunction;
import dev.asap.engine.simulation.EvaluationCost;
import dev.asap.engine.simulation.LatencyModel;
import dev.asap.engine.simulation.SimulatedStudy;
import dev.asap.engine.simulation.WrongPredictor;
import dev.asap.engine.speculation.ValuePredictor;
import dev.asap.engine.study.SpeculationSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code asap simulate}: runs studies of a benchmark function on a virtual clock, with and without
 * speculation, and compares their serial overhead and final regret over the same seeds. The
 * speculation benchmark in {@code bench/speculation} is built on it.
 */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = {
      "Runs simulated studies of a benchmark function on a virtual clock, once per seed and"
          + " speculation setting, and compares their serial overhead and final regret."
    })
final class SimulateCommand implements Callable<Integer> {

  @ParentCommand private AsapCommand asap;

  @Option(
      names = "--function",
      paramLabel = "NAME",
      defaultValue = "branin",
      description =
          "Benchmark function: branin, hartmann6, rosenbrock or ackley (default:"
              + " ${DEFAULT-VALUE}).")
  private String function;

  @Option(
      names = "--offset",
      paramLabel = "X",
      defaultValue = "0",
      description = "Constant added to every value (default: ${DEFAULT-VALUE}).")
  private double offset;

  @Option(
      names = "--trials",
      paramLabel = "N",
      defaultValue = "40",
      description = "Trials per study (default: ${DEFAULT-VALUE}).")
  private int trials;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      description =
          "A simulated time budget per study (such as 220s): studies then run until it is spent"
              + " or --trials have ended, and are compared at equal wall-clock time.")
  private String timeout;

  @Option(
      names = "--parallelism",
      paramLabel = "N",
      defaultValue = "1",
      description = "Trials at once (default: ${DEFAULT-VALUE}).")
  private int parallelism;

  @Option(
      names = "--eval-cost",
      paramLabel = "COST",
      defaultValue = "3s",
      description =
          "Each trial's simulated time: a duration, or lognormal:MEDIAN:SIGMA (default:"
              + " ${DEFAULT-VALUE}).")
  private String evalCost;

  @Option(
      names = "--llm-latency",
      paramLabel = "LATENCY",
      defaultValue = "measured",
      description =
          "Each LLM round's simulated time: a duration, or measured (the warm rounds measured"
              + " through the gateway and embedded model, bench/llm/README.md; default:"
              + " ${DEFAULT-VALUE}).")
  private String llmLatency;

  @Option(
      names = "--pool",
      paramLabel = "NAMES",
      split = ",",
      description = "Pool members (default: all).")
  private List<String> pool;

  @Option(
      names = "--seeds",
      paramLabel = "FROM-TO",
      defaultValue = "1-10",
      description = "Seeds, as FROM-TO (default: ${DEFAULT-VALUE}).")
  private String seeds;

  @Option(
      names = "--speculation",
      paramLabel = "SETTINGS",
      split = ",",
      defaultValue = "off,0,auto",
      description =
          "Settings to compare: off, auto (tau from the Self-Tuner's state in --state-dir) or a"
              + " fixed tau >= 0 (default: ${DEFAULT-VALUE}).")
  private List<String> speculation;

  @Option(
      names = "--predictions",
      paramLabel = "KIND",
      defaultValue = "pool",
      description =
          "How running trials' values are predicted: pool (the surrogates), exact (the function"
              + " itself: what speculation costs with perfect predictions) or wrong (mirrored on"
              + " purpose: the worst case). Default: ${DEFAULT-VALUE}.")
  private String predictions;

  @Option(
      names = "--no-compute-time",
      description = "Charge no optimizer computing time to the clock, so that runs repeat exactly.")
  private boolean noComputeTime;

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      required = true,
      description = "Folder for the studies' journals and execution logs; must not hold them yet.")
  private Path stateDir;

  @Option(
      names = "--csv",
      paramLabel = "FILE",
      description = "Also write one row per study to FILE.")
  private Path csv;

  /** One simulated study's figures. */
  private record Row(
      String setting,
      long seed,
      double regret,
      double seconds,
      double overhead,
      long accepted,
      long speculations,
      int trials,
      double hidden,
      double wasted) {}

  @Override
  public Integer call() throws IOException {
    BenchmarkFunction f;
    EvaluationCost cost;
    LatencyModel latency;
    long from;
    long to;
    var settings = new LinkedHashMap<String, SpeculationSpec>();
    try {
      f = BenchmarkFunction.named(function);
      if (offset != 0) {
        f = f.withOffset(offset);
      }
      cost = EvaluationCost.parse(evalCost, 0);
      latency = LatencyModel.parse(llmLatency, 0);
      String[] range = seeds.split("-", -1);
      if (range.length != 2) {
        throw new IllegalArgumentException("--seeds must be FROM-TO, such as 1-10; was " + seeds);
      }
      from = Long.parseLong(range[0].strip());
      to = Long.parseLong(range[1].strip());
      if (to < from) {
        throw new IllegalArgumentException("--seeds must be FROM-TO with FROM <= TO; was " + seeds);
      }
      if (trials < 1 || parallelism < 1) {
        throw new IllegalArgumentException("--trials and --parallelism must be at least 1");
      }
      var seen = new java.util.HashSet<SpeculationSpec>();
      for (String s : speculation) {
        SpeculationSpec parsed = setting(s.strip());
        if (seen.add(parsed)) {
          settings.put(s.strip(), parsed);
        }
      }
    } catch (NumberFormatException e) {
      return usage("--seeds must be FROM-TO with whole numbers, such as 1-10; was " + seeds);
    } catch (IllegalArgumentException e) {
      return usage(e.getMessage());
    }
    List<String> members = pool == null ? OptimizerPool.names() : pool;
    if (members.isEmpty() || members.stream().anyMatch(String::isBlank)) {
      return usage(
          "--pool must name at least one optimizer, comma-separated; allowed: "
              + String.join(",", OptimizerPool.names()));
    }
    if (new java.util.HashSet<>(members).size() != members.size()) {
      return usage("--pool names an optimizer twice: " + String.join(",", members));
    }
    for (String m : members) {
      if (!OptimizerPool.names().contains(m)) {
        return usage(
            "--pool: unknown optimizer '"
                + m
                + "'; allowed: "
                + String.join(",", OptimizerPool.names()));
      }
    }
    if (predictions.equals("pool")
        && settings.values().stream().anyMatch(SpeculationSpec::enabled)
        && !members.contains("gp")
        && !members.contains("forest")) {
      return usage(
          "--pool has no member that can predict a running trial (gp or forest), so nothing"
              + " would be speculated; add one, or use --predictions exact");
    }
    ValuePredictor predictor;
    switch (predictions) {
      case "pool" -> predictor = null;
      case "wrong" -> predictor = new WrongPredictor();
      case "exact" -> {
        BenchmarkFunction exact = f;
        predictor = (pool, state, c) -> Optional.of(new Prediction(exact.value(c), 0));
      }
      default -> {
        return usage("--predictions must be pool, exact or wrong; was " + predictions);
      }
    }
    java.time.Duration budget = null;
    if (timeout != null) {
      try {
        budget = dev.asap.engine.study.DurationText.parse(timeout);
      } catch (IllegalArgumentException e) {
        return usage("--timeout: " + e.getMessage());
      }
      if (budget.isZero() || budget.isNegative()) {
        return usage("--timeout must be longer than 0s; was " + timeout);
      }
    }
    if (Files.exists(stateDir) && !Files.isDirectory(stateDir)) {
      return usage("--state-dir " + stateDir + " is a file, not a folder");
    }
    if (csv != null) {
      Path parent = csv.toAbsolutePath().getParent();
      if (Files.isDirectory(csv) || parent == null || !Files.isDirectory(parent)) {
        return usage("--csv " + csv + " must be a file in an existing folder");
      }
    }
    for (String setting : settings.keySet()) {
      for (long seed = from; seed <= to; seed++) {
        String name = function + "-" + folderName(setting) + "-s" + seed;
        if (Files.exists(stateDir.resolve(name))) {
          return usage(stateDir.resolve(name) + " already holds a study; use another --state-dir");
        }
      }
    }
    Files.createDirectories(stateDir);
    var base =
        new SimulatedStudy.Settings(
            f,
            trials,
            parallelism,
            cost,
            latency,
            members,
            from,
            SpeculationSpec.off(),
            !noComputeTime,
            budget);
    var rows = new ArrayList<Row>();
    for (var setting : settings.entrySet()) {
      for (long seed = from; seed <= to; seed++) {
        String name = function + "-" + folderName(setting.getKey()) + "-s" + seed;
        var outcome =
            SimulatedStudy.run(
                name,
                base.withSeed(seed).withSpeculation(setting.getValue()),
                stateDir,
                predictor,
                null);
        var clock = outcome.result().wallClock();
        rows.add(
            new Row(
                setting.getKey(),
                seed,
                outcome.regret(),
                outcome.simulatedTime().toMillis() / 1000.0,
                clock.serialOverhead().toMillis() / 1000.0,
                clock.accepted(),
                clock.speculationCount(),
                outcome.result().trials().size(),
                clock.hidden().toMillis() / 1000.0,
                clock.wasted().toMillis() / 1000.0));
      }
    }
    print(rows, settings);
    if (csv != null) {
      writeCsv(rows);
    }
    return 0;
  }

  private static SpeculationSpec setting(String text) {
    if (text.equals("off")) {
      return SpeculationSpec.off();
    }
    if (text.equals("auto")) {
      return SpeculationSpec.auto();
    }
    try {
      double tau = Double.parseDouble(text);
      if (tau >= 0 && tau <= 100) {
        return SpeculationSpec.fixed(tau);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        "--speculation: '" + text + "' is not off, auto or a number from 0 to 100");
  }

  private static String folderName(String setting) {
    return setting.equals("off") || setting.equals("auto") ? setting : "tau" + setting;
  }

  private void print(List<Row> rows, Map<String, SpeculationSpec> settings) {
    var bySetting = new LinkedHashMap<String, List<Row>>();
    String offKey = null;
    String zeroKey = null;
    for (var setting : settings.entrySet()) {
      String s = setting.getKey();
      bySetting.put(s, rows.stream().filter(r -> r.setting().equals(s)).toList());
      if (!setting.getValue().enabled()) {
        offKey = s;
      } else if (setting.getValue().equals(SpeculationSpec.fixed(0))) {
        zeroKey = s;
      }
    }
    double offOverhead = offKey != null ? mean(bySetting.get(offKey), Row::overhead) : Double.NaN;
    List<Row> zero = zeroKey == null ? null : bySetting.get(zeroKey);
    asap.out.printf(
        "%-8s %6s %7s %9s %9s %6s %9s %9s %9s %9s  %s%n",
        "setting",
        "runs",
        "trials",
        "time_s",
        "idle_s",
        "cut",
        "accepted",
        "regret",
        "se",
        "median",
        "vs tau=0 (paired regret difference; better/equal/worse)");
    for (var e : bySetting.entrySet()) {
      List<Row> r = e.getValue();
      long accepted = r.stream().mapToLong(Row::accepted).sum();
      long speculations = r.stream().mapToLong(Row::speculations).sum();
      double idle = mean(r, Row::overhead);
      String cut =
          Double.isNaN(offOverhead) || offOverhead == 0
              ? "-"
              : String.format(Locale.ROOT, "%.0f%%", 100 * (1 - idle / offOverhead));
      String paired = "-";
      if (zero != null && !e.getKey().equals(zeroKey)) {
        paired = paired(r, zero);
      }
      asap.out.printf(
          Locale.ROOT,
          "%-8s %6d %7.1f %9.1f %9.1f %6s %9s %9.4g %9.2g %9.4g  %s%n",
          e.getKey(),
          r.size(),
          mean(r, Row::trials),
          mean(r, Row::seconds),
          idle,
          cut,
          speculations == 0 ? "-" : accepted + "/" + speculations,
          mean(r, Row::regret),
          standardError(r.stream().mapToDouble(Row::regret).toArray()),
          median(r.stream().mapToDouble(Row::regret).toArray()),
          paired);
    }
  }

  /** The paired regret difference against τ = 0 over the same seeds. */
  private static String paired(List<Row> rows, List<Row> zero) {
    Map<Long, Double> base = new LinkedHashMap<>();
    zero.forEach(z -> base.put(z.seed(), z.regret()));
    var diffs = new ArrayList<Double>();
    int better = 0;
    int equal = 0;
    int worse = 0;
    for (Row r : rows) {
      Double b = base.get(r.seed());
      if (b == null || !Double.isFinite(b) || !Double.isFinite(r.regret())) {
        continue; // a study that completed no trial has no regret to compare
      }
      double d = r.regret() - b;
      diffs.add(d);
      if (d < 0) {
        better++;
      } else if (d == 0) {
        equal++;
      } else {
        worse++;
      }
    }
    double[] values = diffs.stream().mapToDouble(Double::doubleValue).toArray();
    return String.format(
        Locale.ROOT,
        "%+.4g +- %.2g; %d/%d/%d",
        java.util.Arrays.stream(values).average().orElse(Double.NaN),
        standardError(values),
        better,
        equal,
        worse);
  }

  private static double mean(List<Row> rows, java.util.function.ToDoubleFunction<Row> f) {
    return rows.stream().mapToDouble(f).average().orElse(Double.NaN);
  }

  private static double standardError(double[] v) {
    if (v.length < 2) {
      return Double.NaN;
    }
    double m = java.util.Arrays.stream(v).average().orElseThrow();
    double ss = 0;
    for (double x : v) {
      ss += (x - m) * (x - m);
    }
    return Math.sqrt(ss / (v.length - 1)) / Math.sqrt(v.length);
  }

  private static double median(double[] v) {
    if (v.length == 0) {
      return Double.NaN;
    }
    double[] s = v.clone();
    java.util.Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  private void writeCsv(List<Row> rows) throws IOException {
    try (var w = new PrintWriter(Files.newBufferedWriter(csv, StandardCharsets.UTF_8))) {
      w.println(
          "setting,seed,trials,regret,simulated_seconds,serial_overhead_seconds,accepted,"
              + "speculations,hidden_seconds,wasted_seconds");
      for (Row r : rows) {
        w.printf(
            Locale.ROOT,
            "%s,%d,%d,%s,%.3f,%.3f,%d,%d,%.3f,%.3f%n",
            r.setting(),
            r.seed(),
            r.trials(),
            Double.toString(r.regret()),
            r.seconds(),
            r.overhead(),
            r.accepted(),
            r.speculations(),
            r.hidden(),
            r.wasted());
      }
    }
  }

  private int usage(String problem) {
    asap.err.println("asap simulate: " + problem);
    return AsapCommand.INVALID_INPUT;
  }
}
