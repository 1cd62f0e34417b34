package dev.asap.operator.trial;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.asap.engine.history.SelectionRecord;
import dev.asap.engine.history.TrialRecord;
import dev.asap.engine.history.TrialState;
import dev.asap.engine.speculation.ExecutionLogEntry;
import dev.asap.operator.api.HpoStudy;
import dev.asap.operator.api.HpoTrial;
import dev.asap.operator.api.HpoTrialSpec;
import dev.asap.operator.api.HpoTrialStatus;
import dev.asap.operator.api.Owners;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Converts between the engine's trial records and HpoTrial resources, both ways, losslessly. */
public final class TrialRecords {
  private TrialRecords() {}

  /** The HpoTrial that records {@code pending} before its Job exists, owned by {@code study}. */
  public static HpoTrial pending(HpoStudy study, TrialRecord pending) {
    var trial = new HpoTrial();
    String name = HpoTrial.name(study.getMetadata().getName(), pending.number());
    trial.setMetadata(
        new ObjectMetaBuilder()
            .withName(name)
            .withNamespace(study.getMetadata().getNamespace())
            .addToLabels(HpoStudy.STUDY_LABEL, study.getMetadata().getName())
            .addToLabels(HpoTrial.NUMBER_LABEL, Integer.toString(pending.number()))
            .addToLabels("app.kubernetes.io/managed-by", "asap-operator")
            .withOwnerReferences(Owners.controlledBy(study))
            .build());
    var spec = new HpoTrialSpec();
    spec.study = study.getMetadata().getName();
    spec.number = pending.number();
    spec.parameters = new LinkedHashMap<>();
    pending
        .parameters()
        .forEach((k, v) -> spec.parameters.put(k, EngineJson.MAPPER.valueToTree(v)));
    spec.source = pending.source();
    spec.predictedLoss = pending.predictedLoss();
    spec.proposedAt = text(pending.proposedAt());
    spec.speculative = speculative(pending.selection());
    spec.selection =
        pending.selection() == null ? null : EngineJson.MAPPER.valueToTree(pending.selection());
    trial.setSpec(spec);
    var status = new HpoTrialStatus();
    status.phase = HpoTrialStatus.RUNNING;
    status.jobName = name;
    trial.setStatus(status);
    return trial;
  }

  /** Whether the round that chose this trial ran ahead and its speculation was accepted. */
  static Boolean speculative(SelectionRecord selection) {
    return selection != null
        && selection.speculation() != null
        && selection.speculation().verdict()
            == dev.asap.engine.speculation.SpeculationVerdict.ACCEPTED;
  }

  /** Copies an ended (or started) record's outcome into {@code status}. */
  public static void outcome(TrialRecord record, HpoTrialStatus status) {
    status.phase = phase(record.state());
    status.startedAt = text(record.startedAt());
    status.finishedAt = text(record.finishedAt());
    status.objective = record.objective();
    status.reason = record.reason();
    if (!record.metrics().isEmpty()) {
      status.metrics = new LinkedHashMap<>(record.metrics());
    }
    if (record.handle() != null) {
      status.jobName = record.handle();
    }
  }

  /** The engine's record of {@code trial}, as the study's history needs it after a restart. */
  public static TrialRecord toRecord(HpoTrial trial) {
    HpoTrialSpec spec = trial.getSpec();
    HpoTrialStatus status = trial.getStatus() == null ? new HpoTrialStatus() : trial.getStatus();
    var parameters = new LinkedHashMap<String, Object>();
    if (spec.parameters != null) {
      spec.parameters.forEach((k, v) -> parameters.put(k, value(v)));
    }
    SelectionRecord selection = null;
    if (spec.selection != null && !spec.selection.isNull()) {
      try {
        selection = EngineJson.MAPPER.treeToValue(spec.selection, SelectionRecord.class);
      } catch (JsonProcessingException e) {
        selection = null; // accounting detail only: a record without it still counts
      }
    }
    TrialState state = state(status.phase);
    return new TrialRecord(
        spec.number,
        parameters,
        spec.source == null ? "unknown" : spec.source,
        spec.predictedLoss,
        state,
        instant(spec.proposedAt),
        instant(status.startedAt),
        state == TrialState.RUNNING ? null : instant(status.finishedAt),
        state == TrialState.COMPLETED ? status.objective : null,
        status.metrics,
        status.reason,
        // The Job is named after its trial: a record written just before a crash, without its
        // status yet, still leads a restarted operator to its Job.
        status.jobName != null ? status.jobName : trial.getMetadata().getName(),
        selection);
  }

  /** The execution log entries kept on {@code trial}, skipping any that do not read back. */
  public static List<ExecutionLogEntry> speculations(HpoTrial trial) {
    var entries = new ArrayList<ExecutionLogEntry>();
    if (trial.getStatus() != null && trial.getStatus().speculations != null) {
      for (JsonNode node : trial.getStatus().speculations) {
        try {
          entries.add(EngineJson.MAPPER.treeToValue(node, ExecutionLogEntry.class));
        } catch (JsonProcessingException e) {
          // a hand-edited entry: the tuner works from the others
        }
      }
    }
    return entries;
  }

  private static Object value(JsonNode v) {
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isIntegralNumber()) {
      return v.longValue();
    }
    if (v.isNumber()) {
      return v.doubleValue();
    }
    if (v.isBoolean()) {
      return v.booleanValue();
    }
    return v.asText();
  }

  /** The HpoTrial phase of an engine state. */
  public static String phase(TrialState state) {
    String word = state.name().toLowerCase(Locale.ROOT);
    return Character.toUpperCase(word.charAt(0)) + word.substring(1);
  }

  static TrialState state(String phase) {
    if (phase == null) {
      return TrialState.RUNNING;
    }
    try {
      return TrialState.valueOf(phase.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return TrialState.RUNNING;
    }
  }

  static String text(Instant at) {
    return at == null ? null : at.toString();
  }

  /** The instant {@code text} names, or {@code null} when it names none (a hand-edited field). */
  static Instant instant(String text) {
    if (text == null) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (java.time.format.DateTimeParseException e) {
      return null; // a time only informs accounting: a record without it still counts
    }
  }

  /** Whether {@code trial} belongs to the study with {@code uid} (not to an earlier namesake). */
  public static boolean ownedBy(HpoTrial trial, String uid) {
    return Owners.ownedBy(trial, uid);
  }

  /** Parameter values as the engine keeps them, for status fields. */
  public static Map<String, JsonNode> parameters(TrialRecord record) {
    var out = new LinkedHashMap<String, JsonNode>();
    record.parameters().forEach((k, v) -> out.put(k, EngineJson.MAPPER.valueToTree(v)));
    return out;
  }
}
