/**
 * The Tree-structured Parzen Estimator pool member: density models of good and bad configurations
 * on the unit cube, and proposals that maximize their ratio.
 */
package dev.asap.engine.optimizer.tpe;
