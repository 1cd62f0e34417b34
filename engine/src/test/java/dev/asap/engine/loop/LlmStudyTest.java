package dev.asap.engine.loop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.asap.engine.history.LlmCall;
import dev.asap.engine.history.SelectionRecord;
import dev.asap.engine.history.TrialRecord;
import dev.asap.engine.integrator.llm.ScriptedChatServer;
import dev.asap.engine.integrator.llm.ScriptedChatServer.Reply;
import dev.asap.engine.study.Budget;
import dev.asap.engine.study.IntegratorSpec;
import dev.asap.engine.study.MetricsCollector;
import dev.asap.engine.study.Study;
import dev.asap.engine.study.StudySpec;
import dev.asap.engine.study.TrialTemplate;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whole studies with the LLM integrator, built from the study's spec, against a scripted gateway:
 * four trials, one at a time, from a pool of random and Sobol search, so that every round has two
 * candidates to choose from.
 */
class LlmStudyTest {
  private static final int TRIALS = 4;

  @TempDir Path state;
  private ScriptedChatServer server;

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  private static Study study(IntegratorSpec integrator) {
    var template = JsonNodeFactory.instance.objectNode();
    template.putObject("spec").putArray("containers").addObject().put("name", "trainer");
    var spec =
        new StudySpec(
            StudyRunnerTest.minimizeLoss(null),
            StudyRunnerTest.square(),
            new Budget(TRIALS, 3, 1, null, null),
            List.of("random", "sobol"),
            integrator,
            new TrialTemplate(template, null, MetricsCollector.stdout()),
            7);
    return new Study("unit", null, spec, Path.of("."));
  }

  private static Study llmStudy(URI endpoint, Duration timeout) {
    return study(IntegratorSpec.llm(new IntegratorSpec.Llm(endpoint, "default", timeout)));
  }

  private StudyResult run(Study study, String folder) {
    var executor =
        new FunctionExecutor(
            c ->
                FunctionExecutor.Outcome.reports(
                    "loss", (Double) c.get("x") + (Double) c.get("y")));
    return new StudyRunner(study, executor, state.resolve(folder), new StudyListener() {}).run();
  }

  @Test
  void recordsTheModelsPicksAndWhatEachCallCost() {
    server = ScriptedChatServer.start(request -> Reply.pick(2, 900, 850));
    Study study = llmStudy(server.endpoint(), Duration.ofSeconds(10));

    StudyResult result = run(study, "llm");

    assertThat(result.chosenBySource()).containsEntry("random", 0L).containsEntry("sobol", 4L);
    for (TrialRecord t : result.trials()) {
      SelectionRecord selection = t.selection();
      assertThat(selection.integrator()).isEqualTo("llm");
      assertThat(selection.candidates()).containsExactly("random", "sobol");
      assertThat(selection.fallbackReason()).isNull();
      LlmCall call = selection.llm();
      assertThat(List.of(call.backend(), call.promptTokens(), call.cachedTokens()))
          .containsExactly("replica-a", 900, 850);
      assertThat(List.of(call.prefillMillis(), call.decodeMillis())).containsExactly(12.5, 30.25);
    }
    String key = "unit/" + Fingerprint.of(study.spec()).substring(0, 8);
    assertThat(server.requests())
        .extracting(ScriptedChatServer.Request::prefixKey)
        .containsExactly(key, key, key, key);
    assertThat(server.requests())
        .extracting(r -> r.body().path("seed").asLong())
        .containsExactly(7L, 8L, 9L, 10L);
  }

  static Stream<Arguments> failures() {
    return Stream.of(
        Arguments.of("unparsable", Reply.content("sobol, I think", 900, 850)),
        Arguments.of("out-of-range", Reply.pick(3, 900, 850)),
        Arguments.of("timeout", Reply.hanging()),
        Arguments.of("http-error", Reply.status(503, "all replicas down")),
        Arguments.of("unreachable", null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("failures")
  void everyRoundTheModelFailsIsDecidedByTheBanditAndCountedUnderItsCategory(
      String category, Reply reply) {
    URI endpoint;
    if (reply == null) {
      endpoint = ScriptedChatServer.deadEndpoint();
    } else {
      server = ScriptedChatServer.start(request -> reply);
      endpoint = server.endpoint();
    }

    StudyResult llm = run(llmStudy(endpoint, Duration.ofMillis(300)), "llm");
    StudyResult bandit = run(study(IntegratorSpec.bandit()), "bandit");

    assertThat(llm.trials())
        .extracting(TrialRecord::source)
        .containsExactlyElementsOf(bandit.trials().stream().map(TrialRecord::source).toList());
    assertThat(llm.trials())
        .extracting(TrialRecord::parameters)
        .containsExactlyElementsOf(bandit.trials().stream().map(TrialRecord::parameters).toList());
    assertThat(llm.trials().stream().map(t -> t.selection().fallbackCategory()))
        .containsExactly(category, category, category, category);
  }
}
