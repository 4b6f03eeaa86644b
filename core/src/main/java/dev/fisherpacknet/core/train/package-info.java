/**
 * Masked training: the parameter mask that keeps owned and released weights exact, the trainer interface with its
 * single-JVM implementations, and the EWC penalty that the baselines add to the loss as a training listener.
 */
package dev.fisherpacknet.core.train;
