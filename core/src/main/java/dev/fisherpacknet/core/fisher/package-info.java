/**
 * The exact per-example diagonal Fisher information of a dense softmax network, its partial sums and the estimator
 * interface that the Spark job implements.
 */
package dev.fisherpacknet.core.fisher;
