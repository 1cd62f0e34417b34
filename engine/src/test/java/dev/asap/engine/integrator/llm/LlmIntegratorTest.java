package dev.asap.engine.integrator.llm;

import static dev.asap.engine.integrator.llm.PromptStudy.SPEC;
import static dev.asap.engine.integrator.llm.PromptStudy.completed;
import static dev.asap.engine.integrator.llm.PromptStudy.params;
import static dev.asap.engine.integrator.llm.PromptStudy.proposal;
import static org.assertj.core.api.Assertions.assertThat;

import dev.asap.engine.history.LlmCall;
import dev.asap.engine.history.TrialRecord;
import dev.asap.engine.integrator.Selection;
import dev.asap.engine.integrator.SelectionContext;
import dev.asap.engine.integrator.SourceBandit;
import dev.asap.engine.optimizer.OptimizationState;
import dev.asap.engine.optimizer.Proposal;
import dev.asap.engine.study.IntegratorSpec;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The LLM integrator against a scripted gateway. In the round used here, two trials of {@code
 * random} have ended and {@code random} and {@code tpe} propose: the bandit would take {@code tpe}
 * (index 1, never tried), so the prompt lists {@code tpe} first and a pick of 2 (index 0) is
 * visibly the model's own choice.
 */
class LlmIntegratorTest {
  private static final List<TrialRecord> ENDED =
      List.of(
          completed(0, "random", params(0.5, 2, "rbf"), 0.90),
          completed(1, "random", params(5.0, 4, "rbf"), 0.80));
  private static final List<Proposal> CANDIDATES =
      List.of(
          proposal("random", params(1.0, 2, "rbf"), null),
          proposal("tpe", params(2.0, 4, "poly"), null));
  private static final SelectionContext ROUND =
      new SelectionContext(SPEC, ENDED, List.of(), OptimizationState.empty(SPEC.searchSpace()));

  private ScriptedChatServer server;

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  private static LlmIntegrator integrator(URI endpoint, Duration timeout) {
    return new LlmIntegrator(
        new PrefixStablePrompt(SPEC),
        new GatewayClient(new IntegratorSpec.Llm(endpoint, "smollm2", timeout), "svm/0123abcd"),
        new SourceBandit(),
        SPEC.seed());
  }

  private Selection selectAgainst(ScriptedChatServer.Reply reply, Duration timeout) {
    server = ScriptedChatServer.start(request -> reply);
    return integrator(server.endpoint(), timeout).select(ROUND, CANDIDATES);
  }

  @Test
  void runsTheModelsPickAndKeepsTheBackendsFigures() {
    Selection selection =
        selectAgainst(ScriptedChatServer.Reply.pick(2, 800, 760), Duration.ofSeconds(5));

    assertThat(selection.index()).isEqualTo(0);
    assertThat(selection.fallbackReason()).isNull();
    LlmCall call = selection.llm();
    assertThat(call.backend()).isEqualTo("replica-a");
    assertThat(call.promptTokens()).isEqualTo(800);
    assertThat(call.cachedTokens()).isEqualTo(760);
    assertThat(call.prefillMillis()).isEqualTo(12.5);
    assertThat(call.decodeMillis()).isEqualTo(30.25);
  }

  @Test
  void asksWithTheStudysPrefixKeySeedPromptAndAnEnumOfTheCandidateNumbers() {
    selectAgainst(ScriptedChatServer.Reply.pick(2, 800, 0), Duration.ofSeconds(5));

    Prompt prompt =
        new PrefixStablePrompt(SPEC)
            .render(ENDED, List.of(), List.of(CANDIDATES.get(1), CANDIDATES.get(0)));
    ScriptedChatServer.Request request = server.requests().get(0);
    assertThat(request.prefixKey()).isEqualTo("svm/0123abcd");
    assertThat(request.body().path("model").asText()).isEqualTo("smollm2");
    assertThat(request.body().path("seed").asLong()).isEqualTo(7 + 2);
    assertThat(request.body().path("max_tokens").asInt()).isEqualTo(32);
    assertThat(request.body().path("temperature").asInt()).isEqualTo(0);
    assertThat(request.body().path("messages").path(0).path("content").asText())
        .isEqualTo(prompt.system());
    assertThat(request.body().path("messages").path(1).path("content").asText())
        .isEqualTo(prompt.user());
    assertThat(request.body().path("response_format").toString())
        .isEqualTo(
            "{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"choice\",\"strict\":true,"
                + "\"schema\":{\"type\":\"object\",\"properties\":{\"pick\":{\"enum\":[1,2]}},"
                + "\"required\":[\"pick\"],\"additionalProperties\":false}}}");
  }

