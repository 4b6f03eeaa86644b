package dev.fisherpacknet.core.config;

import dev.fisherpacknet.core.mask.ImportanceScore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What the sweep's report compares and how ({@code report.*}).
 *
 * @param compare          pairs whose paired difference (first − second, same seed) the report tests at every ratio;
 *                         empty: every score of the sweep against {@code magnitude}
 * @param interval         t-interval or bootstrap
 * @param bootstrapSamples resamples of a bootstrap interval
 * @param confidence       confidence level of every interval, e.g. 0.95
 */
public record ReportConfig(List<Comparison> compare, IntervalMethod interval, int bootstrapSamples,
                           double confidence) {

    /** The default reference of comparisons: PackNet's own criterion. */
    public static final String REFERENCE = "magnitude";

    /**
     * Methods that do not prune (docs/PROTOCOL.md, "Baselines"). The report draws them as horizontal lines and accepts
     * them in {@code report.compare}; runs of them are an optional input of the report.
     */
    public static final List<String> BASELINES = List.of("finetune", "ewc", "joint");

    /** The report's settings when a config says nothing. */
    public static final ReportConfig DEFAULTS = new ReportConfig(List.of(), IntervalMethod.T, 10_000, 0.95);

    /**
     * One comparison: the paired difference {@code first − second}; positive means {@code first} scored higher.
     *
     * @param first  a score or baseline name
     * @param second a score or baseline name
     */
    public record Comparison(String first, String second) {
        public Comparison {
            Objects.requireNonNull(first);
            Objects.requireNonNull(second);
            if (first.equals(second)) {
                throw new IllegalArgumentException("a comparison needs two different methods, got " + first);
            }
        }

        /** "first − second". */
        public String label() {
            return first + " − " + second;
        }
    }

    public ReportConfig {
        compare = List.copyOf(compare);
        Objects.requireNonNull(interval);
        if (bootstrapSamples < 1) {
            throw new IllegalArgumentException("bootstrapSamples must be positive, got " + bootstrapSamples);
        }
        if (!(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("confidence must be in (0, 1), got " + confidence);
        }
    }

    /**
     * Whether {@code method} names a baseline: finetune, joint, or an EWC run's label ({@code ewc-l100-separate},
     * see {@link BaselineConfig#label()}).
     */
    public static boolean isBaseline(String method) {
        return BASELINES.contains(method) || method.startsWith(Baseline.EWC.configName() + "-");
    }

    /** Every name a comparison may use: the scores, then the baselines. */
    public static List<String> methodNames() {
        List<String> names = new ArrayList<>(Arrays.stream(ImportanceScore.values())
                .map(ImportanceScore::configName).toList());
        names.addAll(BASELINES);
        return names;
    }

    /**
     * The comparisons to make among {@code methods} (the methods that have runs, in order): {@link #compare} if
     * set, else each method other than {@link #REFERENCE} against it (none if the sweep has no magnitude runs).
     */
    public List<Comparison> comparisons(List<String> methods) {
        if (!compare.isEmpty()) {
            return compare;
        }
        if (!methods.contains(REFERENCE)) {
            return List.of();
        }
        return methods.stream().filter(m -> !m.equals(REFERENCE) && !isBaseline(m))
                .map(m -> new Comparison(m, REFERENCE)).toList();
    }
}
