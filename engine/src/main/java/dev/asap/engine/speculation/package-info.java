/**
 * Speculation: proposing the next trial before a running one has reported, from a predicted value,
 * and deciding when the real value arrives whether that proposal may stand.
 *
 * <p>Only the accept test exists so far; nothing in the study loop calls it yet.
 */
package dev.asap.engine.speculation;
