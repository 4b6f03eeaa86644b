package dev.fisherpacknet.core.report;

import dev.fisherpacknet.core.config.IntervalMethod;
import dev.fisherpacknet.core.config.ReportConfig;
import dev.fisherpacknet.core.run.Phase;
import dev.fisherpacknet.core.run.TaskRecord;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What the report says, in order: the runs and how they were trained, the answer (verdicts), how to read it, the
 * price of parameter averaging (when the sweep varies it), per facet the tables and plots, every run, timings,
 * environment and configuration. Numbers are percent (levels) or percentage points (differences), two
 * decimals.
 */
final class ReportContent {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private final Analysis analysis;
    private final List<Plots.FacetPlots> plots;
    private final List<Plot> averagingPlots;
    private final ReportInput input;
    private final ReportConfig settings;
    private final List<Block> blocks = new ArrayList<>();

    private ReportContent(Analysis analysis, Plots.Drawn plots) {
        this.analysis = analysis;
        this.plots = plots.facets();
        this.averagingPlots = plots.averaging();
        this.input = analysis.input();
        this.settings = input.settings();
    }

    /** The report's blocks for {@code analysis}, with {@code plots} (one entry per facet; may be empty lists). */
    static List<Block> build(Analysis analysis, Plots.Drawn plots) {
        ReportContent content = new ReportContent(analysis, plots);
        content.title();
        content.answer();
        content.howToRead();
        analysis.averaging().ifPresent(content::averaging);
        for (int f = 0; f < analysis.facets().size(); f++) {
            content.facet(f);
        }
        content.runs();
        content.timings();
        content.environment();
        content.omissions();
        return List.copyOf(content.blocks);
    }

    private void add(Block block) {
        blocks.add(block);
    }

    private String intervalName() {
        return Format.percent(settings.confidence()) + " " + (settings.interval() == IntervalMethod.T
                ? "t-interval" : "percentile bootstrap interval (" + settings.bootstrapSamples() + " resamples)");
    }

    private void title() {
        add(new Block.Heading(1, input.experiment() + ": sweep report"));
        List<ReportRun> pruned = input.runs().stream().filter(r -> !r.isBaseline()).toList();
        List<String> methods = pruned.stream().map(ReportRun::method).distinct().toList();
        List<String> ratios = new TreeSet<>(pruned.stream().map(ReportRun::ratio).toList()).stream()
                .map(Format::ratio).toList();
        long seeds = input.runs().stream().mapToLong(ReportRun::seed).distinct().count();
        List<String> baselines = input.runs().stream().filter(ReportRun::isBaseline).map(ReportRun::method)
                .distinct().toList();
        String facets = input.axes().stream().filter(a -> !ReportRun.CORE_AXES.contains(a))
                .collect(Collectors.joining(", "));
        add(new Block.Paragraph(input.runs().size() + " runs: scores " + String.join(", ", methods)
                + " at pruning ratios " + String.join(", ", ratios) + ", " + seeds + " seed(s)"
                + (baselines.isEmpty() ? "" : "; baselines " + String.join(", ", baselines))
                + (facets.isEmpty() ? "" : "; also swept: " + facets) + ". Config: " + input.source()
                + ". Finished " + TIME.format(input.env().finished()) + "."));
        add(training(input.runs()));
        if (!input.failures().isEmpty()) {
            add(new Block.Heading(2, "Failed runs"));
            add(new Block.Paragraph(input.failures().size() + " run(s) of this sweep did not finish and are left out"
                    + " of every table, plot and comparison below: a cell's mean and interval are over the seeds whose"
                    + " run finished, and a paired difference uses only the seeds at which both scores finished."));
            add(new Block.Bullets(input.failures()));
        }
    }

    /**
     * "Training: procedure; optimiser reset; initialisation — n runs", one line per way the runs were trained:
     * sequential training and parameter averaging give different results, so a reader must know which produced
     * the numbers.
     */
    static Block training(List<ReportRun> runs) {
        Map<String, Long> counts = new LinkedHashMap<>();
        runs.forEach(r -> counts.merge(r.training().description(), 1L, Long::sum));
        List<String> lines = new ArrayList<>();
        counts.forEach((description, n) -> lines.add("Training: " + (description.equals(
                RunTraining.UNKNOWN_DESCRIPTION) ? "unknown (the result files predate the record of the training"
                + " procedure)" : description) + " — " + n + (n == 1 ? " run" : " runs")));
        return lines.size() == 1 ? new Block.Paragraph(lines.get(0) + ".") : new Block.Bullets(lines);
    }

