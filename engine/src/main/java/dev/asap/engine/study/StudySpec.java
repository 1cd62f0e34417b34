package dev.asap.engine.study;

import dev.asap.engine.space.SearchSpace;
import java.util.List;

/**
 * The {@code spec} of an {@code HpoStudy}: the same document on one machine and on a cluster.
 *
 * @param objective what to optimize
 * @param searchSpace the parameters and their ranges
 * @param budget limits on trials, failures, parallelism and time
 * @param optimizers the names of the pool members that take part, in order
 * @param integrator the integrator that picks among their proposals, and its settings
 * @param trialTemplate how to run one trial
 * @param seed the seed from which every optimizer's and integrator's randomness derives
 * @param speculation whether and how the next proposal is computed while a trial runs
 */
public record StudySpec(
    Objective objective,
    SearchSpace searchSpace,
    Budget budget,
    List<String> optimizers,
    IntegratorSpec integrator,
    TrialTemplate trialTemplate,
    long seed,
    SpeculationSpec speculation) {
  public StudySpec {
    optimizers = List.copyOf(optimizers);
    speculation = speculation == null ? SpeculationSpec.off() : speculation;
  }

  /** A spec without speculation. */
  public StudySpec(
      Objective objective,
      SearchSpace searchSpace,
      Budget budget,
      List<String> optimizers,
      IntegratorSpec integrator,
      TrialTemplate trialTemplate,
      long seed) {
    this(
        objective,
        searchSpace,
        budget,
        optimizers,
        integrator,
        trialTemplate,
        seed,
        SpeculationSpec.off());
  }

  /** This spec with other speculation settings. */
  public StudySpec withSpeculation(SpeculationSpec speculation) {
    return new StudySpec(
        objective, searchSpace, budget, optimizers, integrator, trialTemplate, seed, speculation);
  }
}
