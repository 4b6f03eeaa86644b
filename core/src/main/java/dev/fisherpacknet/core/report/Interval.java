package dev.fisherpacknet.core.report;

/**
 * A confidence interval [lo, hi] of a mean.
 *
 * @param lo lower bound
 * @param hi upper bound
 */
public record Interval(double lo, double hi) {
    public Interval {
        if (!(lo <= hi)) {
            throw new IllegalArgumentException("interval bounds out of order or NaN: [" + lo + ", " + hi + "]");
        }
    }

    /** Whether {@code value} lies in [lo, hi]: for a difference, whether "no difference" is still plausible. */
    public boolean contains(double value) {
        return lo <= value && value <= hi;
    }
}
