package dev.fisherpacknet.core.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The analysis of the runs that share one value of every sweep axis other than seed, score and ratio (a facet;
 * a sweep with no other axis has one, with no values).
 *
 * @param values       the facet's axis values, keyed by config path; empty for the only facet
 * @param runs         metrics of every pruned run of the facet, in sweep order
 * @param baselines    metrics of the baseline runs that apply to it (no ratio)
 * @param methods      the scores, in sweep order
 * @param ratios       the pruning ratios, ascending
 * @param cells        metric, then method, then ratio: the summary over seeds (absent where undefined)
 * @param baselineCells metric, then baseline method: the summary over seeds
 * @param differences  every paired difference in ACC, comparison by comparison, ratio ascending
 * @param capacity     ratio, then task: the share of all trunk weights the task owns, in percent
 */
public record FacetAnalysis(Map<String, String> values, List<RunMetrics> runs, List<RunMetrics> baselines,
                            List<String> methods, List<Double> ratios,
                            Map<Metric, Map<String, Map<Double, Summary>>> cells,
                            Map<Metric, Map<String, Summary>> baselineCells, List<PairedDifference> differences,
                            Map<Double, List<Summary>> capacity) {
    public FacetAnalysis {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        runs = List.copyOf(runs);
        baselines = List.copyOf(baselines);
        methods = List.copyOf(methods);
        ratios = List.copyOf(ratios);
    }

    /** "training.learning-rate = 0.01, prune.scope = global", or "" for the only facet of a sweep. */
    public String label() {
        return values.entrySet().stream().map(e -> e.getKey() + " = " + e.getValue())
                .collect(Collectors.joining(", "));
    }

    /** The summary of {@code metric} for {@code method} at {@code ratio}, if any run defines it. */
    public Optional<Summary> cell(Metric metric, String method, double ratio) {
        return Optional.ofNullable(cells.getOrDefault(metric, Map.of()).getOrDefault(method, Map.of()).get(ratio));
    }

    /** The baseline methods present, in input order. */
    public List<String> baselineMethods() {
        return baselines.stream().map(b -> b.run().method()).distinct().toList();
    }

    /** The paired differences of each comparison, in order of the comparisons. */
    public Map<String, List<PairedDifference>> differencesByComparison() {
        Map<String, List<PairedDifference>> grouped = new LinkedHashMap<>();
        for (PairedDifference d : differences) {
            grouped.computeIfAbsent(d.comparison().label(), k -> new ArrayList<>()).add(d);
        }
        return grouped;
    }
}
