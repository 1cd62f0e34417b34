package dev.asap.operator.study;

import dev.asap.engine.study.Study;
import dev.asap.operator.api.HpoStudy;
import dev.asap.operator.config.OperatorConfig;
import dev.asap.operator.metrics.OperatorMetrics;
import dev.asap.operator.report.ReportRouter;
import dev.asap.operator.tuner.ConfigMapThresholds;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/** The studies running in this operator, by namespace/name. */
@ApplicationScoped
public class StudyRuntimes {
  private static final Logger LOG = Logger.getLogger(StudyRuntimes.class);

  @Inject KubernetesClient client;
  @Inject OperatorConfig config;
  @Inject ReportRouter router;
  @Inject OperatorMetrics metrics;
  @Inject ReportTokens tokens;

  private final Map<String, StudyRuntime> runtimes = new ConcurrentHashMap<>();

  /** Set when the operator shuts down: no study starts here any more. */
  private volatile boolean closing;

  /** Why each study's last loop failed, until a loop of it starts a trial again. */
  private final Map<String, String> failures = new ConcurrentHashMap<>();

  private final ConfigMapThresholds thresholds = new ConfigMapThresholds();
  private SharedIndexInformer<ConfigMap> thresholdWatch;

  /** The runtime of {@code study}, or {@code null}. */
  public StudyRuntime get(HpoStudy study) {
    return runtimes.get(key(study));
  }

  /**
   * Starts {@code study}'s loop; a loop already running an older generation of its spec lets go of
   * its Jobs first, and the new one adopts them.
   *
   * @param changed called whenever the study's status may have changed
   */
  public synchronized StudyRuntime start(
      HpoStudy study, Study engineStudy, String token, Consumer<HpoStudy> changed) {
    if (closing) {
      throw new IllegalStateException("the operator is shutting down; the next one runs the study");
    }
    watchThresholds();
    StudyRuntime old = runtimes.remove(key(study));
    if (old != null && !old.ended()) {
      old.detach();
    }
    String namespace = study.getMetadata().getNamespace();
    String name = study.getMetadata().getName();
    router.registerStudy(namespace, name, token);
    var runtime =
        new StudyRuntime(
            client,
            study,
            engineStudy,
            config.stateDir(),
            config.reportUrl(),
            ReportTokens.secretName(name),
            router,
            metrics,
            thresholds,
            // The same token again: the pods already running hold it.
            () -> tokens.ensure(study, router.token(namespace, name)),
            () -> changed.accept(study));
    runtimes.put(key(study), runtime);
    runtime.start();
    LOG.infof("study %s/%s started (generation %d)", namespace, name, runtime.generation());
    return runtime;
  }

  /** Remembers why {@code study}'s loop failed, for its status. */
  public void failed(HpoStudy study, String why) {
    failures.put(key(study), why);
  }

  /**
   * Why {@code study}'s last loop failed, or {@code null}: cleared once its current loop has
   * started a trial.
   */
  public String failure(HpoStudy study) {
    StudyRuntime runtime = runtimes.get(key(study));
    if (runtime != null && runtime.startedTrial()) {
      failures.remove(key(study));
    }
    return failures.get(key(study));
  }

  /** Forgets a runtime whose loop has ended. */
  public void forget(HpoStudy study) {
    runtimes.remove(key(study));
  }

  /** Lets go of {@code study}'s loop, leaving its Jobs running for the next one. */
  public void detach(HpoStudy study) {
    StudyRuntime runtime = runtimes.remove(key(study));
    if (runtime != null && !runtime.ended()) {
      runtime.detach();
    }
  }

  /** Stops {@code study}'s loop and its Jobs: the study is being deleted. */
  public void stop(HpoStudy study) {
    failures.remove(key(study));
    StudyRuntime runtime = runtimes.remove(key(study));
    if (runtime != null) {
      runtime.stop();
    }
    deleteWorkingFolder(study);
    router.unregisterStudy(study.getMetadata().getNamespace(), study.getMetadata().getName());
  }

  /** Lets go of every study without stopping its Jobs: the next operator resumes them. */
  /** Lets go of every study for good: the operator is shutting down. */
  public synchronized void close() {
    closing = true;
    detachAll();
  }

  private void deleteWorkingFolder(HpoStudy study) {
    java.nio.file.Path folder =
        config
            .stateDir()
            .resolve(study.getMetadata().getNamespace())
            .resolve(study.getMetadata().getName());
    try (var paths = java.nio.file.Files.walk(folder)) {
      for (var p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        java.nio.file.Files.deleteIfExists(p);
      }
    } catch (java.nio.file.NoSuchFileException e) {
      // nothing was kept
    } catch (java.io.IOException e) {
      LOG.warnf("could not remove the working folder %s: %s", folder, e.toString());
    }
  }

  void onShutdown(@Observes ShutdownEvent event) {
    LOG.infof(
        "shutting down: leaving %d studies' Jobs running for the next operator", runtimes.size());
    close();
    if (thresholdWatch != null) {
      thresholdWatch.close();
    }
  }

  /**
   * Lets go of every study, as a shutdown does, and forgets them: the next reconciliation of each
   * starts it again from its records, as a new operator would.
   */
  public void detachAll() {
    runtimes.values().parallelStream().forEach(StudyRuntime::detach);
    runtimes.clear();
  }

  private void watchThresholds() {
    if (thresholdWatch != null) {
      return;
    }
    String namespace = config.namespace().orElse(client.getNamespace());
    if (namespace == null) {
      LOG.warn("the operator's namespace is unknown: Self-Tuner thresholds are not read");
      return;
    }
    thresholdWatch =
        client
            .configMaps()
            .inNamespace(namespace)
            .withName(config.selfTunerConfigmap())
            .inform(thresholds, 0);
  }

  private static String key(HpoStudy study) {
    return study.getMetadata().getNamespace() + "/" + study.getMetadata().getName();
  }
}