    private void answer() {
        add(new Block.Heading(2, "Answer"));
        add(new Block.Paragraph("The question: does choosing each task's weights by Fisher information forget less"
                + " and keep more accuracy than choosing them by magnitude? Each line below compares two scores by"
                + " their paired difference in ACC (same seed, so same data, task permutations and initialisation),"
                + " mean over seeds with its " + intervalName() + ", at every pruning ratio."));
        List<String> verdicts = new ArrayList<>();
        boolean several = analysis.facets().size() > 1;
        for (FacetAnalysis facet : analysis.facets()) {
            for (List<PairedDifference> ds : facet.differencesByComparison().values()) {
                verdicts.add((several ? "[" + facet.label() + "] " : "") + Verdicts.overall(ds) + ".");
            }
        }
        if (verdicts.isEmpty()) {
            add(new Block.Paragraph("No comparisons: " + (settings.compare().isEmpty()
                    ? "the default compares every score with " + ReportConfig.REFERENCE + ", and this sweep has no "
                    + ReportConfig.REFERENCE + " runs; name the pairs in report.compare."
                    : "none of report.compare's pairs has runs in this sweep.")));
        } else {
            add(new Block.Bullets(verdicts));
        }
        add(new Block.Paragraph(forgettingSentence()));
        List<String> best = new ArrayList<>();
        for (FacetAnalysis facet : analysis.facets()) {
            for (double ratio : facet.ratios()) {
                facet.methods().stream()
                        .filter(m -> facet.cell(Metric.ACC, m, ratio).isPresent())
                        .max((a, b) -> Double.compare(facet.cell(Metric.ACC, a, ratio).orElseThrow().mean(),
                                facet.cell(Metric.ACC, b, ratio).orElseThrow().mean()))
                        .ifPresent(m -> best.add((several ? "[" + facet.label() + "] " : "") + "p = "
                                + Format.ratio(ratio) + ": " + m + " ("
                                + Format.number(facet.cell(Metric.ACC, m, ratio).orElseThrow().mean(), 2) + "%)"));
            }
        }
        if (!best.isEmpty()) {
            add(new Block.Paragraph("Highest mean ACC at each ratio (a ranking of means, not a test): "
                    + String.join("; ", best) + "."));
        }
        int maxSeeds = analysis.facets().stream().flatMap(f -> f.differences().stream())
                .mapToInt(PairedDifference::n).max().orElse(0);
        if (maxSeeds == 1) {
            add(new Block.Paragraph("Every comparison rests on one seed: the differences are shown, but no interval"
                    + " is possible and no verdict is drawn. Run more seeds (e.g. seed = [1, 2, 3]) before reading"
                    + " differences of a point or two."));
        }
        if (!plots.isEmpty()) {
            plots.get(0).acc().ifPresent(p -> add(new Block.Figure(p)));
            plots.get(0).differences().ifPresent(p -> add(new Block.Figure(p)));
        }
    }

    private String forgettingSentence() {
        double maxBwt = 0;
        double maxForgetting = 0;
        for (FacetAnalysis facet : analysis.facets()) {
            for (RunMetrics m : facet.runs()) {
                maxBwt = Math.max(maxBwt, Math.abs(Metric.BWT.percent(m)));
                maxForgetting = Math.max(maxForgetting, Metric.FORGETTING.percent(m));
            }
        }
        if (maxBwt == 0 && maxForgetting == 0) {
            return "Forgetting: none. BWT and forgetting are exactly 0 in every pruned run, as ownership guarantees,"
                    + " so the scores differ only in how much accuracy each task reaches with the weights it keeps"
                    + " and how much capacity it leaves to later tasks.";
        }
        return "Forgetting: the largest |BWT| of a pruned run is " + Format.number(maxBwt, 2) + " pp and the largest"
                + " forgetting " + Format.number(maxForgetting, 2) + " pp. Under ownership both must be exactly 0:"
                + " a non-zero value points to a bug, not to a property of a score.";
    }

