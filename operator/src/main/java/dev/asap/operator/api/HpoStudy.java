package dev.asap.operator.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A hyperparameter-optimization study: the search space, the objective, the budget, the optimizer
 * pool and the trial template, as in a local study file. The operator runs its trials as Jobs.
 */
@Group(HpoStudy.GROUP)
@Version(HpoStudy.VERSION)
@ShortNames("hpos")
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = Type.STRING)
@AdditionalPrinterColumn(
    name = "Trials",
    jsonPath = ".status.trials.total",
    type = Type.INTEGER,
    getDescription = "Trials started so far")
@AdditionalPrinterColumn(name = "Best", jsonPath = ".status.best.value", type = Type.NUMBER)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = Type.DATE)
public class HpoStudy extends CustomResource<HpoStudySpec, HpoStudyStatus> implements Namespaced {
  public static final String GROUP = "asap.dev";
  public static final String VERSION = "v1alpha1";

  /** The label that ties Jobs, pods, trials and secrets to their study. */
  public static final String STUDY_LABEL = GROUP + "/study";
}
