package dev.asap.operator.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * One trial of a study, owned by it: the durable record the study's history is rebuilt from after
 * any restart. Its spec is the decision (parameters, source), written before the trial's Job is
 * created; its status is the outcome.
 */
@Group(HpoStudy.GROUP)
@Version(HpoStudy.VERSION)
@ShortNames("hpot")
@AdditionalPrinterColumn(name = "Study", jsonPath = ".spec.study", type = Type.STRING)
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = Type.STRING)
@AdditionalPrinterColumn(name = "Source", jsonPath = ".spec.source", type = Type.STRING)
@AdditionalPrinterColumn(name = "Objective", jsonPath = ".status.objective", type = Type.NUMBER)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = Type.DATE)
public class HpoTrial extends CustomResource<HpoTrialSpec, HpoTrialStatus> implements Namespaced {

  /** The label holding the trial's number on its Job and pod. */
  public static final String NUMBER_LABEL = HpoStudy.GROUP + "/trial";

  /** The resource name of trial {@code number} of {@code study}; its Job has the same name. */
  public static String name(String study, int number) {
    return study + "-t" + number;
  }
}
