package dev.asap.gateway.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.asap.gateway.api.ChatRequest;
import dev.asap.gateway.api.ChatRequestParser;
import dev.asap.gateway.routing.AffinityRouter;
import dev.asap.gateway.routing.BackendFailure;
import dev.asap.gateway.routing.HashRing;
import dev.asap.gateway.routing.RoutingListener;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class OpenAiBackendTest {

  private static final Duration ATTEMPT = Duration.ofMillis(500);
  private static final String ANSWER =
      "{\"model\": \"m\", \"choices\": [{\"message\": {\"content\": \"{\\\"pick\\\": 2}\"},"
          + " \"finish_reason\": \"stop\"}], \"usage\": {\"prompt_tokens\": 7,"
          + " \"completion_tokens\": 3}}";

  private static ChatRequest request() throws Exception {
    return ChatRequestParser.parse(
        new ObjectMapper()
            .readTree("{\"messages\": [{\"role\": \"user\", \"content\": \"pick one\"}]}"));
  }

  @Test
  @Timeout(30) // without the per-attempt deadline this hangs for good
  void timesOutAnAnswerWhoseBodyStallsAfterTheHeaders() throws Exception {
    try (ScriptedChatServer stalling = ScriptedChatServer.stallingAfterHeaders()) {
      OpenAiBackend backend = new OpenAiBackend("a", stalling.baseUrl(), null, null);

      assertThatThrownBy(() -> backend.complete(request(), ATTEMPT))
          .isInstanceOf(BackendFailure.class)
          .hasMessage(
              "no complete answer from " + stalling.baseUrl() + "/chat/completions within 500 ms")
          .extracting(e -> ((BackendFailure) e).kind())
          .isEqualTo(BackendFailure.Kind.TIMEOUT);
    }
  }

  @Test
  @Timeout(30) // without the per-attempt deadline this hangs for good
  void failsOverFromABackendThatStallsMidBodyToTheNextOne() throws Exception {
    try (ScriptedChatServer stalling = ScriptedChatServer.stallingAfterHeaders();
        ScriptedChatServer answering = ScriptedChatServer.answering(ANSWER)) {
      Map<String, Backend> backends =
          Map.of(
              "a", new OpenAiBackend("a", stalling.baseUrl(), null, null),
              "b", new OpenAiBackend("b", answering.baseUrl(), null, null));
      Map<String, Long> positions = Map.of("a#0", 100L, "b#0", 200L, "key", 50L);
      AffinityRouter router =
          new AffinityRouter(
              new HashRing(List.of("a", "b"), 1, positions::get),
              1.25,
              Clock.systemUTC(),
              Duration.ofSeconds(2),
              Duration.ofSeconds(60),
              RoutingListener.NONE);
      ChatRequest request = request();

      AffinityRouter.Routed<BackendReply> routed =
          router.route("key", name -> backends.get(name).complete(request, ATTEMPT));

      assertThat(routed.backend()).isEqualTo("b");
      assertThat(((Completion) routed.result()).content()).isEqualTo("{\"pick\": 2}");
      assertThat(router.isUp("a")).isFalse();
      assertThat(router.inFlight()).isZero();
    }
  }

  @Test
  void refusesAnAnswerBodyOverTheCapAsABackendFailure() throws Exception {
    try (ScriptedChatServer flooding = ScriptedChatServer.answeringBytes(4096)) {
      OpenAiBackend backend = new OpenAiBackend("a", flooding.baseUrl(), null, null, 1024);

      assertThatThrownBy(() -> backend.complete(request(), Duration.ofSeconds(10)))
          .isInstanceOf(BackendFailure.class)
          .hasMessage(
              "answer body exceeds 1024 bytes from " + flooding.baseUrl() + "/chat/completions")
          .extracting(e -> ((BackendFailure) e).kind())
          .isEqualTo(BackendFailure.Kind.SERVER_ERROR);
    }
  }

  @Test
  void namesTheTargetOfARefusedConnection() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    URI base = URI.create("http://127.0.0.1:" + port + "/v1");
    OpenAiBackend backend = new OpenAiBackend("a", base, null, null);

    assertThatThrownBy(() -> backend.complete(request(), Duration.ofSeconds(10)))
        .isInstanceOf(BackendFailure.class)
        .hasMessage("ConnectException (" + base + "/chat/completions)")
        .extracting(e -> ((BackendFailure) e).kind())
        .isEqualTo(BackendFailure.Kind.CONNECTION);
  }
}
