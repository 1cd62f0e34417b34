package dev.asap.operator.trial;

import com.fasterxml.jackson.databind.JsonNode;
import dev.asap.engine.execution.TrialLaunch;
import dev.asap.engine.study.ParameterPlaceholders;
import dev.asap.operator.api.HpoStudy;
import dev.asap.operator.api.HpoTrial;
import dev.asap.operator.api.Owners;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code batch/v1} Job that runs one trial: the study's pod template with the trial's values
 * substituted, its identity in labels and environment, and the report endpoint and token injected.
 */
public final class TrialJob {
  /** The key of the report token in the study's Secret. */
  public static final String TOKEN_KEY = "token";

  /** Without a template value, an ended trial's Job and pod stay an hour for inspection. */
  static final int DEFAULT_TTL_SECONDS = 3600;

  private TrialJob() {}

  /**
   * The Job of {@code launch}.
   *
   * @param owner the trial's HpoTrial, which owns the Job (so deleting the study removes both)
   * @param settings the template's Job settings (backoffLimit, ttlSecondsAfterFinished)
   * @param reportUrl the full URL the pod posts its metrics to
   * @param tokenSecret the Secret holding the study's report token
   */
  public static Job build(
      TrialLaunch launch,
      HpoTrial owner,
      JobSettings settings,
      String reportUrl,
      String tokenSecret) {
    JsonNode substituted =
        ParameterPlaceholders.substitute(launch.template().template(), launch.configuration());
    PodTemplateSpec pod = EngineJson.MAPPER.convertValue(substituted, PodTemplateSpec.class);
    String name = owner.getMetadata().getName();
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(HpoStudy.STUDY_LABEL, launch.study());
    labels.put(HpoTrial.NUMBER_LABEL, Integer.toString(launch.number()));
    labels.put("app.kubernetes.io/managed-by", "asap-operator");

    ObjectMeta podMeta = pod.getMetadata() == null ? new ObjectMeta() : pod.getMetadata();
    podMeta.setLabels(merged(podMeta.getLabels(), labels));
    pod.setMetadata(podMeta);
    if (pod.getSpec().getRestartPolicy() == null) {
      pod.getSpec().setRestartPolicy("Never");
    }
    List<EnvVar> env = environment(launch, reportUrl, tokenSecret);
    for (Container c : pod.getSpec().getContainers()) {
      var all = new ArrayList<EnvVar>(env);
      if (c.getEnv() != null) {
        all.addAll(c.getEnv()); // the user's own values come last and win
      }
      c.setEnv(all);
    }

    Long deadline = launch.timeout() == null ? null : Math.max(1, launch.timeout().toSeconds());
    return new JobBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(owner.getMetadata().getNamespace())
        .withLabels(labels)
        .withOwnerReferences(Owners.controlledBy(owner))
        .endMetadata()
        .withNewSpec()
        .withBackoffLimit(settings.backoffLimit())
        .withActiveDeadlineSeconds(deadline)
        .withTtlSecondsAfterFinished(settings.ttlSecondsAfterFinished())
        .withTemplate(pod)
        .endSpec()
        .build();
  }

  /**
   * The variables every container of the trial gets: the same as a local trial's (study, trial
   * number, parameters one by one and as a JSON object), plus where and how to report.
   */
  static List<EnvVar> environment(TrialLaunch launch, String reportUrl, String tokenSecret) {
    var env = new ArrayList<EnvVar>();
    env.add(new EnvVar("ASAP_STUDY", launch.study(), null));
    env.add(new EnvVar("ASAP_TRIAL", Integer.toString(launch.number()), null));
    env.add(
        new EnvVar(
            "ASAP_TRIAL_PARAMETERS",
            EngineJson.MAPPER.valueToTree(launch.configuration().values()).toString(),
            null));
    launch
        .configuration()
        .values()
        .forEach(
            (k, v) ->
                env.add(new EnvVar(parameterVariable(k), ParameterPlaceholders.render(v), null)));
    env.add(new EnvVar("ASAP_REPORT_URL", reportUrl, null));
    env.add(
        new EnvVarBuilder()
            .withName("ASAP_REPORT_TOKEN")
            .withNewValueFrom()
            .withNewSecretKeyRef(TOKEN_KEY, tokenSecret, false)
            .endValueFrom()
            .build());
    return env;
  }

  /** {@code ASAP_PARAM_} and the parameter's name, upper-cased, other characters as {@code _}. */
  public static String parameterVariable(String parameter) {
    return "ASAP_PARAM_" + parameter.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
  }

  private static Map<String, String> merged(Map<String, String> mine, Map<String, String> ours) {
    var out = new LinkedHashMap<String, String>();
    if (mine != null) {
      out.putAll(mine);
    }
    out.putAll(ours);
    return out;
  }

  /**
   * The trial Job's own settings from the template.
   *
   * @param backoffLimit retries of a failed pod; 0 by default, a failed trial is a result
   * @param ttlSecondsAfterFinished how long an ended Job stays
   */
  public record JobSettings(int backoffLimit, int ttlSecondsAfterFinished) {
    public static JobSettings of(Integer backoffLimit, Integer ttlSecondsAfterFinished) {
      return new JobSettings(
          backoffLimit == null ? 0 : backoffLimit,
          ttlSecondsAfterFinished == null ? DEFAULT_TTL_SECONDS : ttlSecondsAfterFinished);
    }
  }
}
