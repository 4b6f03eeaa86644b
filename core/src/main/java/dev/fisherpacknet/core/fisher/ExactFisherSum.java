package dev.fisherpacknet.core.fisher;

import java.io.Serializable;
import java.util.List;

/**
 * Adds partitions' Fisher sums so that the result is the same whatever order they are combined in: the sum Spark's
 * {@code treeAggregate} computes, whose order depends on which executor finishes first, equals the sum this JVM
 * computes in partition order, bit for bit.
 *
 * <p>Double addition is not associative, so the partial sums are first turned into integers: parameter i's
 * partials are scaled by a power of two {@code 2^s_i} chosen from their maximum, so that every partial is below
 * {@code 2^(62 - ceil(log2 P))} for P partials, truncated to longs and added exactly; the total is scaled back
 * once. Fisher sums are non-negative, so the total is at least the maximum, and what truncation drops is below
 * {@code 2^(2 ceil(log2 P) - 61)} of it: under 2e-15 relative for 64 partitions, far below the float noise of the
 * partials themselves. Two passes over the partials: one for the maxima ({@link #maxima}, itself order-free), one
 * for the integer sums ({@link Fixed}).
 */
public final class ExactFisherSum {
    private static final int LONG_BITS_USED = 62;

    /** Marks a parameter whose partials are not all finite: its total is NaN, as a plain sum's would be. */
    private static final int NOT_FINITE = Integer.MIN_VALUE;

    private ExactFisherSum() {
    }

    /** The total of {@code partials}, computed exactly as the two Spark passes compute it. */
    public static FisherDiagonal of(List<FisherDiagonal> partials) {
        double[] maxima = EMPTY_MAXIMA;
        for (FisherDiagonal partial : partials) {
            maxima = maxima(maxima, partial);
        }
        Scale scale = Scale.of(maxima, partials.size());
        Fixed total = Fixed.EMPTY;
        for (FisherDiagonal partial : partials) {
            total = total.plus(Fixed.of(partial, scale));
        }
        return total.toDiagonal(scale);
    }

    /** The identity of {@link #maxima}: no parameters yet. */
    public static final double[] EMPTY_MAXIMA = new double[0];

    /** Element-wise maxima of {@code maxima} and {@code partial}'s sums; a new array, neither operand changes. */
    public static double[] maxima(double[] maxima, FisherDiagonal partial) {
        return maxima(maxima, partial.sum());
    }

    /** Element-wise maxima of two arrays, either of which may be {@link #EMPTY_MAXIMA}. */
    public static double[] maxima(double[] a, double[] b) {
        if (b.length == 0) {
            return a;
        }
        if (a.length == 0) {
            return b.clone();
        }
        requireSameLength(a.length, b.length);
        double[] max = new double[a.length];
        for (int i = 0; i < max.length; i++) {
            // NaN-propagating, so a parameter with a NaN partial is marked below.
            max[i] = Math.max(a[i], b[i]);
        }
        return max;
    }

    /**
     * Per parameter, the power of two that scales every partial below {@code 2^(62 - ceil(log2 P))}.
     *
     * @param shifts exponent s_i of parameter i's scale, or a marker for non-finite partials
     */
    public record Scale(int[] shifts) implements Serializable {

        /** The scale of {@code partials} partial sums whose element-wise maxima are {@code maxima}. */
        public static Scale of(double[] maxima, int partials) {
            int headroom = 32 - Integer.numberOfLeadingZeros(Math.max(1, partials) - 1);
            int[] shifts = new int[maxima.length];
            for (int i = 0; i < maxima.length; i++) {
                double max = maxima[i];
                if (!Double.isFinite(max)) {
                    shifts[i] = NOT_FINITE;
                } else if (max <= 0) {
                    shifts[i] = 0;
                } else {
                    // max < 2^(e+1); scaled by 2^s it is below 2^(62 - headroom).
                    shifts[i] = LONG_BITS_USED - headroom - (Math.getExponent(max) + 1);
                }
            }
            return new Scale(shifts);
        }
    }

    /**
     * A sum of partials as scaled integers: adding two is exact, so any order of additions gives the same bits.
     *
     * @param sum   per parameter, the sum of the scaled, truncated partials
     * @param count examples summed
     */
    public record Fixed(long[] sum, long count) implements Serializable {
        /** No partials: the identity of {@link #plus} for any number of parameters. */
        public static final Fixed EMPTY = new Fixed(new long[0], 0);

        /** One partial, scaled and truncated. */
        public static Fixed of(FisherDiagonal partial, Scale scale) {
            double[] values = partial.sum();
            if (values.length == 0) {
                return new Fixed(new long[0], partial.count());
            }
            requireSameLength(scale.shifts().length, values.length);
            long[] fixed = new long[values.length];
            for (int i = 0; i < values.length; i++) {
                int shift = scale.shifts()[i];
                if (shift != NOT_FINITE && values[i] > 0) {
                    fixed[i] = (long) Math.scalb(values[i], shift);
                }
            }
            return new Fixed(fixed, partial.count());
        }

        /** The exact sum of two; a new value, neither operand changes. */
        public Fixed plus(Fixed other) {
            if (other.sum.length == 0) {
                return new Fixed(sum, count + other.count);
            }
            if (sum.length == 0) {
                return new Fixed(other.sum, count + other.count);
            }
            requireSameLength(sum.length, other.sum.length);
            long[] total = sum.clone();
            for (int i = 0; i < total.length; i++) {
                total[i] += other.sum[i];
            }
            return new Fixed(total, count + other.count);
        }

        /** The sum as doubles, scaled back. */
        public FisherDiagonal toDiagonal(Scale scale) {
            double[] values = new double[scale.shifts().length];
            if (sum.length != 0) {
                requireSameLength(values.length, sum.length);
            }
            for (int i = 0; i < values.length; i++) {
                int shift = scale.shifts()[i];
                values[i] = shift == NOT_FINITE ? Double.NaN : sum.length == 0 ? 0 : Math.scalb((double) sum[i],
                        -shift);
            }
            return new FisherDiagonal(values, count);
        }
    }

    private static void requireSameLength(int a, int b) {
        if (a != b) {
            throw new IllegalArgumentException("cannot add Fisher sums over " + a + " and " + b + " parameters");
        }
    }
}