  @Test
  void candidateOneIsTheBanditsChoice() {
    Selection selection =
        selectAgainst(ScriptedChatServer.Reply.pick(1, 800, 760), Duration.ofSeconds(5));

    assertThat(selection.index()).isEqualTo(1);
    assertThat(server.requests().get(0).body().path("messages").path(1).path("content").asText())
        .contains("1. tpe C=2 degree=4 kernel=poly\n2. random C=1 degree=2 kernel=rbf\n");
  }

  @Test
  void showsTheFallbacksChoiceFirstThenTheOthersInPoolOrder() {
    assertThat(LlmIntegrator.preferredFirst(4, 2)).containsExactly(2, 0, 1, 3);
    assertThat(LlmIntegrator.preferredFirst(3, 0)).containsExactly(0, 1, 2);
  }

  @Test
  void anUnparsableAnswerGoesToTheBanditAndKeepsTheCallsFigures() {
    Selection selection =
        selectAgainst(
            ScriptedChatServer.Reply.content("The second one, clearly.", 800, 700),
            Duration.ofSeconds(5));

    assertThat(selection.index()).isEqualTo(1);
    assertThat(selection.fallbackReason()).isEqualTo("unparsable: \"The second one, clearly.\"");
    assertThat(selection.llm().promptTokens()).isEqualTo(800);
  }

  @Test
  void aPickOutOfRangeGoesToTheBandit() {
    Selection selection =
        selectAgainst(ScriptedChatServer.Reply.pick(3, 800, 700), Duration.ofSeconds(5));

    assertThat(selection.index()).isEqualTo(1);
    assertThat(selection.fallbackReason()).isEqualTo("out-of-range: pick 3 is not in 1..2");
  }

  @Test
  void noAnswerWithinTheTimeoutGoesToTheBandit() {
    Selection selection = selectAgainst(ScriptedChatServer.Reply.hanging(), Duration.ofMillis(300));

    assertThat(selection.index()).isEqualTo(1);
    assertThat(selection.fallbackReason()).isEqualTo("timeout: no answer within 300ms");
    assertThat(selection.llm()).isNull();
  }

  @Test
  void aGatewayThatIsNotListeningGoesToTheBandit() {
    URI dead = ScriptedChatServer.deadEndpoint();

    Selection selection = integrator(dead, Duration.ofSeconds(5)).select(ROUND, CANDIDATES);

    assertThat(selection.index()).isEqualTo(1);
    assertThat(selection.fallbackReason())
        .isEqualTo("unreachable: " + dead + "/chat/completions: cannot connect");
    assertThat(selection.llm()).isNull();
  }

  @Test
  void anHttpErrorGoesToTheBandit() {
    Selection selection =
        selectAgainst(
            ScriptedChatServer.Reply.status(500, "no replica is ready\n"), Duration.ofSeconds(5));

    assertThat(selection.index()).isEqualTo(1);
    assertThat(selection.fallbackReason())
        .isEqualTo("http-error: status 500 \"no replica is ready\"");
  }

  @Test
  void aSingleCandidateIsTakenWithoutAsking() {
    server = ScriptedChatServer.start(request -> ScriptedChatServer.Reply.pick(1, 10, 0));

    Selection selection =
        integrator(server.endpoint(), Duration.ofSeconds(5))
            .select(ROUND, List.of(CANDIDATES.get(1)));

    assertThat(selection).isEqualTo(Selection.of(0));
    assertThat(server.requests()).isEmpty();
  }

