/**
 * Runs trials as processes on the study's own machine: {@link
 * dev.asap.engine.execution.local.LocalProcessExecutor}.
 */
package dev.asap.engine.execution.local;
