/**
 * Importance scores, deterministic top-k selection of the weights a task keeps, the ownership map of trunk weights,
 * and the multi-head model whose tasks predict through it ({@link dev.fisherpacknet.core.mask.MultiHeadModel}).
 */
package dev.fisherpacknet.core.mask;
