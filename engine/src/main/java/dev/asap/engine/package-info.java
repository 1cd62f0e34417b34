/** The ASAP engine: search space, optimizers, integrators, the study loop and its history. */
package dev.asap.engine;
