package dev.asap.engine.study;

import java.time.Duration;

/**
 * How much a study may spend.
 *
 * @param maxTrials trials that may end (completed or failed) before the study stops
 * @param maxFailedTrials failed trials after which the study stops as failed
 * @param parallelism trials that run at once, at least 1
 * @param timeout wall-clock limit of the whole study, or {@code null} for none
 * @param trialTimeout wall-clock limit of one trial, or {@code null} for none
 */
public record Budget(
    int maxTrials, int maxFailedTrials, int parallelism, Duration timeout, Duration trialTimeout) {}
