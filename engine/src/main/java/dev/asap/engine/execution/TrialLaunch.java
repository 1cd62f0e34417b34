package dev.asap.engine.execution;

import dev.asap.engine.space.Configuration;
import dev.asap.engine.study.TrialTemplate;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What an executor needs to start one trial.
 *
 * @param study the study's name
 * @param number the trial's number within the study, from 0
 * @param configuration the parameter values to run with
 * @param template the trial template, with {@code ${trial.parameters.NAME}} placeholders
 * @param baseDir the folder relative paths resolve against locally
 * @param logFile where a local executor keeps the trial's output
 * @param timeout the wall-clock limit of this trial, or {@code null}
 */
public record TrialLaunch(
    String study,
    int number,
    Configuration configuration,
    TrialTemplate template,
    Path baseDir,
    Path logFile,
    Duration timeout) {}
