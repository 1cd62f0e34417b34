package dev.asap.gateway.study;

import static org.assertj.core.api.Assertions.assertThat;

import dev.asap.engine.history.LlmCall;
import dev.asap.engine.integrator.SourceBandit;
import dev.asap.engine.integrator.llm.HistoryOrder;
import dev.asap.engine.loop.StudyListener;
import dev.asap.engine.loop.StudyResult;
import dev.asap.gateway.GatewayProcesses;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The prompt's layout decides how much of it the model server reuses: a study whose LLM integrator
 * talks to the real embedded model through the real gateway reads at least 90% of each prompt from
 * the cache once its history has grown, while the same study with its history sorted by value
 * (every new trial lands mid-list and breaks the prefix) reuses far less.
 *
 * <p>Each study first records 80 trials with the bandit (no model involved), then resumes with the
 * LLM integrator for 6 rounds; the first two LLM rounds read the prompt cold (the other study had
 * the server's single slot) and are left out of the figures. {@code make bench} runs it longer
 * through the {@code prompt-cache.seeded} and {@code prompt-cache.rounds} system properties.
 */
class PromptCacheIT {
  /** Trials recorded before the LLM rounds; {@code make bench} raises it. */
  static final int SEEDED = Integer.getInteger("prompt-cache.seeded", 80);

  /** LLM rounds per study; the first two are cold and left out of the assertions. */
  static final int ROUNDS = Integer.getInteger("prompt-cache.rounds", 6);

  @TempDir static Path temp;
  private static GatewayProcesses gateways;
  private static int port;

  @BeforeAll
  static void startGateway() throws Exception {
    gateways = new GatewayProcesses(temp);
    port = GatewayProcesses.freePort();
    gateways.start("embedded", port, List.of());
  }

  @AfterAll
  static void stopGateway() throws InterruptedException {
    gateways.close();
  }

  private static List<LlmCall> llmRounds(String name, HistoryOrder order) {
    var study = new BraninStudy(temp.resolve(name), name);
    study.run(SEEDED, new SourceBandit(), new StudyListener() {});
    StudyResult result = study.run(SEEDED + ROUNDS, study.llm(port, order), new StudyListener() {});
    List<LlmCall> calls = BraninStudy.calls(result, SEEDED);
    System.out.printf("%s history, %d LLM rounds after %d trials:%n", order, ROUNDS, SEEDED);
    System.out.println("round  prompt  cached  share  prefill_ms  decode_ms  total_ms");
    for (int i = 0; i < calls.size(); i++) {
      LlmCall c = calls.get(i);
      System.out.printf(
          "%5d  %6d  %6d  %5.3f  %10.1f  %9.1f  %8d%n",
          i + 1,
          c.promptTokens(),
          c.cachedTokens(),
          share(c),
          c.prefillMillis(),
          c.decodeMillis(),
          c.totalMillis());
    }
    return calls;
  }

  private static double share(LlmCall call) {
    return (double) call.cachedTokens() / call.promptTokens();
  }

  @Test
  void appendOnlyHistoryReadsAtLeastNinetyPercentFromTheCacheAndSortedHistoryFarLess() {
    List<LlmCall> stable = llmRounds("stable", HistoryOrder.COMPLETION);
    List<LlmCall> sorted = llmRounds("sorted", HistoryOrder.BY_VALUE);

    assertThat(stable).hasSize(ROUNDS).doesNotContainNull();
    assertThat(sorted).hasSize(ROUNDS).doesNotContainNull();
    List<Double> stableShares = stable.subList(2, ROUNDS).stream().map(c -> share(c)).toList();
    List<Double> sortedShares = sorted.subList(2, ROUNDS).stream().map(c -> share(c)).toList();
    assertThat(stableShares).allSatisfy(s -> assertThat(s).isGreaterThanOrEqualTo(0.90));
    double sortedMean = sortedShares.stream().mapToDouble(s -> s).average().orElseThrow();
    double stableMean = stableShares.stream().mapToDouble(s -> s).average().orElseThrow();
    System.out.printf("mean cached share: stable %.3f, sorted %.3f%n", stableMean, sortedMean);
    assertThat(sortedMean).isLessThan(0.75);
  }
}
