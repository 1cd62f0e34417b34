/**
 * Simulated studies: benchmark functions as trials, on a virtual clock that moves by the trials'
 * simulated running times and the LLM's measured latency, so that a study of hundreds of trials
 * runs in seconds, repeatably, and its time can be compared with and without speculation.
 */
package dev.asap.engine.simulation;
