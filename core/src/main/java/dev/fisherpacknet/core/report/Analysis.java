package dev.fisherpacknet.core.report;

import dev.fisherpacknet.core.config.ReportConfig;
import dev.fisherpacknet.core.run.TaskRecord;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Everything the report shows, computed once from its input: per facet, the metrics of every run, their summaries
 * over seeds per method and ratio, the paired differences the settings ask for, and capacity per task; across
 * facets, the price of parameter averaging.
 *
 * @param input     what was analysed
 * @param facets    one analysis per facet, in order of first appearance
 * @param averaging ACC and time by worker count and averaging frequency; present when the sweep varies them
 */
public record Analysis(ReportInput input, List<FacetAnalysis> facets, Optional<AveragingPrice> averaging) {

    /** The baseline whose R[j][j] is the reference of forward transfer. */
    public static final String FWT_REFERENCE = "finetune";

    /** The baseline that learns all tasks at once: it has only the last row of R, and no BWT, forgetting or FWT. */
    public static final String JOINT = "joint";

    public Analysis {
        Objects.requireNonNull(input);
        facets = List.copyOf(facets);
        Objects.requireNonNull(averaging);
    }

    /** Analyses {@code input}. */
    public static Analysis of(ReportInput input) {
        List<ReportRun> pruned = input.runs().stream().filter(r -> !r.isBaseline()).toList();
        List<ReportRun> baselines = input.runs().stream().filter(ReportRun::isBaseline).toList();
        List<Map<String, String>> facetValues = new ArrayList<>();
        for (ReportRun run : pruned.isEmpty() ? baselines : pruned) {
            if (!facetValues.contains(run.facets())) {
                facetValues.add(run.facets());
            }
        }
        List<FacetAnalysis> facets = new ArrayList<>();
        for (Map<String, String> values : facetValues) {
            facets.add(facet(values, pruned.stream().filter(r -> r.facets().equals(values)).toList(),
                    baselines.stream().filter(b -> appliesTo(b, values)).toList(), input.settings()));
        }
        return new Analysis(input, facets, AveragingPrice.of(input));
    }

    /** A baseline belongs to every facet whose values agree with the axes it has (usually none). */
    static boolean appliesTo(ReportRun baseline, Map<String, String> facet) {
        return baseline.facets().entrySet().stream()
                .allMatch(e -> !facet.containsKey(e.getKey()) || facet.get(e.getKey()).equals(e.getValue()));
    }

    private static FacetAnalysis facet(Map<String, String> values, List<ReportRun> pruned, List<ReportRun> baselines,
                                       ReportConfig settings) {
        String label = values.toString();
        List<RunMetrics> runs = pruned.stream().map(r -> RunMetrics.of(r, reference(r, baselines))).toList();
        List<RunMetrics> baselineMetrics = baselines.stream()
                // Joint training has no R[j][j] before its last task, so no forward transfer either.
                .map(b -> RunMetrics.of(b, b.method().equals(FWT_REFERENCE) || b.method().equals(JOINT)
                        ? Optional.empty() : reference(b, baselines))).toList();
        List<String> methods = runs.stream().map(m -> m.run().method()).distinct().toList();
        List<Double> ratios = List.copyOf(new TreeSet<>(runs.stream().map(m -> m.run().ratio()).toList()));

        Map<Metric, Map<String, Map<Double, Summary>>> cells = new EnumMap<>(Metric.class);
        Map<Metric, Map<String, Summary>> baselineCells = new EnumMap<>(Metric.class);
        for (Metric metric : Metric.values()) {
            Map<String, Map<Double, Summary>> byMethod = new LinkedHashMap<>();
            for (String method : methods) {
                Map<Double, Summary> byRatio = new TreeMap<>();
                for (double ratio : ratios) {
                    double[] v = runs.stream().filter(m -> m.run().method().equals(method) && m.run().ratio() == ratio)
                            .mapToDouble(metric::percent).filter(Double::isFinite).toArray();
                    summarize(v, settings, label + " " + metric + " " + method + " " + ratio)
                            .ifPresent(s -> byRatio.put(ratio, s));
                }
                if (!byRatio.isEmpty()) {
                    byMethod.put(method, byRatio);
                }
            }
            cells.put(metric, byMethod);
            Map<String, Summary> byBaseline = new LinkedHashMap<>();
            for (String method : baselineMetrics.stream().map(m -> m.run().method()).distinct().toList()) {
                double[] v = baselineMetrics.stream().filter(m -> m.run().method().equals(method))
                        .mapToDouble(metric::percent).filter(Double::isFinite).toArray();
                summarize(v, settings, label + " " + metric + " " + method).ifPresent(s -> byBaseline.put(method, s));
            }
            baselineCells.put(metric, byBaseline);
        }

        List<String> present = new ArrayList<>(methods);
        baselineMetrics.stream().map(m -> m.run().method()).distinct().forEach(present::add);
        List<PairedDifference> differences = new ArrayList<>();
        for (ReportConfig.Comparison comparison : settings.comparisons(present)) {
            for (double ratio : ratios) {
                differences.add(difference(comparison, ratio, runs, baselineMetrics, settings, label));
            }
        }
        return new FacetAnalysis(values, runs, baselineMetrics, methods, ratios, cells, baselineCells, differences,
                capacity(runs, ratios, settings, label));
    }

