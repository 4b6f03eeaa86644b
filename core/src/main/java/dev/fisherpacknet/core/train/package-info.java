/**
 * Masked training: the parameter mask that keeps owned and released weights exact, and the trainer interface with its single-JVM implementation.
 */
package dev.fisherpacknet.core.train;
