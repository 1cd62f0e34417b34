package dev.asap.gateway.study;

import static org.assertj.core.api.Assertions.assertThat;

import dev.asap.engine.history.LlmCall;
import dev.asap.engine.history.TrialRecord;
import dev.asap.engine.integrator.llm.HistoryOrder;
import dev.asap.engine.loop.StudyListener;
import dev.asap.engine.loop.StudyResult;
import dev.asap.gateway.GatewayProcesses;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A study behind a front gateway with two real replicas (each the packaged gateway with the
 * embedded model): every round goes to the replica that holds the study's cache, and when that
 * replica dies mid-study the rounds move to the other one without a single fallback.
 */
class StudyFailoverIT {
  static final int TRIALS = 10;
  static final int KILL_AFTER = 4;

  @TempDir static Path temp;
  private static GatewayProcesses gateways;
  private static final Map<String, Process> REPLICAS = new java.util.HashMap<>();
  private static int frontPort;

  @BeforeAll
  static void startGateways() throws Exception {
    gateways = new GatewayProcesses(temp);
    var pair = gateways.startReplicaPair();
    REPLICAS.putAll(pair.replicas());
    frontPort = pair.frontPort();
  }

  @AfterAll
  static void stopGateways() throws InterruptedException {
    gateways.close();
  }

  @Test
  void roundsStayOnOneReplicaAndMoveWithoutAFallbackWhenItDies() throws Exception {
    var study = new BraninStudy(temp.resolve("state"), "failover");
    List<String> killed = Collections.synchronizedList(new ArrayList<>());
    StudyListener killer =
        new StudyListener() {
          @Override
          public void trialEnded(TrialRecord trial, TrialRecord best) {
            if (trial.number() == KILL_AFTER - 1) {
              String home = trial.selection().llm().backend();
              try {
                GatewayProcesses.kill(REPLICAS.get(home));
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              killed.add(home);
            }
          }
        };

    StudyResult result = study.run(TRIALS, study.llm(frontPort, HistoryOrder.COMPLETION), killer);

    assertThat(killed).hasSize(1);
    String home = killed.get(0);
    String other = home.equals("r1") ? "r2" : "r1";
    List<String> backends = BraninStudy.calls(result, 0).stream().map(LlmCall::backend).toList();
    List<String> expected = new ArrayList<>(Collections.nCopies(KILL_AFTER, home));
    expected.addAll(Collections.nCopies(TRIALS - KILL_AFTER, other));
    assertThat(backends).containsExactlyElementsOf(expected);
    assertThat(result.trials())
        .extracting(t -> t.selection().fallbackReason())
        .containsOnlyNulls()
        .hasSize(TRIALS);
    String metrics = GatewayProcesses.get(frontPort, "/q/metrics").body();
    assertThat(
            GatewayProcesses.metric(
                metrics, "asap_gateway_failovers_total{backend=\"" + home + "\"}"))
        .isEqualTo(1.0);
  }
}
