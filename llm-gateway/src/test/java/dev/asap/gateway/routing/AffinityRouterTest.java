package dev.asap.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AffinityRouterTest {

  /** Ring positions by name: a owns (0, 100], b owns (100, 200], c owns (200, 300] and wraps. */
  private static final Map<String, Long> POSITIONS =
      Map.of(
          "a#0", 100L,
          "b#0", 200L,
          "c#0", 300L,
          "key-a", 50L,
          "key-b", 150L,
          "key-c", 250L,
          "key-wrap", 350L);

  private final MutableClock clock = new MutableClock();
  private final List<String> events = new ArrayList<>();
  private final RoutingListener recorder =
      new RoutingListener() {
        @Override
        public void served(String backend, boolean hit) {
          events.add("served " + backend + (hit ? " hit" : " miss"));
        }

        @Override
        public void failedOver(String backend, BackendFailure failure) {
          events.add("failover from " + backend + ": " + failure.getMessage());
        }

        @Override
        public void backendStateChanged(String backend, boolean up) {
          events.add(backend + (up ? " up" : " down"));
        }
      };

  private AffinityRouter router(String... backends) {
    HashRing ring = new HashRing(List.of(backends), 1, POSITIONS::get);
    return new AffinityRouter(
        ring, 1.25, clock, Duration.ofSeconds(2), Duration.ofSeconds(60), recorder);
  }

  @Test
  void assignsEachKeyToTheFirstBackendClockwiseFromItsPosition() throws Exception {
    AffinityRouter router = router("a", "b", "c");

    assertThat(router.route("key-a", backend -> backend).backend()).isEqualTo("a");
    assertThat(router.route("key-b", backend -> backend).backend()).isEqualTo("b");
    assertThat(router.route("key-c", backend -> backend).backend()).isEqualTo("c");
    assertThat(router.route("key-wrap", backend -> backend).backend()).isEqualTo("a");
  }

  @Test
  void sendsTheSameKeyToTheSameBackendOnTheSha256Ring() throws Exception {
    HashRing ring = new HashRing(List.of("a", "b", "c"), HashRing.DEFAULT_VIRTUAL_NODES);
    AffinityRouter router =
        new AffinityRouter(
            ring, 1.25, clock, Duration.ofSeconds(2), Duration.ofSeconds(60), recorder);

    String first = router.route("study-42", backend -> backend).backend();

    assertThat(first).isEqualTo(ring.walk("study-42").get(0));
    for (int i = 0; i < 5; i++) {
      assertThat(router.route("study-42", backend -> backend).backend()).isEqualTo(first);
    }
  }

  @Test
  void walksTheRingFromTheKeysPositionVisitingEachBackendOnce() {
    HashRing ring = new HashRing(List.of("a", "b", "c"), 1, POSITIONS::get);

    assertThat(ring.walk("key-b")).containsExactly("b", "c", "a");
    assertThat(ring.walk("key-wrap")).containsExactly("a", "b", "c");
  }

  @Test
  void sendsTheOverflowPastTheLoadBoundToTheNextBackendOnTheRing() {
    AffinityRouter router = router("a", "b", "c");
    List<String> chosen = new ArrayList<>();

    // Bound = ceil(1.25 * (in flight + 1) / 3): 1, 1, 2, 2, 3, 3, 3 for in flight 0..6.
    for (int i = 0; i < 7; i++) {
      chosen.add(router.claim("key-a").backend());
    }

    assertThat(chosen).containsExactly("a", "b", "a", "b", "a", "b", "c");
    assertThat(router.inFlight()).isEqualTo(7);
  }

  @Test
  void countsAHitAtTheKeysHomeAndAMissElsewhere() throws Exception {
    AffinityRouter router = router("a", "b");
    // Two in flight on a reach its bound, ceil(1.25 * 3 / 2) = 2.
    AffinityRouter.Lease first = router.claim("key-a");
    AffinityRouter.Lease second = router.claim("key-a");

    router.route("key-a", backend -> backend);
    router.release(first, null);
    router.release(second, null);
    router.route("key-a", backend -> backend);

    assertThat(events).containsExactly("served b miss", "served a hit");
  }

  @Test
  void failsOverToTheNextBackendAndMarksTheFailedOneDown() throws Exception {
    AffinityRouter router = router("a", "b", "c");

    AffinityRouter.Routed<String> routed =
        router.route(
            "key-a",
            backend -> {
              if (backend.equals("a")) {
                throw new BackendFailure(BackendFailure.Kind.CONNECTION, "connection refused");
              }
              return "answer from " + backend;
            });

    assertThat(routed.backend()).isEqualTo("b");
    assertThat(routed.result()).isEqualTo("answer from b");
    assertThat(routed.hit()).isFalse();
    assertThat(router.isUp("a")).isFalse();
    assertThat(events)
        .containsExactly("a down", "failover from a: connection refused", "served b miss");
  }

  @Test
  void failsOverFromABusyBackendWithoutMarkingItDown() throws Exception {
    AffinityRouter router = router("a", "b");

    AffinityRouter.Routed<String> routed =
        router.route(
            "key-a",
            backend -> {
              if (backend.equals("a")) {
                throw new BackendFailure(BackendFailure.Kind.BUSY, "waited 500 ms for the slot");
              }
              return "answer from " + backend;
            });

    assertThat(routed.backend()).isEqualTo("b");
    assertThat(router.isUp("a")).isTrue();
    assertThat(router.describeStates())
        .containsEntry("a", "up, 0 in flight")
        .containsEntry("b", "up, 0 in flight");
    assertThat(events)
        .containsExactly("failover from a: waited 500 ms for the slot", "served b miss");
    assertThat(router.route("key-a", backend -> backend).backend()).isEqualTo("a");
  }

  @Test
  void skipsADownBackendThenProbesItOnceTheCooldownIsOver() throws Exception {
    AffinityRouter router = router("a", "b");
    failOnce(router, "a");

    clock.advance(Duration.ofMillis(1999));
    assertThat(router.route("key-a", backend -> backend).backend()).isEqualTo("b");
    assertThat(router.describeStates())
        .containsEntry("a", "down (timed out), retried in 1 ms")
        .containsEntry("b", "up, 0 in flight");

    clock.advance(Duration.ofMillis(1));
    assertThat(router.route("key-a", backend -> backend).backend()).isEqualTo("a");
    assertThat(router.isUp("a")).isTrue();
  }

  @Test
  void doublesTheCooldownEachTimeAProbeFailsUpToTheMaximum() throws Exception {
    AffinityRouter router = router("a", "b");
    failOnce(router, "a");
    List<Long> cooldowns = new ArrayList<>();

    for (int i = 0; i < 6; i++) {
      clock.advance(Duration.ofSeconds(60));
      failOnce(router, "a");
      String state = router.describeStates().get("a");
      cooldowns.add(Long.parseLong(state.replaceAll(".*retried in (\\d+) ms", "$1")));
    }

    assertThat(cooldowns).containsExactly(4000L, 8000L, 16000L, 32000L, 60000L, 60000L);
  }

  @Test
  void returnsAClientErrorAsIsWithoutFailingOver() throws Exception {
    AffinityRouter router = router("a", "b");
    List<String> attempts = new ArrayList<>();

    AffinityRouter.Routed<String> routed =
        router.route(
            "key-a",
            backend -> {
              attempts.add(backend);
              return "400 from " + backend;
            });

    assertThat(routed.result()).isEqualTo("400 from a");
    assertThat(attempts).containsExactly("a");
    assertThat(router.isUp("a")).isTrue();
  }

  @Test
  void reportsEveryBackendsStateWhenNoneCanServe() {
    AffinityRouter router = router("a", "b");

    assertThatThrownBy(
            () ->
                router.route(
                    "key-a",
                    backend -> {
                      throw new BackendFailure(BackendFailure.Kind.SERVER_ERROR, "HTTP 500");
                    }))
        .isInstanceOf(NoBackendAvailableException.class)
        .hasMessage(
            "no backend can serve the request: a: down (HTTP 500), retried in 2000 ms;"
                + " b: down (HTTP 500), retried in 2000 ms");
  }

  @Test
  void refusesALoadFactorBelowOne() {
    HashRing ring = new HashRing(List.of("a"), 1, POSITIONS::get);

    assertThatThrownBy(
            () ->
                new AffinityRouter(
                    ring, 0.9, clock, Duration.ofSeconds(2), Duration.ofSeconds(60), recorder))
        .hasMessage("loadFactor must be at least 1, got 0.9");
  }

  @Test
  void derivesThePrefixKeyFromTheHeaderElseFromTheFirstMessage() {
    assertThat(PrefixKey.of("study-7", "ignored")).isEqualTo("study-7");
    assertThat(PrefixKey.of(null, "abc"))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  private void failOnce(AffinityRouter router, String failing) throws Exception {
    router.route(
        "key-a",
        backend -> {
          if (backend.equals(failing)) {
            throw new BackendFailure(BackendFailure.Kind.TIMEOUT, "timed out");
          }
          return backend;
        });
  }

  /** A clock the test moves by hand. */
  private static final class MutableClock implements InstantSource {
    private Instant now = Instant.parse("2025-01-01T00:00:00Z");

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
