/**
 * Importance scores, deterministic top-k selection of the weights a task keeps, and the ownership map of trunk weights.
 */
package dev.fisherpacknet.core.mask;
