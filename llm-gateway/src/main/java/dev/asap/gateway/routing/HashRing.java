package dev.asap.gateway.routing;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.ToLongFunction;

/**
 * A consistent hash ring with virtual nodes, so that adding or losing a backend moves only the
 * prefix keys that backend owned and every other study keeps its KV cache.
 */
public final class HashRing {

  /** Virtual nodes per backend: enough to spread keys evenly over a handful of replicas. */
  public static final int DEFAULT_VIRTUAL_NODES = 64;

  private final NavigableMap<Long, String> ring = new TreeMap<>();
  private final List<String> backends;
  private final ToLongFunction<String> hash;

  /** A ring over SHA-256 positions. */
  public HashRing(List<String> backends, int virtualNodes) {
    this(backends, virtualNodes, HashRing::sha256Position);
  }

  /**
   * A ring whose positions come from {@code hash}: the seam through which tests place virtual nodes
   * ({@code name#i}) and keys exactly.
   */
  public HashRing(List<String> backends, int virtualNodes, ToLongFunction<String> hash) {
    if (backends.isEmpty()) {
      throw new IllegalArgumentException("a ring needs at least one backend");
    }
    if (virtualNodes < 1) {
      throw new IllegalArgumentException("virtualNodes must be at least 1, got " + virtualNodes);
    }
    this.backends = List.copyOf(backends);
    this.hash = hash;
    for (String backend : this.backends) {
      for (int i = 0; i < virtualNodes; i++) {
        // A collision keeps the first owner: rare with 64-bit positions, and deterministic.
        ring.putIfAbsent(hash.applyAsLong(backend + "#" + i), backend);
      }
    }
  }

  /**
   * Every backend once, in the order met walking clockwise from the key's position: the first is
   * the key's home, the rest are where it goes when the ones before are down or full.
   */
  public List<String> walk(String key) {
    long position = hash.applyAsLong(key);
    Set<String> order = new LinkedHashSet<>();
    collect(ring.tailMap(position, true), order);
    collect(ring.headMap(position, false), order);
    return new ArrayList<>(order);
  }

  /** The backends on this ring, in configuration order. */
  public List<String> backends() {
    return backends;
  }

  private void collect(Map<Long, String> arc, Set<String> order) {
    for (String backend : arc.values()) {
      if (order.size() == backends.size()) {
        return;
      }
      order.add(backend);
    }
  }

  /** The first eight bytes of the SHA-256 of {@code text}, as a signed ring position. */
  public static long sha256Position(String text) {
    return ByteBuffer.wrap(sha256(text)).getLong();
  }

  /** The SHA-256 digest of {@code text} in UTF-8. */
  public static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime ships SHA-256", e);
    }
  }
}
