package dev.fisherpacknet.core.report;

import dev.fisherpacknet.core.config.IntervalMethod;
import dev.fisherpacknet.core.config.ReportConfig;
import java.util.List;
import java.util.Optional;

/**
 * The paired difference first − second of a metric (in percentage points) at one pruning ratio: one difference per
 * seed that both methods ran (same seed, so same data, permutations and initialisation), their mean, and the
 * confidence interval of the mean.
 *
 * @param comparison  which two methods
 * @param ratio       the pruning ratio
 * @param seeds       the seeds both ran, ascending
 * @param differences first − second for each of those seeds, in percentage points
 * @param mean        mean difference; NaN if no seed is shared
 * @param ci          interval of the mean, if at least two seeds
 * @param confidence  the interval's confidence level
 * @param method      how the interval was computed
 */
public record PairedDifference(ReportConfig.Comparison comparison, double ratio, List<Long> seeds,
                               List<Double> differences, double mean, Optional<Interval> ci, double confidence,
                               IntervalMethod method) {
    public PairedDifference {
        seeds = List.copyOf(seeds);
        differences = List.copyOf(differences);
        if (seeds.size() != differences.size()) {
            throw new IllegalArgumentException("one difference per seed");
        }
    }

    /** Number of paired seeds. */
    public int n() {
        return seeds.size();
    }

    /** What the data say, in one phrase: which method is better, or that the interval cannot tell. */
    public Outcome outcome() {
        if (seeds.isEmpty()) {
            return Outcome.NO_PAIRS;
        }
        if (ci.isEmpty()) {
            return Outcome.ONE_SEED;
        }
        Interval interval = ci.get();
        if (interval.lo() > 0) {
            return Outcome.FIRST_BETTER;
        }
        if (interval.hi() < 0) {
            return Outcome.SECOND_BETTER;
        }
        return Outcome.NO_DIFFERENCE;
    }

    /** The possible readings of a paired difference. */
    public enum Outcome {
        /** The interval lies above 0. */
        FIRST_BETTER,
        /** The interval lies below 0. */
        SECOND_BETTER,
        /** The interval contains 0. */
        NO_DIFFERENCE,
        /** One shared seed: a difference but no interval. */
        ONE_SEED,
        /** No seed with runs of both methods. */
        NO_PAIRS
    }
}
