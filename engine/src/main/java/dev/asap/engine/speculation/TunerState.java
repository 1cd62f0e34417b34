package dev.asap.engine.speculation;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * The Self-Tuner's state document, {@code self-tuner.json} in the state folder: the τ it chose for
 * each study and a default for studies it has no evidence about, read by studies whose threshold is
 * "auto".
 *
 * @param version the document's format, {@value #VERSION}
 * @param updatedAt when the tuner last wrote it, or {@code null} when it never has
 * @param bound the bound on the mean cost of accepts the tuner used
 * @param pooled the default, from all studies' entries together, or {@code null} when none yet
 * @param studies each tuned study's threshold, by study name
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"version", "updatedAt", "bound", "default", "studies"})
public record TunerState(
    int version,
    Instant updatedAt,
    double bound,
    @JsonProperty("default") Threshold pooled,
    Map<String, Threshold> studies) {

  /** The state's file name inside the state folder. */
  public static final String FILE_NAME = "self-tuner.json";

  /** The format this class reads and writes. */
  public static final int VERSION = 1;

  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  public TunerState {
    studies = studies == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(studies));
  }

  /**
   * One threshold and the evidence behind it.
   *
   * @param tau the accept threshold
   * @param entries how many usable log entries it was chosen from
   * @param acceptFraction the share of them it accepts
   * @param cost the mean cost of the accepted ones, in ranks of the observed losses (a fraction)
   */
  public record Threshold(double tau, int entries, double acceptFraction, double cost) {
    public Threshold {
      if (!(tau >= 0) || !Double.isFinite(tau)) {
        throw new IllegalArgumentException("tau must be finite and >= 0, was " + tau);
      }
      if (entries < 0) {
        throw new IllegalArgumentException("entries must be >= 0, was " + entries);
      }
    }

    /** The threshold of a decision that was reached. */
    public static Threshold of(SelfTuner.Decision decision) {
      if (!decision.decided()) {
        throw new IllegalArgumentException(
            "no threshold: too few entries (" + decision.entries() + ")");
      }
      return new Threshold(
          decision.tau(), decision.entries(), decision.acceptFraction(), decision.cost());
    }
  }

  /** The state before the tuner has written anything. */
  public static TunerState empty() {
    return new TunerState(VERSION, null, SelfTuner.DEFAULT_BOUND, null, Map.of());
  }

  /** The study's own τ, else the default's, else none. */
  public OptionalDouble tauFor(String study) {
    Threshold own = studies.get(study);
    if (own != null) {
      return OptionalDouble.of(own.tau());
    }
    return pooled == null ? OptionalDouble.empty() : OptionalDouble.of(pooled.tau());
  }

  /** The study's own threshold, if the tuner has chosen one. */
  public Optional<Threshold> study(String name) {
    return Optional.ofNullable(studies.get(name));
  }

  /**
   * This state with the decisions of one tuning merged in: a study or default whose decision was
   * not reached keeps its previous threshold.
   */
  public TunerState merge(
      Map<String, SelfTuner.Decision> decisions,
      SelfTuner.Decision pooledDecision,
      double newBound,
      Instant now) {
    var merged = new TreeMap<>(studies);
    decisions.forEach(
        (name, decision) -> {
          if (decision.decided()) {
            merged.put(name, Threshold.of(decision));
          }
        });
    Threshold newPooled = pooledDecision.decided() ? Threshold.of(pooledDecision) : pooled;
    return new TunerState(VERSION, now, newBound, newPooled, merged);
  }

  /** The largest state file read: one line per study, so a megabyte is far more than any needs. */
  static final long LARGEST_FILE = 1 << 20;

  /**
   * Reads the state in {@code file}.
   *
   * @return the state, or {@link #empty()} when the file does not exist
   * @throws IllegalStateException when the file is not a valid state document
   */
  public static TunerState read(Path file) {
    byte[] bytes;
    try {
      if (!Files.exists(file)) {
        return empty();
      }
      // Never open a pipe or a device: a reader would block or read without end.
      if (!Files.isRegularFile(file)) {
        throw invalid(file, "it is not a regular file", null);
      }
      if (Files.size(file) > LARGEST_FILE) {
        throw invalid(
            file, "it holds " + Files.size(file) + " bytes, more than " + LARGEST_FILE, null);
      }
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return empty();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the Self-Tuner state " + file + ": " + e, e);
    }
    return parse(bytes, file.toString());
  }

  /**
   * Reads a state document from {@code bytes}; {@code origin} names where they came from (a file, a
   * ConfigMap) in the error.
   *
   * @throws IllegalStateException when the bytes are not a valid state document
   */
  public static TunerState parse(byte[] bytes, String origin) {
    TunerState state;
    try {
      state = JSON.readValue(bytes, TunerState.class);
    } catch (JsonProcessingException e) {
      throw invalid(origin, e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw invalid(origin, e.getMessage(), e);
    }
    if (state == null) {
      throw invalid(origin, "the file is empty or null", null);
    }
    if (state.version() != VERSION) {
      throw invalid(origin, "version is " + state.version() + ", expected " + VERSION, null);
    }
    return state;
  }

  /** This state as the JSON document {@link #parse} reads. */
  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the Self-Tuner state as JSON", e);
    }
  }

  private static IllegalStateException invalid(Path file, String problem, Exception cause) {
    return invalid(file.toString(), problem, cause);
  }

  private static IllegalStateException invalid(String origin, String problem, Exception cause) {
    return new IllegalStateException(
        "the Self-Tuner state " + origin + " is not valid: " + problem, cause);
  }

  /** Writes this state to {@code file}, replacing it at once so that a reader never sees half. */
  public void write(Path file) {
    Path partial = file.resolveSibling(file.getFileName() + ".partial");
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.write(partial, JSON.writeValueAsBytes(this));
      Files.move(
          partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the Self-Tuner state " + file, e);
    }
  }
}
