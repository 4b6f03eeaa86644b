package dev.fisherpacknet.core.report;

import java.util.Optional;

/**
 * A metric over the runs of one cell (the seeds of a method at a ratio): mean, sample standard deviation, count,
 * and the confidence interval of the mean (none with fewer than two runs).
 *
 * @param mean mean over runs
 * @param sd   sample standard deviation; NaN for one run
 * @param n    number of runs
 * @param ci   interval of the mean, if n &gt;= 2
 */
public record Summary(double mean, double sd, int n, Optional<Interval> ci) {
    public Summary {
        if (n < 1) {
            throw new IllegalArgumentException("a summary needs at least one value");
        }
    }
}
