package dev.fisherpacknet.core.config;

import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigValue;
import dev.fisherpacknet.core.ConfigException;
import dev.fisherpacknet.core.ConfigValues;
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
    public static final List<String> BASELINES = List.of("finetune", "ewc", "joint", "feature-extraction");

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
     * Whether {@code method} names a baseline: finetune, joint, feature-extraction, or an EWC run's label
     * ({@code ewc-l100-separate}, see {@link BaselineConfig#label()}).
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

    /**
     * Reads {@code report.*} for a sweep of {@code runs}. A comparison must name two different methods, and a score
     * the sweep does not run is an error here rather than an empty row in a report written hours later.
     */
    static ReportConfig read(ConfigValues v, List<RunConfig> runs) {
        List<String> swept = runs.stream().filter(r -> !r.isBaseline()).map(r -> r.prune().score().configName())
                .distinct().toList();
        List<String> baselines = runs.stream().filter(RunConfig::isBaseline).map(RunConfig::method).distinct()
                .toList();
        List<String> ewcLabels = baselines.stream().filter(m -> m.startsWith("ewc-")).toList();
        List<Comparison> compare = new ArrayList<>();
        if (!(v.value("report.compare") instanceof ConfigList list)) {
            throw v.invalid("report.compare", "must be a list of pairs such as [[fisher, magnitude]]");
        }
        for (int i = 0; i < list.size(); i++) {
            String label = "report.compare[" + i + "]";
            ConfigValue element = list.get(i);
            if (!(element instanceof ConfigList pair) || pair.size() != 2
                    || !(pair.get(0).unwrapped() instanceof String first)
                    || !(pair.get(1).unwrapped() instanceof String second)) {
                throw new ConfigException(label + " must be a pair of method names such as [fisher, magnitude],"
                        + " got " + ConfigValues.render(element) + " " + ConfigValues.where(element));
            }
            String[] methods = {first, second};
            for (int k = 0; k < 2; k++) {
                methods[k] = comparedMethod(label + "[" + k + "]", methods[k], pair.get(k), swept, baselines,
                        ewcLabels);
            }
            if (methods[0].equals(methods[1])) {
                throw new ConfigException(label + " compares " + methods[0] + " with itself "
                        + ConfigValues.where(element) + "; name two different methods");
            }
            compare.add(new Comparison(methods[0], methods[1]));
        }
        return new ReportConfig(compare, v.choice("report.interval", IntervalMethod.class),
                v.intAtLeast("report.bootstrap-samples", 100), v.doubleIn("report.confidence", 0, false, 1, false));
    }

    /** A method named in a comparison, checked against what the sweep runs; "ewc" becomes its one variant's label. */
    private static String comparedMethod(String label, String method, ConfigValue value, List<String> swept,
                                         List<String> baselines, List<String> ewcLabels) {
        if (ewcLabels.contains(method)) {
            return method;
        }
        if (!methodNames().contains(method)) {
            throw new ConfigException(label + " must be one of " + String.join(", ", methodNames()) + ", got "
                    + method + " " + ConfigValues.where(value));
        }
        if (!BASELINES.contains(method) && !swept.contains(method)) {
            throw new ConfigException(label + " names " + method + " " + ConfigValues.where(value)
                    + ", but no run of this sweep uses that score (prune.score: " + String.join(", ", swept)
                    + "); add it to prune.score or drop the pair");
        }
        if (method.equals(Baseline.EWC.configName())) {
            // "ewc" is unambiguous when the sweep runs one EWC variant; results name it by its label.
            if (ewcLabels.size() != 1) {
                throw new ConfigException(label + " names ewc " + ConfigValues.where(value) + ", but "
                        + (ewcLabels.isEmpty() ? "the sweep runs no EWC baseline; add ewc to baselines"
                        : "the sweep runs " + ewcLabels.size() + " EWC variants; name one of "
                        + String.join(", ", ewcLabels)));
            }
            return ewcLabels.get(0);
        }
        if (BASELINES.contains(method) && !baselines.contains(method)) {
            throw new ConfigException(label + " names " + method + " " + ConfigValues.where(value)
                    + ", but the sweep does not run that baseline (baselines: "
                    + (baselines.isEmpty() ? "none" : String.join(", ", baselines)) + "); add it to"
                    + " baselines or drop the pair");
        }
        return method;
    }
}
