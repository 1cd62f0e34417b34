package dev.asap.engine.optimizer.gp;

import java.util.Arrays;
import org.hipparchus.util.FastMath;

/**
 * The Gaussian process's hyperparameters, in standardized loss units.
 *
 * @param lengthScales one per parameter (automatic relevance determination), on the unit cube
 * @param signalVariance the prior variance of the loss
 * @param noiseVariance the variance of observation noise added to the kernel's diagonal
 */
record Hyperparameters(double[] lengthScales, double signalVariance, double noiseVariance) {

  /** Reads the optimizer's vector {@code [log l_1 .. log l_p, log signal, log noise]}. */
  static Hyperparameters fromLog(double[] theta) {
    int p = theta.length - 2;
    double[] l = new double[p];
    for (int j = 0; j < p; j++) {
      l[j] = FastMath.exp(theta[j]);
    }
    return new Hyperparameters(l, FastMath.exp(theta[p]), FastMath.exp(theta[p + 1]));
  }

  @Override
  public String toString() {
    return "lengthScales="
        + Arrays.toString(lengthScales)
        + ", signal="
        + signalVariance
        + ", noise="
        + noiseVariance;
  }
}
