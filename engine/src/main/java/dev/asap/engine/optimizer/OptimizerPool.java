package dev.asap.engine.optimizer;

import dev.asap.engine.optimizer.cmaes.CmaEsOptimizer;
import dev.asap.engine.optimizer.forest.RandomForestOptimizer;
import dev.asap.engine.optimizer.gp.GaussianProcessOptimizer;
import dev.asap.engine.optimizer.tpe.TpeOptimizer;
import dev.asap.engine.study.PoolMembers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.LongFunction;

/** The registry of pool members by name, and the factory of a study's pool. */
public final class OptimizerPool {
  private static final Map<String, LongFunction<Optimizer>> MEMBERS = new LinkedHashMap<>();

  static {
    MEMBERS.put(PoolMembers.RANDOM, RandomSearch::new);
    MEMBERS.put(PoolMembers.SOBOL, SobolSearch::new);
    MEMBERS.put(PoolMembers.TPE, TpeOptimizer::new);
    MEMBERS.put(PoolMembers.GP, GaussianProcessOptimizer::new);
    MEMBERS.put(PoolMembers.CMAES, CmaEsOptimizer::new);
    MEMBERS.put(PoolMembers.FOREST, RandomForestOptimizer::new);
  }

  private OptimizerPool() {}

  /** Every known member's name, in the default pool's order. */
  public static List<String> names() {
    return List.copyOf(MEMBERS.keySet());
  }

  /**
   * Creates the named members, each with its own seed derived from {@code seed}, its name and
   * {@code round}: a resumed study passes the number of trials already recorded, so that its
   * optimizers do not replay the random draws of the first run.
   */
  public static List<Optimizer> create(List<String> names, long seed, long round) {
    var pool = new ArrayList<Optimizer>(names.size());
    for (String name : names) {
      LongFunction<Optimizer> factory = MEMBERS.get(name);
      if (factory == null) {
        throw new IllegalArgumentException("unknown optimizer '" + name + "'; allowed: " + names());
      }
      long mixed = seed ^ (31L * name.hashCode()) ^ (round << 32);
      pool.add(factory.apply(new SplittableRandom(mixed).nextLong()));
    }
    return pool;
  }
}
