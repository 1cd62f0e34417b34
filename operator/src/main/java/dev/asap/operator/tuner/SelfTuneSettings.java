package dev.asap.operator.tuner;

import dev.asap.engine.speculation.SelfTuner;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * What one run of the Self-Tuner CronJob reads from its environment, checked before anything is
 * read from or written to the cluster.
 *
 * @param configMap the ConfigMap that holds the thresholds
 * @param namespace the namespace of that ConfigMap
 * @param bound the largest mean cost of an accepted speculation, in (0, 1]
 * @param minEntries the fewest usable entries that change a study's τ, at least 1
 * @param namespaces the namespaces whose HpoTrials are read; empty for all
 */
public record SelfTuneSettings(
    String configMap, String namespace, double bound, int minEntries, List<String> namespaces) {

  public static final String CONFIGMAP = "ASAP_SELF_TUNER_CONFIGMAP";
  public static final String NAMESPACE = "ASAP_SELF_TUNER_NAMESPACE";
  public static final String BOUND = "ASAP_SELF_TUNER_BOUND";
  public static final String MIN_ENTRIES = "ASAP_SELF_TUNER_MIN_ENTRIES";
  public static final String NAMESPACES = "ASAP_SELF_TUNER_NAMESPACES";

  /** The ConfigMap's name when none is set: the one the operator reads by default. */
  public static final String DEFAULT_CONFIGMAP = "asap-self-tuner";

  /**
   * Reads the settings through {@code env} (a name to its value, or {@code null} when unset).
   *
   * @param clientNamespace the Kubernetes client's namespace, the ConfigMap's when none is set
   * @throws IllegalArgumentException naming the variable that is wrong and what it allows
   */
  public static SelfTuneSettings read(Function<String, String> env, String clientNamespace) {
    String configMap = value(env, CONFIGMAP).orElse(DEFAULT_CONFIGMAP);
    String namespace = value(env, NAMESPACE).orElse(clientNamespace);
    if (namespace == null) {
      throw new IllegalArgumentException(
          NAMESPACE + " is not set and the Kubernetes client has no namespace of its own");
    }
    double bound = value(env, BOUND).map(SelfTuneSettings::bound).orElse(SelfTuner.DEFAULT_BOUND);
    int minEntries =
        value(env, MIN_ENTRIES)
            .map(SelfTuneSettings::minEntries)
            .orElse(SelfTuner.DEFAULT_MIN_ENTRIES);
    List<String> namespaces =
        value(env, NAMESPACES)
            .map(
                list ->
                    Arrays.stream(list.split(","))
                        .map(String::strip)
                        .filter(s -> !s.isEmpty())
                        .distinct()
                        .toList())
            .orElse(List.of());
    return new SelfTuneSettings(configMap, namespace, bound, minEntries, namespaces);
  }

  private static double bound(String text) {
    String problem =
        BOUND
            + " must be greater than 0 and at most 1 (a fraction of the history), was '"
            + text
            + "'";
    double bound;
    try {
      bound = Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(problem);
    }
    if (!(bound > 0) || !(bound <= 1)) {
      throw new IllegalArgumentException(problem);
    }
    return bound;
  }

  private static int minEntries(String text) {
    String problem = MIN_ENTRIES + " must be a whole number of at least 1, was '" + text + "'";
    int minEntries;
    try {
      minEntries = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(problem);
    }
    if (minEntries < 1) {
      throw new IllegalArgumentException(problem);
    }
    return minEntries;
  }

  /** A variable's value; a blank one counts as unset, as an empty Helm value renders. */
  private static Optional<String> value(Function<String, String> env, String name) {
    return Optional.ofNullable(env.apply(name)).map(String::strip).filter(s -> !s.isEmpty());
  }
}
