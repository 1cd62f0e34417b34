package dev.asap.engine.study;

import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Path;
import java.util.List;

/** The study documents the reader's tests edit, and the helpers that edit and read them. */
final class StudyDocuments {
  static final Path BASE = Path.of("/studies");

  /** A valid document that sets every field, each to something other than its default. */
  static final String FULL =
      """
      apiVersion: asap.dev/v1alpha1
      kind: HpoStudy
      metadata:
        name: digits-svm
        namespace: default
      spec:
        seed: 42
        objective:
          metric: val_accuracy
          direction: maximize
          target: 0.99
          additionalMetrics: [fit_seconds]
        searchSpace:
          parameters:
            - name: C
              type: float
              min: 0.001
              max: 1000
              log: true
            - name: degree
              type: int
              min: 2
              max: 8
              step: 2
            - name: kernel
              type: categorical
              values: [rbf, poly, 3, 0.5, false]
        budget:
          maxTrials: 30
          maxFailedTrials: 5
          parallelism: 2
          timeout: 1h30m
          trialTimeout: PT5M
        pool:
          optimizers: [tpe, random, gp]
        integrator:
          type: bandit
        trialTemplate:
          primaryContainer: trainer
          metrics:
            collector: push
          template:
            metadata:
              labels: {app.kubernetes.io/name: digits}
            spec:
              restartPolicy: Never
              containers:
                - name: trainer
                  image: python:3.11
                  command: [python3, train.py]
                  args: ["--C", "${trial.parameters.C}", "--degree=${trial.parameters.degree}"]
                  workingDir: /work
                  env: [{name: KERNEL, value: "${trial.parameters.kernel}"}]
                - name: sidecar
                  image: busybox
      """;

  /** A valid document with only the required fields. */
  static final String MINIMAL =
      """
      apiVersion: asap.dev/v1alpha1
      kind: HpoStudy
      metadata:
        name: minimal
      spec:
        objective:
          metric: loss
          direction: minimize
        searchSpace:
          parameters:
            - name: x
              type: float
              min: -1
              max: 1
            - name: n
              type: int
              min: 1
              max: 4
        budget:
          maxTrials: 30
        trialTemplate:
          template:
            spec:
              containers:
                - name: main
      """;

  /** {@code document} with {@code from}, which must occur exactly once, replaced by {@code to}. */
  static String edit(String document, String from, String to) {
    int at = document.indexOf(from);
    if (at < 0 || document.indexOf(from, at + 1) >= 0) {
      fail("expected exactly one \"" + from + "\" in the document");
    }
    return document.substring(0, at) + to + document.substring(at + from.length());
  }

  /** The errors the reader finds in {@code document}; fails the test when it finds none. */
  static List<FieldError> errorsOf(String document) {
    try {
      new StudyDocumentReader().read(document, BASE);
    } catch (StudyValidationException e) {
      return e.errors();
    }
    return fail("expected the document to be rejected");
  }

  private StudyDocuments() {}
}