    /** The finetune baseline of the run's seed, the reference of its forward transfer. */
    private static Optional<ReportRun> reference(ReportRun run, List<ReportRun> baselines) {
        return baselines.stream().filter(b -> b.method().equals(FWT_REFERENCE) && b.seed() == run.seed()
                && b.accuracy().tasks() == run.accuracy().tasks()).findFirst();
    }

    /** Mean, sd and interval of {@code values}, empty for none; {@code purpose} seeds a bootstrap's draws. */
    static Optional<Summary> summarize(double[] values, ReportConfig settings, String purpose) {
        if (values.length == 0) {
            return Optional.empty();
        }
        return Optional.of(new Summary(Statistics.mean(values), Statistics.sd(values), values.length,
                Statistics.interval(values, settings.interval(), settings.confidence(), settings.bootstrapSamples(),
                        purpose)));
    }

    /**
     * ACC of first − second for every seed both ran at {@code ratio} (a baseline is taken at every ratio). Two
     * runs of one method with the same seed and ratio would be reruns of one experiment: their mean is used.
     */
    static PairedDifference difference(ReportConfig.Comparison comparison, double ratio, List<RunMetrics> runs,
                                       List<RunMetrics> baselines, ReportConfig settings, String facetLabel) {
        Map<Long, Double> first = accBySeed(comparison.first(), ratio, runs, baselines);
        Map<Long, Double> second = accBySeed(comparison.second(), ratio, runs, baselines);
        List<Long> seeds = new ArrayList<>(new TreeSet<>(first.keySet()));
        seeds.retainAll(second.keySet());
        List<Double> diffs = seeds.stream().map(s -> first.get(s) - second.get(s)).toList();
        double[] values = diffs.stream().mapToDouble(Double::doubleValue).toArray();
        return new PairedDifference(comparison, ratio, seeds, diffs, Statistics.mean(values),
                Statistics.interval(values, settings.interval(), settings.confidence(), settings.bootstrapSamples(),
                        facetLabel + " " + comparison.label() + " " + ratio),
                settings.confidence(), settings.interval());
    }

    private static Map<Long, Double> accBySeed(String method, double ratio, List<RunMetrics> runs,
                                               List<RunMetrics> baselines) {
        Map<Long, List<Double>> values = new TreeMap<>();
        for (RunMetrics m : runs) {
            if (m.run().method().equals(method) && m.run().ratio() == ratio) {
                values.computeIfAbsent(m.run().seed(), k -> new ArrayList<>()).add(Metric.ACC.percent(m));
            }
        }
        for (RunMetrics m : baselines) {
            if (m.run().method().equals(method)) {
                values.computeIfAbsent(m.run().seed(), k -> new ArrayList<>()).add(Metric.ACC.percent(m));
            }
        }
        Map<Long, Double> means = new TreeMap<>();
        values.forEach((seed, list) -> means.put(seed,
                list.stream().mapToDouble(Double::doubleValue).average().orElseThrow()));
        return means;
    }

    /** Per ratio and task, the share of trunk weights the task owns (percent), over every run at that ratio. */
    private static Map<Double, List<Summary>> capacity(List<RunMetrics> runs, List<Double> ratios,
                                                       ReportConfig settings, String label) {
        Map<Double, List<Summary>> capacity = new TreeMap<>();
        for (double ratio : ratios) {
            List<List<TaskRecord>> records = runs.stream().filter(m -> m.run().ratio() == ratio)
                    .map(m -> m.run().tasks()).filter(t -> !t.isEmpty()).toList();
            int tasks = records.stream().mapToInt(List::size).max().orElse(0);
            List<Summary> perTask = new ArrayList<>();
            for (int t = 0; t < tasks; t++) {
                final int task = t;
                double[] v = records.stream().filter(l -> l.size() > task)
                        .mapToDouble(l -> 100 * l.get(task).capacityOwned()).toArray();
                perTask.add(summarize(v, settings, label + " capacity " + ratio + " " + t).orElseThrow());
            }
            if (!perTask.isEmpty()) {
                capacity.put(ratio, perTask);
            }
        }
        return capacity;
    }
}