    private void howToRead() {
        add(new Block.Heading(2, "How to read this report"));
        List<String> items = new ArrayList<>();
        items.add("R[t][j] is the test accuracy on task j after training task t. Percent (%) for accuracies,"
                + " percentage points (pp) for differences.");
        for (Metric metric : Metric.values()) {
            items.add(metric.label() + " (" + metric.unit() + "): " + metric.definition() + ".");
        }
        items.add("Cells \"mean [lo, hi]\" give the mean over seeds and its " + intervalName() + "; a cell with one"
                + " seed has no interval.");
        items.add("A paired difference first − second is computed seed by seed, then averaged. \"X better\" means"
                + " the whole interval lies on X's side of 0; \"no significant difference\" means it contains 0"
                + " (the data cannot tell the two apart at this confidence, which is not proof that they are"
                + " equal).");
        items.add("Each interval is at " + Format.percent(settings.confidence()) + " on its own; with many ratios"
                + " and comparisons, a few intervals will exclude 0 by chance (about "
                + Format.number(100 * (1 - settings.confidence()), 0) + " in 100 when there is no difference). Trust"
                + " a pattern across ratios more than a single cell.");
        items.add("Plots: each is embedded below and written to plots/ as PNG and as SVG (for papers).");
        add(new Block.Bullets(items));
    }

    /**
     * The price of parameter averaging: per method, ratio, worker count and averaging frequency, ACC and learning
     * accuracy over seeds and the wall time per run, read against the sequential (1-worker) rows.
     */
    private void averaging(AveragingPrice price) {
        add(new Block.Heading(2, "The price of parameter averaging"));
        add(new Block.Paragraph("The reference procedure is 1 worker: sequential training, one optimiser step per"
                + " minibatch, as the protocol prescribes; with w workers averaged every f minibatches an epoch takes"
                + " about w times fewer sequential optimiser steps, so read each row against the 1-worker row of the"
                + " same method and ratio. Cells \"mean [lo, hi]\": mean over seeds and its " + intervalName()
                + "; wall time: mean per run; with 1 worker the averaging frequency is not read, so those rows"
                + " repeat one training."));
        List<String> header = new ArrayList<>(List.of("method", "p"));
        header.addAll(price.otherAxes());
        header.addAll(List.of("workers", "averaging frequency", "examples per averaging round", "seeds", "ACC (%)",
                Metric.LEARNING_ACCURACY.label() + " (" + Metric.LEARNING_ACCURACY.unit() + ")",
                "wall time per run (s)"));
        List<List<String>> rows = new ArrayList<>();
        for (AveragingPrice.Row row : price.rows()) {
            List<String> cells = new ArrayList<>(List.of(row.method() + (row.isBaseline() ? " (baseline)" : ""),
                    row.isBaseline() ? "–" : Format.ratio(row.ratio())));
            price.otherAxes().forEach(a -> cells.add(row.otherFacets().getOrDefault(a, "")));
            cells.add(known(row.workers()));
            cells.add(known(row.averagingFrequency()));
            cells.add(row.sequential() ? "–" : row.examplesPerRound() > 0 ? String.valueOf(row.examplesPerRound())
                    : "unknown");
            cells.add(String.valueOf(row.n()));
            cells.add(cell(row.acc()));
            cells.add(row.learningAccuracy().map(ReportContent::cell).orElse("n/a"));
            cells.add(Format.number(row.meanSeconds(), 1));
            rows.add(cells);
        }
        List<Boolean> numeric = new ArrayList<>();
        header.forEach(h -> numeric.add(!h.equals("method") && !price.otherAxes().contains(h)));
        add(new Block.Table("averaging", header, numeric, rows));
        if (averagingPlots.isEmpty()) {
            add(new Block.Paragraph("No chart: no run of this sweep averaged parameters (every one had 1 worker, or"
                    + " its batch size is not known)."));
        }
        averagingPlots.forEach(p -> add(new Block.Figure(p)));
    }

    /** A count, or "unknown" for 0 (result files that do not record it). */
    private static String known(int count) {
        return count > 0 ? String.valueOf(count) : "unknown";
    }

