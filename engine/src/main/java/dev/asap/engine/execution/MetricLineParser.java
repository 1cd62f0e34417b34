package dev.asap.engine.execution;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads metric reports out of one line of a trial's output, so that a trial needs no SDK to report
 * its metrics: printing them is enough. A pure function, shared by the local executor and the
 * operator's log reader.
 *
 * <p>A line is a metric line in one of two forms; every other line, prose included, gives nothing.
 *
 * <p><b>Pairs.</b> The whole line (leading and trailing blanks aside) is one or more {@code
 * name=value} tokens separated by whitespace and/or commas, with no blank around {@code =}:
 *
 * <pre>
 * val_accuracy=0.93
 * epoch=3 loss=0.25, val_loss=0.3
 * </pre>
 *
 * A single token that is not such a pair makes the whole line prose: {@code Using lr=0.1 for
 * training} gives nothing.
 *
 * <p><b>JSON.</b> The whole line is one JSON object, either flat, {@code {"val_accuracy": 0.93,
 * "step": 3}}, where every member other than {@code step} and {@code epoch} is a metric, or nested,
 * {@code {"metrics": {"val_accuracy": 0.93}, "step": 3}}, where the metrics are the members of
 * {@code metrics} and the other top-level members besides {@code step} and {@code epoch} are
 * ignored. Strings may be single-quoted, so that a Python {@code dict} printed as it is reads too.
 * A flat object with a member that is not a metric (a log record such as {@code {"level": "info"}})
 * gives nothing.
 *
 * <p><b>Names</b> match {@code [A-Za-z_][A-Za-z0-9_./-]*} in both forms. <b>Values</b> are what
 * {@link Double#parseDouble} reads, plus {@code nan}, {@code inf} and {@code infinity} in any case
 * with an optional sign; in JSON a value is a number, a bare {@code NaN}, {@code Infinity} or
 * {@code -Infinity} (as Python's {@code json} module writes them), or a string holding one of those
 * special words. NaN and infinite values are reported as they are: the study loop decides what they
 * mean.
 *
 * <p><b>Step.</b> A {@code step} member gives the step of every metric on the line and is not a
 * metric itself; it must be a whole number from 0 to 2<sup>53</sup>, named once, or the line gives
 * nothing. When there is no {@code step}, an {@code epoch} that is such a whole number is the step
 * instead and not a metric; otherwise {@code epoch} is an ordinary metric, so trainers that log
 * fractional epochs keep them. With neither, the step is {@code null}. In the nested JSON form the
 * step comes from the top level only, and every member of {@code metrics} is a metric, whatever its
 * name. A line that names the same metric twice reports it twice, in order.
 */
public final class MetricLineParser {
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_./-]*");
  private static final Pattern SEPARATORS = Pattern.compile("[\\s,]+");
  private static final String STEP = "step";
  private static final String EPOCH = "epoch";
  private static final long LARGEST_STEP = 1L << 53;
  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .enable(JsonReadFeature.ALLOW_SINGLE_QUOTES)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  /**
   * Why a trial could never report a metric of this name in printed lines, or {@code null} when it
   * can: the study reader checks objective names with this, so that a study whose every trial would
   * fail for want of its metric is refused before it runs.
   */
  public static String unreportable(String name) {
    if (name.equals(STEP) || name.equals(EPOCH)) {
      return "\"" + name + "\" gives the step of the other metrics on a line, not a metric";
    }
    if (!NAME.matcher(name).matches()) {
      return "\""
          + name
          + "\" cannot be printed as a metric; names start with a letter or _ and go on with"
          + " letters, digits, _ . / or -";
    }
    return null;
  }

  private MetricLineParser() {}

  /**
   * The metric reports on {@code line}, in the order they appear, each stamped {@code at}; empty
   * when the line is not a metric line.
   */
  public static List<MetricReport> parse(String line, Instant at) {
    String text = line.strip();
    if (text.startsWith("{")) {
      return parseJson(text, at);
    }
    return parsePairs(text, at);
  }

  private static List<MetricReport> parsePairs(String text, Instant at) {
    var members = new ArrayList<Member>();
    for (String token : SEPARATORS.split(text)) {
      if (token.isEmpty()) {
        continue; // a leading comma
      }
      int eq = token.indexOf('=');
      if (eq < 0) {
        return List.of();
      }
      String name = token.substring(0, eq);
      OptionalDouble value = number(token.substring(eq + 1));
      if (!NAME.matcher(name).matches() || value.isEmpty()) {
        return List.of();
      }
      members.add(new Member(name, value.getAsDouble()));
    }
    return flat(members, at);
  }

  private static List<MetricReport> parseJson(String text, Instant at) {
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      return List.of();
    }
    if (!root.isObject()) {
      return List.of();
    }
    JsonNode nested = root.get("metrics");
    if (nested == null || !nested.isObject()) {
      List<Member> members = members(root.properties());
      return members == null ? List.of() : flat(members, at);
    }
    var stepMembers = new ArrayList<Map.Entry<String, JsonNode>>();
    for (var member : root.properties()) {
      if (member.getKey().equals(STEP) || member.getKey().equals(EPOCH)) {
        stepMembers.add(member);
      }
    }
    List<Member> steps = members(stepMembers);
    List<Member> metrics = members(nested.properties());
    if (steps == null || metrics == null) {
      return List.of();
    }
    Step step = Step.of(steps);
    // Inside "metrics" every member is a metric, even one named step or epoch.
    return step == null ? List.of() : reports(metrics, step.value(), at);
  }

  /** The JSON members as metric values, or {@code null} when one is not. */
  private static List<Member> members(Iterable<Map.Entry<String, JsonNode>> properties) {
    var members = new ArrayList<Member>();
    for (var property : properties) {
      JsonNode node = property.getValue();
      OptionalDouble value;
      if (node.isNumber()) {
        value = OptionalDouble.of(node.doubleValue());
      } else if (node.isTextual()) {
        value = special(node.textValue());
      } else {
        value = OptionalDouble.empty();
      }
      if (!NAME.matcher(property.getKey()).matches() || value.isEmpty()) {
        return null;
      }
      members.add(new Member(property.getKey(), value.getAsDouble()));
    }
    return members;
  }

  /** Reports for a line whose members are metrics, except the one that gives the step. */
  private static List<MetricReport> flat(List<Member> members, Instant at) {
    Step step = Step.of(members);
    if (step == null) {
      return List.of();
    }
    return reports(
        members.stream().filter(m -> !m.name().equals(STEP) && !m.name().equals(step.source())),
        step.value(),
        at);
  }

  private static List<MetricReport> reports(List<Member> metrics, Long step, Instant at) {
    return reports(metrics.stream(), step, at);
  }

  private static List<MetricReport> reports(Stream<Member> metrics, Long step, Instant at) {
    return metrics.map(m -> new MetricReport(m.name(), m.value(), step, at)).toList();
  }

  private record Member(String name, double value) {}

  /**
   * The step of a line.
   *
   * @param value the step, or {@code null} when the line has none
   * @param source the name of the member that gave it, or {@code null}
   */
  private record Step(Long value, String source) {

    /** The step among {@code members}, or {@code null} when the line's step is not valid. */
    static Step of(List<Member> members) {
      List<Double> steps = valuesOf(STEP, members);
      if (steps.size() > 1) {
        return null;
      }
      if (steps.size() == 1) {
        Long step = asStep(steps.get(0));
        return step == null ? null : new Step(step, STEP);
      }
      List<Double> epochs = valuesOf(EPOCH, members);
      Long epoch = epochs.size() == 1 ? asStep(epochs.get(0)) : null;
      return epoch == null ? new Step(null, null) : new Step(epoch, EPOCH);
    }

    private static List<Double> valuesOf(String name, List<Member> members) {
      return members.stream().filter(m -> m.name().equals(name)).map(Member::value).toList();
    }

    private static Long asStep(double value) {
      if (value >= 0 && value <= LARGEST_STEP && value == Math.rint(value)) {
        return (long) value;
      }
      return null;
    }
  }

  private static OptionalDouble number(String text) {
    OptionalDouble special = special(text);
    if (special.isPresent()) {
      return special;
    }
    // parseDouble would trim blanks and control characters; a token has none to give.
    if (text.isEmpty() || text.chars().anyMatch(c -> c <= ' ')) {
      return OptionalDouble.empty();
    }
    try {
      return OptionalDouble.of(Double.parseDouble(text));
    } catch (NumberFormatException e) {
      return OptionalDouble.empty();
    }
  }

  private static OptionalDouble special(String text) {
    String word = text.toLowerCase(Locale.ROOT);
    double sign = 1;
    if (word.startsWith("+") || word.startsWith("-")) {
      sign = word.startsWith("-") ? -1 : 1;
      word = word.substring(1);
    }
    return switch (word) {
      case "nan" -> OptionalDouble.of(Double.NaN);
      case "inf", "infinity" -> OptionalDouble.of(sign * Double.POSITIVE_INFINITY);
      default -> OptionalDouble.empty();
    };
  }
}
