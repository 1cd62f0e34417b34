/**
 * Gaussian-process Bayesian optimization, one member of the optimizer pool.
 *
 * <p>Exponentials and logarithms go through Hipparchus's {@code FastMath}, which is written in
 * Java, rather than {@code Math}, whose results may differ by an ulp between JVMs and processors: a
 * Bayesian optimization run amplifies such differences, and the tests pin exact figures.
 */
package dev.asap.engine.optimizer.gp;