    private void facet(int index) {
        FacetAnalysis facet = analysis.facets().get(index);
        Plots.FacetPlots facetPlots = index < plots.size() ? plots.get(index)
                : Plots.FacetPlots.none();
        String suffix = analysis.facets().size() > 1 ? "-f" + (index + 1) : "";
        add(new Block.Heading(2, "Results" + (facet.label().isEmpty() ? "" : ": " + facet.label())));

        add(new Block.Heading(3, "ACC (%) by score and pruning ratio"));
        List<String> header = new ArrayList<>(List.of("method"));
        facet.ratios().forEach(r -> header.add("p = " + Format.ratio(r)));
        List<List<String>> rows = new ArrayList<>();
        for (String method : facet.methods()) {
            List<String> row = new ArrayList<>(List.of(method));
            for (double ratio : facet.ratios()) {
                row.add(facet.cell(Metric.ACC, method, ratio).map(ReportContent::cell).orElse(""));
            }
            rows.add(row);
        }
        facet.baselineCells().get(Metric.ACC).forEach((method, summary) -> {
            List<String> row = new ArrayList<>(List.of(method + " (baseline)"));
            facet.ratios().forEach(r -> row.add(cell(summary)));
            rows.add(row);
        });
        add(table("acc" + suffix, header, rows));
        if (index > 0 || analysis.facets().size() > 1) {
            facetPlots.acc().ifPresent(p -> add(new Block.Figure(p)));
        }

        if (!facet.differences().isEmpty()) {
            add(new Block.Heading(3, "Paired differences in ACC (pp)"));
            List<List<String>> diffRows = new ArrayList<>();
            for (PairedDifference d : facet.differences()) {
                diffRows.add(List.of(d.comparison().label(), Format.ratio(d.ratio()), String.valueOf(d.n()),
                        Format.number(d.mean(), 2), d.ci().map(ci -> Format.number(ci.lo(), 2)).orElse(""),
                        d.ci().map(ci -> Format.number(ci.hi(), 2)).orElse(""), Verdicts.sentence(d)));
            }
            add(new Block.Table("differences" + suffix, List.of("comparison", "p", "seeds", "mean (pp)", "CI low",
                    "CI high", "verdict"), List.of(false, true, true, true, true, true, false), diffRows));
            if (index > 0 || analysis.facets().size() > 1) {
                facetPlots.differences().ifPresent(p -> add(new Block.Figure(p)));
            }
        }

        add(new Block.Heading(3, "Forgetting, transfer and Fisher mass kept"));
        add(new Block.Paragraph("Means over seeds." + (hasFwt() ? " FWT is measured against the "
                + Analysis.FWT_REFERENCE + " baseline of the same seed." : " No FWT column: it needs the "
                + Analysis.FWT_REFERENCE + " baseline, which this sweep has not run (see the end of the report).")));
        List<Metric> metrics = new ArrayList<>(List.of(Metric.ACC, Metric.BWT, Metric.FORGETTING,
                Metric.LEARNING_ACCURACY, Metric.FWT, Metric.FISHER_MASS, Metric.KEPT_SHARE));
        if (!hasFwt()) {
            metrics.remove(Metric.FWT);
        }
        List<String> metricHeader = new ArrayList<>(List.of("method", "p", "seeds"));
        metrics.forEach(m -> metricHeader.add(m.label() + " (" + m.unit() + ")"));
        List<List<String>> metricRows = new ArrayList<>();
        for (String method : facet.methods()) {
            for (double ratio : facet.ratios()) {
                Optional<Summary> acc = facet.cell(Metric.ACC, method, ratio);
                if (acc.isEmpty()) {
                    continue;
                }
                List<String> row = new ArrayList<>(List.of(method, Format.ratio(ratio),
                        String.valueOf(acc.get().n())));
                metrics.forEach(m -> row.add(facet.cell(m, method, ratio).map(s -> Format.number(s.mean(), 2))
                        .orElse("")));
                metricRows.add(row);
            }
        }
        for (String method : facet.baselineMethods()) {
            List<String> row = new ArrayList<>(List.of(method + " (baseline)", "",
                    String.valueOf(facet.baselineCells().get(Metric.ACC).get(method).n())));
            // A metric a baseline does not define (BWT of joint; Fisher mass of any) reads n/a, not an empty cell.
            metrics.forEach(m -> row.add(Optional.ofNullable(facet.baselineCells().get(m).get(method))
                    .map(s -> Format.number(s.mean(), 2)).orElse("n/a")));
            metricRows.add(row);
        }
        add(table("metrics" + suffix, metricHeader, metricRows));
        forgettingPerTask(facet, suffix);
        facetPlots.fisherMass().ifPresent(p -> add(new Block.Figure(p)));

        List<ScoreAgreements.Row> agreements = ScoreAgreements.taskZero(
                facet.runs().stream().map(RunMetrics::run).toList(), facet.ratios());
        if (!agreements.isEmpty()) {
            add(new Block.Heading(3, "Agreement between scores (task 0)"));
            add(new Block.Paragraph("At task 0 every run of a seed selects from the same densely trained network,"
                    + " so these figures compare the criteria alone: Spearman's rank correlation of two scores over"
                    + " a weight matrix, and the Jaccard index |A ∩ B| / |A ∪ B| of the weights each would keep at"
                    + " ratio p (1: the same weights; for two unrelated scores keeping a share k of the weights, about"
                    + " k / (2 - k)). Means over seeds; every task and run is in agreement.csv."));
            List<String> agreementHeader = new ArrayList<>(List.of("scores", "layer", "Spearman ρ"));
            facet.ratios().forEach(r -> agreementHeader.add("Jaccard, p = " + Format.ratio(r)));
            List<List<String>> agreementRows = new ArrayList<>();
            for (ScoreAgreements.Row row : agreements) {
                List<String> cells = new ArrayList<>(List.of(row.score() + " vs " + row.other(),
                        String.valueOf(row.layer()), fixed(row.spearman())));
                facet.ratios().forEach(r -> cells.add(fixed(row.jaccard().get(r))));
                agreementRows.add(cells);
            }
            add(table("agreement" + suffix, agreementHeader, agreementRows));
        }
        facetPlots.fisherVsMagnitude().ifPresent(p -> add(new Block.Figure(p)));

        if (!facet.capacity().isEmpty()) {
            add(new Block.Heading(3, "Capacity per task (% of trunk weights owned)"));
            int tasks = facet.capacity().values().stream().mapToInt(List::size).max().orElse(0);
            List<String> capHeader = new ArrayList<>(List.of("p"));
            for (int t = 0; t < tasks; t++) {
                capHeader.add("task " + t);
            }
            capHeader.add("free at end");
            List<List<String>> capRows = new ArrayList<>();
            facet.capacity().forEach((ratio, perTask) -> {
                List<String> row = new ArrayList<>(List.of(Format.ratio(ratio)));
                double owned = 0;
                for (int t = 0; t < tasks; t++) {
                    row.add(t < perTask.size() ? Format.number(perTask.get(t).mean(), 2) : "");
                    owned += t < perTask.size() ? perTask.get(t).mean() : 0;
                }
                row.add(Format.number(100 - owned, 2));
                capRows.add(row);
            });
            add(table("capacity" + suffix, capHeader, capRows));
            facetPlots.capacity().ifPresent(p -> add(new Block.Figure(p)));
        }

        if (!facetPlots.taskAccuracy().isEmpty()) {
            add(new Block.Heading(3, "Accuracy of each task over time"));
            add(new Block.Paragraph("R[t][j] as later tasks are learned, one chart per score and ratio. Under"
                    + " ownership every line is flat: a task's accuracy never changes once it is learned."));
            add(new Block.Details("Show " + facetPlots.taskAccuracy().size() + " charts",
                    List.of(new Block.FigureGrid(facetPlots.taskAccuracy()))));
        }
        if (!facetPlots.rMatrices().isEmpty()) {
            add(new Block.Heading(3, "R matrix of each run"));
            add(new Block.Details("Show " + facetPlots.rMatrices().size() + " heat maps",
                    List.of(new Block.FigureGrid(facetPlots.rMatrices()))));
        }
    }

