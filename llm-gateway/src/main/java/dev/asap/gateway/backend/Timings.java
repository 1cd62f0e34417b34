package dev.asap.gateway.backend;

/**
 * Where a completion's time went, in llama.cpp server's terms: prompt tokens evaluated and their
 * time (prefill), tokens generated and their time (decode), and prompt tokens reused from cache.
 */
public record Timings(
    int promptN, double promptMs, int predictedN, double predictedMs, int cacheN) {}