  @Test
  void aReplyWithoutUsageOrTimingsLeavesThoseFiguresUnknown() throws Exception {
    ChatReply reply =
        GatewayClient.reply(
            "{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"{\\\"pick\\\":1}\"}}]}",
            null,
            42);

    assertThat(reply)
        .isEqualTo(new ChatReply("{\"pick\":1}", new LlmCall(null, null, null, null, null, 42)));
  }

  @Test
  // Without the overall deadline this waits forever; the limit turns that into a failure.
  @Timeout(30)
  void headersThenAStalledBodyFallBackWhenTheTimeoutIsUp() {
    Selection selection =
        selectAgainst(ScriptedChatServer.Reply.stallingAfterHeaders(), Duration.ofMillis(300));

    assertThat(selection.index()).isEqualTo(1);
    assertThat(selection.fallbackReason()).isEqualTo("timeout: no answer within 300ms");
    assertThat(selection.llm()).isNull();
  }

  @Test
  void aBodyOverFourMebibytesIsRefusedNotHeld() {
    Selection selection =
        selectAgainst(ScriptedChatServer.Reply.flood("x".repeat(65536)), Duration.ofSeconds(20));

    assertThat(selection.index()).isEqualTo(1);
    assertThat(selection.fallbackReason()).isEqualTo("http-error: response body over 4 MiB");
    assertThat(selection.llm()).isNull();
  }

  @Test
  void anAddressTheHttpClientRefusesIsUnreachableNotAnException() {
    URI bad = URI.create("http://127.0.0.1:99999/v1");

    Selection selection = integrator(bad, Duration.ofSeconds(5)).select(ROUND, CANDIDATES);

    assertThat(selection.index()).isEqualTo(1);
    assertThat(selection.fallbackReason())
        .isEqualTo(
            "unreachable: http://127.0.0.1:99999/v1/chat/completions: bad address"
                + " (port out of range:99999)");
  }

  @Test
  void wholeSecondsAreWrittenAsTheStudyFileDoesAndFractionsInMilliseconds() {
    assertThat(GatewayClient.shown(Duration.ofSeconds(90))).isEqualTo("1m30s");
    assertThat(GatewayClient.shown(Duration.ofMillis(1))).isEqualTo("1ms");
    assertThat(GatewayClient.shown(Duration.ofMillis(1500))).isEqualTo("1500ms");
  }

  @Test
  void figuresThatCannotBeTrueAreDroppedAndTheCallKept() throws Exception {
    String content = "{\"role\":\"assistant\",\"content\":\"{\\\"pick\\\":1}\"}";
    ChatReply negative =
        GatewayClient.reply(
            "{\"choices\":[{\"message\":"
                + content
                + "}],\"usage\":{\"prompt_tokens\":-3},"
                + "\"timings\":{\"cache_n\":-1,\"prompt_ms\":-5.0,\"predicted_ms\":1e400}}",
            "replica-a",
            42);
    ChatReply absurd =
        GatewayClient.reply(
            "{\"choices\":[{\"message\":"
                + content
                + "}],\"usage\":{\"prompt_tokens\":2000000000,"
                + "\"prompt_tokens_details\":{\"cached_tokens\":5}},"
                + "\"timings\":{\"prompt_ms\":12.5,\"predicted_ms\":3.0}}",
            "replica-a",
            42);
    ChatReply moreCachedThanSent =
        GatewayClient.reply(
            "{\"choices\":[{\"message\":"
                + content
                + "}],\"usage\":{\"prompt_tokens\":100,"
                + "\"prompt_tokens_details\":{\"cached_tokens\":101}}}",
            "replica-a",
            42);

    assertThat(negative.call()).isEqualTo(new LlmCall("replica-a", null, null, null, null, 42));
    assertThat(absurd.call()).isEqualTo(new LlmCall("replica-a", null, 5, 12.5, 3.0, 42));
    assertThat(moreCachedThanSent.call())
        .isEqualTo(new LlmCall("replica-a", 100, null, null, null, 42));
    assertThat(negative.content()).isEqualTo("{\"pick\":1}");
  }

  @Test
  void everyControlCharacterInAnExcerptIsEscaped() {
    assertThat(LlmFailure.excerpt("a\u001b[31mb\rc\nd\te\u0007"))
        .isEqualTo("\"a\\u001b[31mb\\rc\\nd\\te\\u0007\"");
  }

  @Test
  void aLongBackendNameIsCutToSixtyFourCharacters() {
    Selection selection =
        selectAgainst(
            ScriptedChatServer.Reply.pick(2, 800, 760).withBackend("r".repeat(100)),
            Duration.ofSeconds(5));

    assertThat(selection.llm().backend()).isEqualTo("r".repeat(64));
  }
}