    /** Whether any run has a finetune reference, so that FWT is defined somewhere. */
    private boolean hasFwt() {
        return analysis.facets().stream().flatMap(f -> f.runs().stream()).anyMatch(m -> m.fwtPerTask().isPresent());
    }

    /** Forgetting of each task j < T-1 (pp), mean over seeds, for every score and ratio and every baseline. */
    private void forgettingPerTask(FacetAnalysis facet, String suffix) {
        int tasks = java.util.stream.Stream.concat(facet.runs().stream(), facet.baselines().stream())
                .mapToInt(m -> m.forgettingPerTask().size()).max().orElse(0);
        if (tasks == 0) {
            return;
        }
        List<String> header = new ArrayList<>(List.of("method", "p"));
        for (int j = 0; j < tasks; j++) {
            header.add("task " + j);
        }
        List<List<String>> rows = new ArrayList<>();
        for (String method : facet.methods()) {
            for (double ratio : facet.ratios()) {
                List<RunMetrics> runs = facet.runs().stream()
                        .filter(m -> m.run().method().equals(method) && m.run().ratio() == ratio).toList();
                if (!runs.isEmpty()) {
                    rows.add(forgettingRow(method, Format.ratio(ratio), runs, tasks));
                }
            }
        }
        for (String method : facet.baselineMethods()) {
            rows.add(forgettingRow(method + " (baseline)", "", facet.baselines().stream()
                    .filter(m -> m.run().method().equals(method)).toList(), tasks));
        }
        add(new Block.Paragraph("Forgetting per task (pp): each task's best accuracy before the last task minus its"
                + " final accuracy, mean over seeds. Under ownership every cell is 0.00."));
        add(new Block.Details("Show forgetting per task", List.of(table("forgetting" + suffix, header, rows))));
    }

