package dev.fisherpacknet.core.fisher;

import java.io.Serializable;

/**
 * A sum of per-example squared gradients of log p(y|x), one entry per network parameter, with the number of
 * examples summed. Partial sums from partitions combine by {@link #plus}; {@link #mean()} is the Fisher diagonal.
 * Sums are kept in double so that the order in which partitions combine does not change the result beyond
 * double rounding.
 *
 * @param sum   per-parameter sum over examples, in the network's flattened parameter order
 * @param count number of examples summed
 */
public record FisherDiagonal(double[] sum, long count) implements Serializable {

    /** An all-zero sum over {@code numParams} parameters and no examples. */
    public static FisherDiagonal zero(int numParams) {
        return new FisherDiagonal(new double[numParams], 0);
    }

    /**
     * The sum over no examples, the identity of {@link #plus} for any number of parameters. Being empty, it is a
     * cheap zero value for Spark's aggregations, which ship the zero value with every task.
     */
    public static final FisherDiagonal EMPTY = new FisherDiagonal(new double[0], 0);

    /** The combined sum of two disjoint sets of examples. Returns a new value; neither operand changes. */
    public FisherDiagonal plus(FisherDiagonal other) {
        if (other.count == 0 && other.sum.length == 0) {
            return this;
        }
        if (count == 0 && sum.length == 0) {
            return other;
        }
        if (other.sum.length != sum.length) {
            throw new IllegalArgumentException("cannot add Fisher sums over " + sum.length + " and "
                    + other.sum.length + " parameters");
        }
        double[] total = sum.clone();
        for (int i = 0; i < total.length; i++) {
            total[i] += other.sum[i];
        }
        return new FisherDiagonal(total, count + other.count);
    }

    /** The Fisher diagonal: the sum divided by the number of examples. */
    public double[] mean() {
        if (count == 0) {
            throw new IllegalStateException("no examples were summed");
        }
        double[] mean = new double[sum.length];
        for (int i = 0; i < mean.length; i++) {
            mean[i] = sum[i] / count;
        }
        return mean;
    }
}
