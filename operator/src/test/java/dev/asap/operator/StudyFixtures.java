package dev.asap.operator;

import dev.asap.operator.api.HpoStudy;
import io.fabric8.kubernetes.client.utils.Serialization;

/** Study resources for the operator's tests. */
public final class StudyFixtures {
  private StudyFixtures() {}

  /**
   * A GPU study on two parameters: {@code maxTrials} trials one at a time with the bandit, a
   * trainer requesting one GPU on labelled nodes, metrics pushed through the SDK.
   */
  public static HpoStudy gpuStudy(String namespace, String name, int maxTrials, int maxFailed) {
    String yaml =
        """
        apiVersion: asap.dev/v1alpha1
        kind: HpoStudy
        metadata:
          name: %s
          namespace: %s
        spec:
          seed: 7
          objective: {metric: val_accuracy, direction: maximize}
          searchSpace:
            parameters:
              - {name: lr, type: float, min: 0.0001, max: 0.1, log: true}
              - {name: layers, type: int, min: 1, max: 4}
          budget: {maxTrials: %d, maxFailedTrials: %d, parallelism: 1, trialTimeout: 10m}
          pool: {optimizers: [random, sobol]}
          integrator: {type: bandit}
          trialTemplate:
            metrics: {collector: push}
            backoffLimit: 0
            ttlSecondsAfterFinished: 600
            template:
              spec:
                nodeSelector: {nvidia.com/gpu.present: "true"}
                tolerations:
                  - {key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}
                containers:
                  - name: trainer
                    image: trainer:1.0
                    command: [python, train.py]
                    args: ["--lr", "${trial.parameters.lr}", "--layers", "${trial.parameters.layers}"]
                    resources:
                      limits: {nvidia.com/gpu: 1, memory: 8Gi}
        """
            .formatted(name, namespace, maxTrials, maxFailed);
    return Serialization.unmarshal(yaml, HpoStudy.class);
  }
}