    private static List<String> forgettingRow(String method, String ratio, List<RunMetrics> runs, int tasks) {
        List<String> row = new ArrayList<>(List.of(method, ratio));
        for (int j = 0; j < tasks; j++) {
            final int task = j;
            java.util.OptionalDouble mean = runs.stream().filter(m -> task < m.forgettingPerTask().size())
                    .mapToDouble(m -> 100 * m.forgettingPerTask().get(task)).average();
            row.add(mean.isPresent() ? Format.number(mean.getAsDouble(), 2) : "");
        }
        return row;
    }

    private static String fixed(java.util.OptionalDouble value) {
        return value.isPresent() ? Format.number(value.getAsDouble(), 3) : "";
    }

    private static String cell(Summary s) {
        String mean = Format.number(s.mean(), 2);
        return s.ci().map(ci -> mean + " [" + Format.number(ci.lo(), 2) + ", " + Format.number(ci.hi(), 2) + "]")
                .orElse(mean);
    }

    private static Block.Table table(String id, List<String> header, List<List<String>> rows) {
        List<Boolean> numeric = new ArrayList<>(Collections.nCopies(header.size(), true));
        numeric.set(0, false);
        return new Block.Table(id, header, numeric, rows);
    }

    private void runs() {
        add(new Block.Heading(2, "Runs"));
        List<String> facetAxes = input.axes().stream().filter(a -> !ReportRun.CORE_AXES.contains(a)).toList();
        List<String> header = new ArrayList<>(List.of("run", "seed", "method", "p"));
        header.addAll(facetAxes);
        List<Metric> metrics = new ArrayList<>(List.of(Metric.ACC, Metric.BWT, Metric.FORGETTING,
                Metric.LEARNING_ACCURACY, Metric.FWT, Metric.FISHER_MASS));
        if (!hasFwt()) {
            metrics.remove(Metric.FWT);
        }
        metrics.forEach(m -> header.add(m.label() + " (" + m.unit() + ")"));
        header.add("time");
        List<List<String>> rows = new ArrayList<>();
        for (ReportRun run : input.runs()) {
            RunMetrics m = metricsOf(run);
            List<String> row = new ArrayList<>(List.of(run.id(), String.valueOf(run.seed()), run.method(),
                    run.isBaseline() ? "" : Format.ratio(run.ratio())));
            facetAxes.forEach(a -> row.add(run.facets().getOrDefault(a, "")));
            for (Metric metric : metrics) {
                double v = metric.percent(m);
                row.add(Double.isFinite(v) ? Format.number(v, 2) : run.isBaseline() ? "n/a" : "");
            }
            row.add(duration(run.millis()));
            rows.add(row);
        }
        List<Boolean> numeric = new ArrayList<>();
        for (String column : header) {
            numeric.add(!List.of("run", "method").contains(column) && !facetAxes.contains(column));
        }
        add(new Block.Table("runs", header, numeric, rows));
    }

    /** The metrics the analysis computed for {@code run} (with its FWT reference), in any facet. */
    private RunMetrics metricsOf(ReportRun run) {
        return analysis.facets().stream().flatMap(f -> Stream.concat(f.runs().stream(),
                f.baselines().stream())).filter(m -> m.run() == run).findFirst()
                .orElseGet(() -> RunMetrics.of(run, Optional.empty()));
    }

