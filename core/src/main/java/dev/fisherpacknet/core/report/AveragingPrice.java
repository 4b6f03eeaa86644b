package dev.fisherpacknet.core.report;

import dev.fisherpacknet.core.config.ReportConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What data-parallel training costs against the protocol's sequential training: for every score (and baseline) and
 * ratio, at every worker count and averaging frequency, ACC and learning accuracy over seeds and the wall time per
 * run. Users read it before choosing parameter averaging: it takes fewer sequential optimiser steps per epoch and so
 * learns differently, and these rows show by how much. Computed only for sweeps that vary {@link #AXES}: elsewhere
 * every run trains the same way and the header says how.
 *
 * @param otherAxes the sweep's other facet axes (e.g. {@code training.learning-rate}), in axis order: runs that
 *                  differ in them are not seeds of one experiment, so their values split the rows too
 * @param rows      one per (values of the other axes, method, ratio, workers, averaging frequency, batch size):
 *                  other axes' values and methods as they first appear (scores before baselines), numbers ascending
 */
public record AveragingPrice(List<String> otherAxes, List<Row> rows) {
    /** The axes that make runs of a sweep differ in how (and whether) they average parameters. */
    public static final List<String> AXES = List.of("spark.workers", "spark.averaging-frequency");

    /**
     * The runs of one method at one ratio trained one way, over seeds.
     *
     * @param otherFacets        the runs' values of the other axes, keyed by config path
     * @param method             the score, or the baseline's name
     * @param ratio              the pruning ratio; NaN for a baseline
     * @param workers            training replicas (1: sequential); 0 when unknown
     * @param averagingFrequency minibatches each worker fits between averagings; 0 when unknown
     * @param batchSize          examples per minibatch; 0 when unknown
     * @param acc                ACC (%) over the runs
     * @param learningAccuracy   learning accuracy (%) over the runs; empty where no run defines it (joint)
     * @param meanSeconds        mean wall time per run, in seconds
     */
    public record Row(Map<String, String> otherFacets, String method, double ratio, int workers,
                      int averagingFrequency, int batchSize, Summary acc, Optional<Summary> learningAccuracy,
                      double meanSeconds) {
        public Row {
            otherFacets = Collections.unmodifiableMap(new LinkedHashMap<>(otherFacets));
            Objects.requireNonNull(method);
            Objects.requireNonNull(acc);
            Objects.requireNonNull(learningAccuracy);
        }

        /** Whether the row's runs are baselines that do not prune. */
        public boolean isBaseline() {
            return Double.isNaN(ratio);
        }

        /** Whether the row's runs trained sequentially, the reference the averaged rows are read against. */
        public boolean sequential() {
            return workers == 1;
        }

        /** The runs' seeds (runs, should a seed repeat). */
        public int n() {
            return acc.n();
        }

        /** Workers × averaging frequency × batch size; 0 for sequential training or when a factor is unknown. */
        public long examplesPerRound() {
            return RunTraining.examplesPerRound(workers, averagingFrequency, batchSize);
        }
    }

    public AveragingPrice {
        otherAxes = List.copyOf(otherAxes);
        rows = List.copyOf(rows);
    }

    /** Whether a sweep over {@code axes} varies how runs average parameters, so that the section is shown. */
    public static boolean applies(List<String> axes) {
        return axes.stream().anyMatch(AXES::contains);
    }

    /** The rows of {@code input}'s runs, or empty when its sweep does not vary {@link #AXES}. */
    public static Optional<AveragingPrice> of(ReportInput input) {
        if (!applies(input.axes())) {
            return Optional.empty();
        }
        List<String> otherAxes = input.axes().stream()
                .filter(a -> !ReportRun.CORE_AXES.contains(a) && !AXES.contains(a)).toList();
        Map<Key, List<ReportRun>> groups = new LinkedHashMap<>();
        for (ReportRun run : input.runs()) {
            Map<String, String> other = new LinkedHashMap<>();
            // A baseline lacks the axes it is not crossed with (prune.*, training.optimizer-reset): its rows go
            // without their values.
            otherAxes.stream().filter(run.facets()::containsKey).forEach(a -> other.put(a, run.facets().get(a)));
            RunTraining t = run.training();
            groups.computeIfAbsent(new Key(other, run.method(), run.ratio(), t.workers(), t.averagingFrequency(),
                    t.batchSize()), k -> new ArrayList<>()).add(run);
        }
        List<Map<String, String>> otherOrder = groups.keySet().stream().map(Key::other).distinct().toList();
        List<String> methodOrder = groups.keySet().stream().map(Key::method).distinct().toList();
        List<Key> keys = new ArrayList<>(groups.keySet());
        keys.sort(Comparator.<Key>comparingInt(k -> otherOrder.indexOf(k.other()))
                .thenComparing(k -> Double.isNaN(k.ratio()))
                .thenComparingInt(k -> methodOrder.indexOf(k.method()))
                .thenComparingDouble(Key::ratio)
                .thenComparingInt(Key::workers)
                .thenComparingInt(Key::averagingFrequency)
                .thenComparingInt(Key::batchSize));
        ReportConfig settings = input.settings();
        List<Row> rows = new ArrayList<>();
        for (Key key : keys) {
            List<RunMetrics> runs = groups.get(key).stream().map(r -> RunMetrics.of(r, Optional.empty())).toList();
            String purpose = "averaging " + key.other() + " " + key.method() + " " + key.ratio() + " "
                    + key.workers() + " " + key.averagingFrequency() + " " + key.batchSize();
            Optional<Summary> acc = Analysis.summarize(values(runs, Metric.ACC), settings, purpose + " ACC");
            if (acc.isEmpty()) {
                continue;
            }
            rows.add(new Row(key.other(), key.method(), key.ratio(), key.workers(), key.averagingFrequency(),
                    key.batchSize(), acc.get(), Analysis.summarize(values(runs, Metric.LEARNING_ACCURACY), settings,
                    purpose + " learning accuracy"),
                    runs.stream().mapToLong(m -> m.run().millis()).average().orElseThrow() / 1000));
        }
        return Optional.of(new AveragingPrice(otherAxes, rows));
    }

    /** The metric's finite values over {@code runs}, in percent. */
    private static double[] values(List<RunMetrics> runs, Metric metric) {
        return runs.stream().mapToDouble(metric::percent).filter(Double::isFinite).toArray();
    }

    /** What makes runs seeds of one row. */
    private record Key(Map<String, String> other, String method, double ratio, int workers, int averagingFrequency,
                       int batchSize) {
    }
}
