package dev.asap.engine.integrator;

import dev.asap.engine.history.TrialRecord;
import dev.asap.engine.optimizer.OptimizationState;
import dev.asap.engine.study.StudySpec;
import java.util.List;

/**
 * What an integrator may read when it chooses.
 *
 * @param spec the study's spec
 * @param ended the trials that have ended, in the order they ended
 * @param running the trials running now
 * @param state the optimizers' view of the study this round
 */
public record SelectionContext(
    StudySpec spec, List<TrialRecord> ended, List<TrialRecord> running, OptimizationState state) {}