    private void timings() {
        add(new Block.Heading(2, "Timings"));
        Map<Phase, Long> byPhase = new EnumMap<>(Phase.class);
        long tasks = 0;
        for (ReportRun run : input.runs()) {
            for (TaskRecord task : run.tasks()) {
                tasks++;
                task.millisByPhase().forEach((phase, ms) -> byPhase.merge(phase, ms, Long::sum));
            }
        }
        long runMillis = input.runs().stream().mapToLong(ReportRun::millis).sum();
        long phaseTotal = byPhase.values().stream().mapToLong(Long::longValue).sum();
        add(new Block.Paragraph("Sweep wall time " + duration(input.env().wallTime().toMillis()) + " ("
                + TIME.format(input.env().started()) + " to " + TIME.format(input.env().finished()) + "); runs "
                + duration(runMillis) + " in total, " + (input.runs().isEmpty() ? "no runs"
                : duration(runMillis / input.runs().size()) + " per run on average") + "."));
        if (tasks > 0) {
            List<List<String>> rows = new ArrayList<>();
            for (Phase phase : Phase.values()) {
                long ms = byPhase.getOrDefault(phase, 0L);
                rows.add(List.of(phase.configName(), duration(ms),
                        Format.number(phaseTotal > 0 ? 100.0 * ms / phaseTotal : 0, 1),
                        Format.number(ms / 1000.0 / tasks, 2)));
            }
            add(table("timings", List.of("phase", "total", "share (%)", "mean per task (s)"), rows));
        }
    }

    private void environment() {
        add(new Block.Heading(2, "Environment"));
        Environment env = input.env();
        List<List<String>> rows = List.of(
                List.of("fisher-packnet", env.projectVersion()),
                List.of("Deeplearning4j / ND4J", env.dl4jVersion()),
                List.of("Spark", env.sparkVersion()),
                List.of("Java", env.javaVersion()),
                List.of("operating system", env.os()),
                List.of("cores (driver JVM)", env.cores() > 0 ? String.valueOf(env.cores()) : "unknown"),
                List.of("Spark master", env.sparkMaster()),
                List.of("Spark default parallelism", env.parallelism() > 0 ? String.valueOf(env.parallelism())
                        : "unknown"),
                List.of("git commit", env.gitCommit()),
                List.of("started", TIME.format(env.started())),
                List.of("finished", TIME.format(env.finished())),
                List.of("config source", input.source()),
                List.of("report settings", "interval " + settings.interval().configName() + ", confidence "
                        + settings.confidence() + (settings.interval() == IntervalMethod.BOOTSTRAP
                        ? ", " + settings.bootstrapSamples() + " resamples" : "") + ", comparisons "
                        + (settings.compare().isEmpty() ? "each score vs " + ReportConfig.REFERENCE
                        : settings.compare().stream().map(ReportConfig.Comparison::label)
                        .collect(Collectors.joining(", ")))));
        add(new Block.Table("environment", List.of("what", "value"), List.of(false, false), rows));
        add(new Block.Details("Resolved configuration", List.of(new Block.Preformatted(input.configText()))));
    }

    private void omissions() {
        add(new Block.Heading(2, "Not in this report"));
        List<String> items = new ArrayList<>();
        boolean finetune = input.runs().stream().anyMatch(r -> r.method().equals(Analysis.FWT_REFERENCE));
        if (!finetune) {
            items.add("FWT: forward transfer needs a reference accuracy for each task; with one head per task,"
                    + " R[j-1][j] does not exist, so the reference is the " + Analysis.FWT_REFERENCE + " baseline's"
                    + " R[j][j] of the same seed, which this sweep has not run.");
        }
        if (input.runs().stream().anyMatch(r -> r.method().equals(Analysis.JOINT))) {
            items.add("BWT, forgetting, learning accuracy and FWT of joint (n/a): joint training learns all tasks at"
                    + " once, so only the last row of its R matrix exists and no task is learned before another.");
        }
        items.add("Fisher vs magnitude scatter of one layer's weights: it needs per-weight Fisher values and"
                + " magnitudes, which the result files do not keep.");
        add(new Block.Bullets(items));
    }

    /** "1 h 02 m", "3 m 07 s", "12.3 s", "45 ms". */
    static String duration(long millis) {
        Duration d = Duration.ofMillis(millis);
        if (d.toHours() > 0) {
            return String.format(Locale.ROOT, "%d h %02d m", d.toHours(), d.toMinutesPart());
        }
        if (d.toMinutes() > 0) {
            return String.format(Locale.ROOT, "%d m %02d s", d.toMinutes(), d.toSecondsPart());
        }
        if (millis >= 1000) {
            return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        return millis + " ms";
    }
}
