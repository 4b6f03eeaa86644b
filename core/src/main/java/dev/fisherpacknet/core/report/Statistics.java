package dev.fisherpacknet.core.report;

import dev.fisherpacknet.core.Seeds;
import dev.fisherpacknet.core.config.IntervalMethod;
import java.util.Arrays;
import java.util.Optional;
import java.util.SplittableRandom;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * Means over seeds and their confidence intervals: Student's t-interval, or a seeded percentile bootstrap. An
 * interval needs at least two values; with one there is no estimate of the spread, and none is pretended.
 */
public final class Statistics {
    private Statistics() {
    }

    /** The arithmetic mean; NaN for no values. */
    public static double mean(double[] values) {
        return values.length == 0 ? Double.NaN : Arrays.stream(values).sum() / values.length;
    }

    /** The sample standard deviation (divisor n - 1); NaN for fewer than two values. */
    public static double sd(double[] values) {
        if (values.length < 2) {
            return Double.NaN;
        }
        double mean = mean(values);
        double ss = 0;
        for (double v : values) {
            ss += (v - mean) * (v - mean);
        }
        return Math.sqrt(ss / (values.length - 1));
    }

    /**
     * The {@code p}-quantile of Student's t distribution with {@code df} degrees of freedom (e.g. p = 0.975, df = 2
     * gives 4.302653), from commons-math3's inverse of the regularized incomplete beta function.
     */
    public static double tQuantile(double p, int df) {
        if (df < 1) {
            throw new IllegalArgumentException("degrees of freedom must be at least 1, got " + df);
        }
        if (!(p > 0 && p < 1)) {
            throw new IllegalArgumentException("p must be in (0, 1), got " + p);
        }
        // A null generator: the distribution is only inverted here, never sampled.
        return new TDistribution(null, df, 1e-12).inverseCumulativeProbability(p);
    }

    /** mean ± t_{(1+c)/2, n-1} · sd / √n; empty for fewer than two values. */
    public static Optional<Interval> tInterval(double[] values, double confidence) {
        if (values.length < 2) {
            return Optional.empty();
        }
        double mean = mean(values);
        double half = tQuantile((1 + confidence) / 2, values.length - 1) * sd(values) / Math.sqrt(values.length);
        return Optional.of(new Interval(mean - half, mean + half));
    }

    /**
     * The percentile bootstrap interval of the mean: {@code samples} resamples of the values with replacement,
     * drawn from {@code seed}, and the (1-c)/2 and (1+c)/2 quantiles of their means (linear interpolation between
     * order statistics). Empty for fewer than two values.
     */
    public static Optional<Interval> bootstrapInterval(double[] values, double confidence, int samples, long seed) {
        if (values.length < 2) {
            return Optional.empty();
        }
        if (samples < 1) {
            throw new IllegalArgumentException("samples must be positive, got " + samples);
        }
        SplittableRandom random = new SplittableRandom(seed);
        double[] means = new double[samples];
        int n = values.length;
        for (int b = 0; b < samples; b++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += values[random.nextInt(n)];
            }
            means[b] = sum / n;
        }
        Arrays.sort(means);
        return Optional.of(new Interval(quantile(means, (1 - confidence) / 2), quantile(means, (1 + confidence) / 2)));
    }

    /** The interval {@code method} gives; {@code seedPurpose} makes a bootstrap's draws depend on what it estimates. */
    public static Optional<Interval> interval(double[] values, IntervalMethod method, double confidence, int samples,
                                              String seedPurpose) {
        return switch (method) {
            case T -> tInterval(values, confidence);
            case BOOTSTRAP -> bootstrapInterval(values, confidence, samples, Seeds.derive(0, seedPurpose));
        };
    }

    /** The q-quantile of sorted values, interpolating linearly between neighbouring order statistics. */
    static double quantile(double[] sorted, double q) {
        double position = q * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(below + 1, sorted.length - 1);
        double weight = position - below;
        return sorted[below] + weight * (sorted[above] - sorted[below]);
    }
}
