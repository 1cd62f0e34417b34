package dev.asap.engine.optimizer.gp;

import dev.asap.engine.space.CategoricalParameter;
import dev.asap.engine.space.Configuration;
import dev.asap.engine.space.FloatParameter;
import dev.asap.engine.space.Parameter;
import dev.asap.engine.space.SearchSpace;

/**
 * The coordinates the Gaussian process sees: one column per float or integer parameter (its unit
 * coordinate, an integer's snapped to its bin) and one one-hot column per category.
 *
 * <p>Every point of the unit cube goes through {@link SearchSpace#fromUnit} before it is encoded,
 * so the model only ever sees valid configurations and the acquisition is flat within a bin. One
 * length scale covers all the columns of a parameter, so a categorical parameter has one relevance
 * like any other.
 */
final class FeatureSpace {
  private final SearchSpace space;
  private final int[] firstColumn;
  private final int width;
  private final int[] continuous;

  FeatureSpace(SearchSpace space) {
    this.space = space;
    int p = space.dimension();
    this.firstColumn = new int[p + 1];
    int columns = 0;
    int floats = 0;
    for (int j = 0; j < p; j++) {
      Parameter parameter = space.parameters().get(j);
      firstColumn[j] = columns;
      columns += parameter instanceof CategoricalParameter c ? c.values().size() : 1;
      floats += parameter instanceof FloatParameter ? 1 : 0;
    }
    firstColumn[p] = columns;
    this.width = columns;
    this.continuous = new int[floats];
    for (int j = 0, k = 0; j < p; j++) {
      if (space.parameters().get(j) instanceof FloatParameter) {
        continuous[k++] = j;
      }
    }
  }

  SearchSpace space() {
    return space;
  }

  /** Number of parameters, each with its own length scale. */
  int parameters() {
    return space.dimension();
  }

  /** Number of feature columns. */
  int width() {
    return width;
  }

  /** The columns of parameter {@code j}: {@code [firstColumn(j), firstColumn(j + 1))}. */
  int firstColumn(int j) {
    return firstColumn[j];
  }

  /**
   * Indices of the float parameters, the only ones along which the acquisition has a gradient; a
   * float parameter's single column is {@link #firstColumn(int)}.
   */
  int[] continuousParameters() {
    return continuous;
  }

  /** The feature vector of a configuration. */
  double[] encode(Configuration c) {
    double[] f = new double[width];
    for (int j = 0; j < space.dimension(); j++) {
      Parameter parameter = space.parameters().get(j);
      Object value = c.get(parameter.name());
      if (parameter instanceof CategoricalParameter categorical) {
        f[firstColumn[j] + categorical.indexOf(value)] = 1;
      } else {
        f[firstColumn[j]] = parameter.toUnit(value);
      }
    }
    return f;
  }
}
