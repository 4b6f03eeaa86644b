package dev.fisherpacknet.core.report;

import dev.fisherpacknet.core.config.ReportConfig;
import dev.fisherpacknet.core.results.AtomicFiles;
import dev.fisherpacknet.core.results.OutputLayout;
import dev.fisherpacknet.core.run.WeightSample;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.DoubleFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The report's charts, drawn with XChart into PNG (embedded in the HTML page) and SVG (for papers). Everything is
 * drawn off screen with Java2D, so it works with {@code -Djava.awt.headless=true} and without a display.
 */
public final class Plots {
    /** The plots of one facet; a plot is absent when its data are (e.g. no comparisons, no task records). */
    public record FacetPlots(Optional<Plot> acc, Optional<Plot> differences, Optional<Plot> fisherMass,
                             Optional<Plot> capacity, Optional<Plot> fisherVsMagnitude, List<Plot> taskAccuracy,
                             List<Plot> rMatrices) {
        public FacetPlots {
            taskAccuracy = List.copyOf(taskAccuracy);
            rMatrices = List.copyOf(rMatrices);
        }

        /** A facet with no plots. */
        static FacetPlots none() {
            return new FacetPlots(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), List.of(), List.of());
        }

        /** Every plot, in the order the report shows them. */
        public List<Plot> all() {
            List<Plot> all = new ArrayList<>();
            acc.ifPresent(all::add);
            differences.ifPresent(all::add);
            fisherMass.ifPresent(all::add);
            capacity.ifPresent(all::add);
            fisherVsMagnitude.ifPresent(all::add);
            all.addAll(taskAccuracy);
            all.addAll(rMatrices);
            return all;
        }
    }

    private static final int WIDTH = 800;
    private static final int HEIGHT = 480;
    private static final int SMALL_WIDTH = 420;
    private static final int SMALL_HEIGHT = 300;

    /** One colour per method wherever it appears, so a reader learns it once. */
    private static final Map<String, Color> METHOD_COLORS = Map.of(
            "fisher", new Color(0x1f77b4),
            "fisher-saliency", new Color(0xff7f0e),
            "magnitude", new Color(0x2ca02c),
            "random", new Color(0x7f7f7f),
            "finetune", new Color(0x000000),
            "ewc", new Color(0x9467bd),
            "joint", new Color(0x8c564b),
            "feature-extraction", new Color(0xe377c2));
    private static final Color[] OTHER_COLORS = {new Color(0xd62728), new Color(0x17becf), new Color(0xbcbd22),
        new Color(0xaec7e8)};

    /** The markers of successive worker counts, so that a line's worker count reads without its colour. */
    private static final Marker[] WORKER_MARKERS = {SeriesMarkers.CIRCLE, SeriesMarkers.SQUARE,
        SeriesMarkers.DIAMOND, SeriesMarkers.TRIANGLE_UP, SeriesMarkers.TRIANGLE_DOWN};

    private final Path plotDir;

    private Plots(Path plotDir) {
        this.plotDir = plotDir;
    }

    /**
     * Every plot of a report.
     *
     * @param facets    the plots of each facet, in facet order
     * @param averaging the charts of the price of parameter averaging, which span facets; empty unless the sweep
     *                  varies the workers or the averaging frequency
     */
    public record Drawn(List<FacetPlots> facets, List<Plot> averaging) {
        public Drawn {
            facets = List.copyOf(facets);
            averaging = List.copyOf(averaging);
        }

        /** Every plot: the facets', facet by facet, then the averaging charts. */
        public List<Plot> all() {
            List<Plot> all = new ArrayList<>();
            facets.forEach(f -> all.addAll(f.all()));
            all.addAll(averaging);
            return all;
        }
    }

    /**
     * Draws every plot of {@code analysis} into {@code outputDir/plots}. The folder is drawn beside the old one and
     * replaces it whole ({@link AtomicFiles#writeFolder}): it never mixes plots of two drawings (a redrawn report
     * may name its plots differently), and a failure leaves the old one as it was.
     */
    public static Drawn write(Path outputDir, Analysis analysis) {
        List<FacetPlots> facets = new ArrayList<>();
        List<Plot> averaging = new ArrayList<>();
        AtomicFiles.writeFolder(outputDir.resolve(OutputLayout.PLOTS_DIR), folder -> {
            Files.createDirectories(folder);
            Plots plots = new Plots(folder);
            boolean several = analysis.facets().size() > 1;
            for (int f = 0; f < analysis.facets().size(); f++) {
                FacetAnalysis facet = analysis.facets().get(f);
                String prefix = several ? "f" + (f + 1) + "-" : "";
                String suffix = facet.label().isEmpty() ? "" : " (" + facet.label() + ")";
                facets.add(plots.facet(facet, prefix, suffix, analysis.input().settings()));
            }
            analysis.averaging().ifPresent(price -> averaging.addAll(plots.averaging(price,
                    analysis.input().settings())));
        });
        return new Drawn(facets, averaging);
    }

    private FacetPlots facet(FacetAnalysis facet, String prefix, String suffix, ReportConfig settings) {
        String ci = intervalLabel(settings);
        Optional<Plot> acc = facet.ratios().isEmpty() ? Optional.empty() : Optional.of(write(
                new Plot(prefix + "acc-vs-ratio", "ACC vs pruning ratio" + suffix, "Mean final accuracy over tasks"
                        + " by pruning ratio, one line per score; bands: " + ci + " of the mean over seeds (none with"
                        + " one seed)." + (facet.baselines().isEmpty() ? ""
                        : " Dashed lines: baselines that do not prune, mean over seeds.")),
                accChart(facet, "ACC vs pruning ratio" + suffix)));
        Optional<Plot> differences = facet.differences().isEmpty() ? Optional.empty() : Optional.of(write(
                new Plot(prefix + "differences", "Paired differences in ACC" + suffix, "Mean over seeds of the"
                        + " per-seed difference in ACC, one line per comparison; bands: " + ci + ". Where a band"
                        + " excludes the zero line, the difference is significant at that ratio."),
                differenceChart(facet, "Paired differences in ACC" + suffix)));
        Optional<Plot> fisherMass = facet.cells().get(Metric.FISHER_MASS).isEmpty() ? Optional.empty()
                : Optional.of(write(new Plot(prefix + "fisher-mass", "Fisher mass kept vs pruning ratio" + suffix,
                        "Share of each task's Fisher information carried by the weights it kept (mean over tasks"
                                + " and seeds), against the share of its free weights it kept (dashed). Above the"
                                + " dashed line, a score keeps more information than weights."),
                fisherMassChart(facet, "Fisher mass kept" + suffix)));
        Optional<Plot> capacity = facet.capacity().isEmpty() ? Optional.empty() : Optional.of(write(
                new Plot(prefix + "capacity", "Capacity per task" + suffix, "Share of all trunk weights each task"
                        + " owns, by pruning ratio: with ratio p, task t owns (1 - p) p^t of them."),
                capacityChart(facet, "Capacity per task" + suffix)));
        List<ReportRun> facetRuns = facet.runs().stream().map(RunMetrics::run).toList();
        Optional<Plot> fisherVsMagnitude = ScoreAgreements.scatterRuns(facetRuns, facet.ratios())
                .flatMap(pair -> scatterChart(pair.get(0), pair.get(1), "Fisher vs magnitude, first layer" + suffix)
                        .map(chart -> write(new Plot(prefix + "fisher-vs-magnitude", "Fisher vs magnitude" + suffix,
                                "A seeded sample of the first trunk weight matrix after task 0 (seed "
                                        + pair.get(0).seed() + "), log-log: each weight's |value| against its"
                                        + " Fisher diagonal, coloured by which score keeps it at p = "
                                        + Format.ratio(pair.get(0).ratio()) + ". Weights with a zero value or a"
                                        + " Fisher diagonal below 1e-12 of the largest (zero, or round-off) are left"
                                        + " out; the title says how many are drawn."), chart)));
        List<Plot> taskAccuracy = new ArrayList<>();
        for (String method : facet.methods()) {
            for (double ratio : facet.ratios()) {
                List<RunMetrics> runs = facet.runs().stream().filter(m -> m.run().method().equals(method)
                        && m.run().ratio() == ratio).toList();
                if (runs.isEmpty()) {
                    continue;
                }
                String title = method + ", p = " + Format.ratio(ratio);
                taskAccuracy.add(write(new Plot(prefix + "tasks-" + fileSafe(method) + "-p" + Format.ratio(ratio),
                        "Accuracy of each task over time: " + title + suffix, "R[t][j] after each task t, one line"
                                + " per task j, mean over " + runs.size() + " seed(s). Flat lines: no forgetting."),
                        taskAccuracyChart(runs, title)));
            }
        }
        List<Plot> matrices = new ArrayList<>();
        // Run ids are unique in a sweep, so these need no facet prefix; a baseline shared by facets is drawn once each.
        for (RunMetrics m : facet.runs()) {
            matrices.add(write(new Plot("r-matrix-" + fileSafe(m.run().id()), "R matrix of " + m.run().id(),
                    "Test accuracy (%) on task j (column) after training task t (row)."),
                    heatMap(m.run(), m.run().id())));
        }
        for (RunMetrics m : facet.baselines()) {
            matrices.add(write(new Plot("r-matrix-" + fileSafe(m.run().id()), "R matrix of " + m.run().id(),
                    "Test accuracy (%) on task j (column) after training task t (row)."),
                    heatMap(m.run(), m.run().id())));
        }
        return new FacetPlots(acc, differences, fisherMass, capacity, fisherVsMagnitude, taskAccuracy, matrices);
    }

    /** "95% t-interval", for captions. */
    private static String intervalLabel(ReportConfig settings) {
        return Format.percent(settings.confidence()) + " " + (settings.interval().configName().equals("t")
                ? "t-interval" : "bootstrap interval");
    }

    /**
     * The price of parameter averaging: one chart per pruning ratio (and per value of the sweep's other axes), and
     * one for the baselines when they were crossed with the averaging axes. A chart without averaged runs (every
     * run sequential) is not drawn: its table rows say all there is.
     */
    private List<Plot> averaging(AveragingPrice price, ReportConfig settings) {
        Map<AveragingChart, List<AveragingPrice.Row>> charts = new LinkedHashMap<>();
        for (AveragingPrice.Row row : price.rows()) {
            charts.computeIfAbsent(new AveragingChart(row.otherFacets(), row.ratio()), k -> new ArrayList<>())
                    .add(row);
        }
        List<Map<String, String>> others = charts.keySet().stream().map(AveragingChart::otherFacets).distinct()
                .toList();
        List<AveragingChart> keys = new ArrayList<>(charts.keySet());
        keys.sort(Comparator.<AveragingChart>comparingInt(k -> others.indexOf(k.otherFacets()))
                .thenComparing(k -> Double.isNaN(k.ratio())).thenComparingDouble(AveragingChart::ratio));
        List<Plot> plots = new ArrayList<>();
        for (AveragingChart key : keys) {
            List<AveragingPrice.Row> rows = charts.get(key);
            if (rows.stream().noneMatch(r -> r.examplesPerRound() > 0)) {
                continue;
            }
            String group = others.size() > 1 ? "g" + (others.indexOf(key.otherFacets()) + 1) + "-" : "";
            String which = Double.isNaN(key.ratio()) ? "baselines" : "p = " + Format.ratio(key.ratio());
            String suffix = key.otherFacets().isEmpty() ? "" : " (" + key.otherFacets().entrySet().stream()
                    .map(e -> e.getKey() + " = " + e.getValue()).collect(Collectors.joining(", ")) + ")";
            String title = "Price of parameter averaging, " + which + suffix;
            plots.add(write(new Plot("averaging-" + group + (Double.isNaN(key.ratio()) ? "baselines"
                    : "p" + Format.ratio(key.ratio())), title, "ACC (mean over seeds) against the examples the"
                    + " workers consume between two averagings, workers × averaging frequency × batch size (log"
                    + " scale), one line per method and worker count; bars: " + intervalLabel(settings) + " (none"
                    + " with one seed). Dashed: the same method trained sequentially (1 worker), the protocol's"
                    + " reference; how far a line lies below it is the ACC that averaging costs."),
                    averagingChart(rows, title)));
        }
        return plots;
    }

    /** The runs one averaging chart shows: one ratio (NaN: the baselines) at one value of the other axes. */
    private record AveragingChart(Map<String, String> otherFacets, double ratio) {
    }

    static String fileSafe(String s) {
        return s.replaceAll("[^A-Za-z0-9.-]+", "_");
    }

    // ---- charts ----

    private static XYChart xyChart(String title, String xTitle, String yTitle, int width, int height) {
        XYChart chart = new XYChart(width, height);
        chart.setTitle(title);
        chart.setXAxisTitle(xTitle);
        chart.setYAxisTitle(yTitle);
        style(chart.getStyler());
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setMarkerSize(7);
        return chart;
    }

    private static void style(Styler styler) {
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setLegendBorderColor(new Color(0xcccccc));
        styler.setChartTitleBoxVisible(false);
        styler.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        styler.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        styler.setAntiAlias(true);
    }

    private static Color color(String method, int index) {
        return METHOD_COLORS.getOrDefault(method, OTHER_COLORS[index % OTHER_COLORS.length]);
    }

    private static Color translucent(Color c) {
        return new Color(c.getRed(), c.getGreen(), c.getBlue(), 48);
    }

    /** A line with markers through (x, y), in {@code color}. */
    private static void line(XYChart chart, String name, double[] x, double[] y, Color color) {
        XYSeries s = chart.addSeries(name, x, y);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        s.setLineColor(color);
        s.setMarkerColor(color);
        s.setMarker(SeriesMarkers.CIRCLE);
    }

    /** A translucent band between lo and hi over x, drawn as one polygon, not in the legend. */
    private static void band(XYChart chart, String name, double[] x, double[] lo, double[] hi, Color color) {
        int n = x.length;
        if (n < 2) {
            return;
        }
        double[] px = new double[2 * n];
        double[] py = new double[2 * n];
        for (int i = 0; i < n; i++) {
            px[i] = x[i];
            py[i] = hi[i];
            px[2 * n - 1 - i] = x[i];
            py[2 * n - 1 - i] = lo[i];
        }
        XYSeries s = chart.addSeries(name, px, py);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
        s.setFillColor(translucent(color));
        s.setLineColor(translucent(color));
        s.setMarker(SeriesMarkers.NONE);
        s.setShowInLegend(false);
    }

    /** A dashed horizontal line at y from xMin to xMax. */
    private static void level(XYChart chart, String name, double xMin, double xMax, double y, Color color) {
        XYSeries s = chart.addSeries(name, new double[] {xMin, xMax}, new double[] {y, y});
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        s.setLineColor(color);
        s.setLineStyle(SeriesLines.DASH_DASH);
        s.setMarker(SeriesMarkers.NONE);
    }

    private record Points(double[] x, double[] mean, double[] lo, double[] hi) {
    }

    /** The summaries of one line, in ratio order; an interval missing (one seed) collapses to the mean. */
    private static Points points(List<Double> ratios, DoubleFunction<Optional<Summary>> cell) {
        List<double[]> rows = new ArrayList<>();
        for (double ratio : ratios) {
            Optional<Summary> s = cell.apply(ratio);
            if (s.isPresent()) {
                Summary summary = s.get();
                double lo = summary.ci().map(Interval::lo).orElse(summary.mean());
                double hi = summary.ci().map(Interval::hi).orElse(summary.mean());
                rows.add(new double[] {ratio, summary.mean(), lo, hi});
            }
        }
        return new Points(column(rows, 0), column(rows, 1), column(rows, 2), column(rows, 3));
    }

    private static double[] column(List<double[]> rows, int c) {
        return rows.stream().mapToDouble(r -> r[c]).toArray();
    }

    private static XYChart accChart(FacetAnalysis facet, String title) {
        XYChart chart = xyChart(title, "pruning ratio p", "ACC (%)", WIDTH, HEIGHT);
        chart.getStyler().setXAxisDecimalPattern("0.0#");
        List<String> methods = facet.methods();
        for (int i = 0; i < methods.size(); i++) {
            String method = methods.get(i);
            Points p = points(facet.ratios(), r -> facet.cell(Metric.ACC, method, r));
            if (p.x().length == 0) {
                continue;
            }
            band(chart, method + " interval", p.x(), p.lo(), p.hi(), color(method, i));
            line(chart, method, p.x(), p.mean(), color(method, i));
        }
        double xMin = facet.ratios().get(0);
        double xMax = facet.ratios().get(facet.ratios().size() - 1);
        int k = 0;
        for (Map.Entry<String, Summary> baseline : facet.baselineCells().get(Metric.ACC).entrySet()) {
            level(chart, baseline.getKey() + " (baseline)", xMin, xMax, baseline.getValue().mean(),
                    color(baseline.getKey(), k++));
        }
        return chart;
    }

    /**
     * ACC against examples per averaging round (log x): per method, a line for each worker count of 2 or more with
     * the interval of each point as a bar, and a dashed level at the mean ACC of its sequential runs.
     */
    private static XYChart averagingChart(List<AveragingPrice.Row> rows, String title) {
        XYChart chart = xyChart(title, "examples per averaging round (workers × averaging frequency × batch size)",
                "ACC (%)", WIDTH, HEIGHT);
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setXAxisDecimalPattern("#,##0");
        List<AveragingPrice.Row> averaged = rows.stream().filter(r -> r.examplesPerRound() > 0).toList();
        double xMin = averaged.stream().mapToLong(AveragingPrice.Row::examplesPerRound).min().orElseThrow();
        double xMax = averaged.stream().mapToLong(AveragingPrice.Row::examplesPerRound).max().orElseThrow();
        // Room on both sides on the log axis, so that the outermost bars are not drawn on the frame.
        chart.getStyler().setXAxisMin(xMin / 1.5);
        chart.getStyler().setXAxisMax(xMax * 1.5);
        List<Integer> workerCounts = averaged.stream().map(AveragingPrice.Row::workers).distinct().sorted().toList();
        List<String> methods = rows.stream().map(AveragingPrice.Row::method).distinct().toList();
        for (int i = 0; i < methods.size(); i++) {
            String method = methods.get(i);
            Color color = color(method, i);
            for (int workers : workerCounts) {
                List<AveragingPrice.Row> line = averaged.stream()
                        .filter(r -> r.method().equals(method) && r.workers() == workers)
                        .sorted(Comparator.comparingLong(AveragingPrice.Row::examplesPerRound)).toList();
                if (line.isEmpty()) {
                    continue;
                }
                String name = method + ", " + workers + " workers";
                double[] x = line.stream().mapToDouble(AveragingPrice.Row::examplesPerRound).toArray();
                XYSeries s = chart.addSeries(name, x, line.stream().mapToDouble(r -> r.acc().mean()).toArray());
                s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
                // Solid whatever the series' position: XChart would cycle styles, and dashes mean "sequential".
                s.setLineStyle(SeriesLines.SOLID);
                s.setLineColor(color);
                s.setMarkerColor(color);
                s.setMarker(WORKER_MARKERS[workerCounts.indexOf(workers) % WORKER_MARKERS.length]);
                for (int k = 0; k < line.size(); k++) {
                    Optional<Interval> ci = line.get(k).acc().ci();
                    if (ci.isPresent()) {
                        XYSeries bar = chart.addSeries(name + " interval " + k, new double[] {x[k], x[k]},
                                new double[] {ci.get().lo(), ci.get().hi()});
                        bar.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
                        bar.setLineStyle(SeriesLines.SOLID);
                        bar.setLineColor(color);
                        bar.setMarker(SeriesMarkers.NONE);
                        bar.setShowInLegend(false);
                    }
                }
            }
            List<AveragingPrice.Row> sequential = rows.stream()
                    .filter(r -> r.method().equals(method) && r.sequential()).toList();
            if (!sequential.isEmpty()) {
                // Rows of one worker that differ only in the unread averaging frequency repeat the same runs.
                double mean = sequential.stream().mapToDouble(r -> r.acc().mean() * r.n()).sum()
                        / sequential.stream().mapToInt(AveragingPrice.Row::n).sum();
                level(chart, method + ", sequential (1 worker)", xMin / 1.5, xMax * 1.5, mean, color);
            }
        }
        return chart;
    }

    private static XYChart differenceChart(FacetAnalysis facet, String title) {
        XYChart chart = xyChart(title, "pruning ratio p", "difference in ACC (pp)", WIDTH, HEIGHT);
        chart.getStyler().setXAxisDecimalPattern("0.0#");
        int i = 0;
        for (Map.Entry<String, List<PairedDifference>> e : facet.differencesByComparison().entrySet()) {
            List<PairedDifference> ds = e.getValue().stream().filter(d -> d.n() > 0).toList();
            if (ds.isEmpty()) {
                continue;
            }
            double[] x = ds.stream().mapToDouble(PairedDifference::ratio).toArray();
            double[] mean = ds.stream().mapToDouble(PairedDifference::mean).toArray();
            double[] lo = ds.stream().mapToDouble(d -> d.ci().map(Interval::lo).orElse(d.mean())).toArray();
            double[] hi = ds.stream().mapToDouble(d -> d.ci().map(Interval::hi).orElse(d.mean())).toArray();
            Color c = color(ds.get(0).comparison().first(), i++);
            band(chart, e.getKey() + " interval", x, lo, hi, c);
            line(chart, e.getKey(), x, mean, c);
        }
        double xMin = facet.ratios().get(0);
        double xMax = facet.ratios().get(facet.ratios().size() - 1);
        XYSeries zero = chart.addSeries("no difference", new double[] {xMin, xMax}, new double[] {0, 0});
        zero.setLineColor(Color.DARK_GRAY);
        zero.setLineStyle(new BasicStroke(1f));
        zero.setMarker(SeriesMarkers.NONE);
        return chart;
    }

    private static XYChart fisherMassChart(FacetAnalysis facet, String title) {
        XYChart chart = xyChart(title, "pruning ratio p", "share kept (%)", WIDTH, HEIGHT);
        chart.getStyler().setXAxisDecimalPattern("0.0#");
        List<String> methods = facet.methods();
        for (int i = 0; i < methods.size(); i++) {
            String method = methods.get(i);
            Points p = points(facet.ratios(), r -> facet.cell(Metric.FISHER_MASS, method, r));
            if (p.x().length > 0) {
                line(chart, method, p.x(), p.mean(), color(method, i));
            }
        }
        Points kept = points(facet.ratios(), r -> facet.methods().stream()
                .map(m -> facet.cell(Metric.KEPT_SHARE, m, r)).flatMap(Optional::stream).findFirst());
        if (kept.x().length > 0) {
            XYSeries s = chart.addSeries("weights kept (1 - p)", kept.x(), kept.mean());
            s.setLineColor(Color.DARK_GRAY);
            s.setLineStyle(SeriesLines.DASH_DASH);
            s.setMarker(SeriesMarkers.NONE);
        }
        return chart;
    }

    private static CategoryChart capacityChart(FacetAnalysis facet, String title) {
        CategoryChart chart = new CategoryChart(WIDTH, HEIGHT);
        chart.setTitle(title);
        chart.setXAxisTitle("task t");
        chart.setYAxisTitle("share of trunk weights owned (%)");
        style(chart.getStyler());
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setYAxisDecimalPattern("0.#");
        int tasks = facet.capacity().values().stream().mapToInt(List::size).max().orElse(0);
        List<String> categories = IntStream.range(0, tasks).mapToObj(t -> "task " + t).toList();
        int i = 0;
        for (Map.Entry<Double, List<Summary>> e : facet.capacity().entrySet()) {
            List<Double> values = new ArrayList<>();
            for (int t = 0; t < tasks; t++) {
                values.add(t < e.getValue().size() ? e.getValue().get(t).mean() : 0.0);
            }
            chart.addSeries("p = " + Format.ratio(e.getKey()), categories, values)
                    .setFillColor(OTHER_COLORS[i % OTHER_COLORS.length].darker());
            i++;
        }
        return chart;
    }

    /**
     * The task-0 weight sample of the {@code fisher} run against that of the {@code magnitude} run of the same
     * seed and ratio (the same sampled weights of the same network), in four groups by which score keeps each.
     */
    private static Optional<XYChart> scatterChart(ReportRun fisherRun, ReportRun magnitudeRun, String title) {
        WeightSample f = ScoreAgreements.sampledTaskZero(fisherRun).orElseThrow().sample();
        WeightSample m = ScoreAgreements.sampledTaskZero(magnitudeRun).orElseThrow().sample();
        if (!Arrays.equals(f.indices(), m.indices())) {
            return Optional.empty();
        }
        String[] names = {"kept by both", "kept by fisher only", "kept by magnitude only", "kept by neither"};
        Color[] colors = {new Color(0x7f3c8d), METHOD_COLORS.get("fisher"), METHOD_COLORS.get("magnitude"),
            new Color(0xbbbbbb)};
        List<List<double[]>> groups = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
                new ArrayList<>());
        float[] weights = f.weights();
        double[] fisher = f.fisher();
        boolean[] keptByFisher = f.kept();
        boolean[] keptByMagnitude = m.kept();
        // Fisher values span dozens of decades down to float round-off; below 1e-12 of the largest they are noise.
        double floor = Arrays.stream(fisher).max().orElse(0) * 1e-12;
        int drawn = 0;
        for (int k = 0; k < f.size(); k++) {
            double magnitude = Math.abs(weights[k]);
            if (magnitude > 0 && fisher[k] > floor && fisher[k] > 0) {
                drawn++;
                int group = keptByFisher[k] ? (keptByMagnitude[k] ? 0 : 1) : (keptByMagnitude[k] ? 2 : 3);
                groups.get(group).add(new double[] {magnitude, fisher[k]});
            }
        }
        XYChart chart = xyChart(title + " (" + drawn + " of " + f.size() + " weights)", "|weight|",
                "Fisher diagonal", WIDTH, HEIGHT);
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setMarkerSize(4);
        boolean any = false;
        for (int g = 0; g < groups.size(); g++) {
            List<double[]> points = groups.get(g);
            if (points.isEmpty()) {
                continue;
            }
            XYSeries s = chart.addSeries(names[g] + " (" + points.size() + ")", column(points, 0),
                    column(points, 1));
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setMarkerColor(colors[g]);
            any = true;
        }
        return any ? Optional.of(chart) : Optional.empty();
    }

    private static XYChart taskAccuracyChart(List<RunMetrics> runs, String title) {
        XYChart chart = xyChart(title, "after task t", "accuracy (%)", SMALL_WIDTH, SMALL_HEIGHT);
        chart.getStyler().setXAxisDecimalPattern("0");
        chart.getStyler().setXAxisMaxLabelCount(10);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setMarkerSize(5);
        int tasks = runs.get(0).run().accuracy().tasks();
        for (int j = 0; j < tasks; j++) {
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (int t = j; t < tasks; t++) {
                final int tt = t;
                final int jj = j;
                double mean = runs.stream().filter(m -> m.run().accuracy().tasks() == tasks)
                        .mapToDouble(m -> 100 * m.run().accuracy().get(tt, jj)).average().orElse(Double.NaN);
                if (Double.isFinite(mean)) {
                    x.add((double) t);
                    y.add(mean);
                }
            }
            if (!x.isEmpty()) {
                line(chart, "task " + j, x.stream().mapToDouble(Double::doubleValue).toArray(),
                        y.stream().mapToDouble(Double::doubleValue).toArray(), taskColor(j));
            }
        }
        return chart;
    }

    private static Color taskColor(int j) {
        Color[] palette = {new Color(0x1b9e77), new Color(0xd95f02), new Color(0x7570b3), new Color(0xe7298a),
            new Color(0x66a61e), new Color(0xe6ab02), new Color(0xa6761d), new Color(0x666666)};
        return palette[j % palette.length];
    }

    private static HeatMapChart heatMap(ReportRun run, String title) {
        int tasks = run.accuracy().tasks();
        // The builder applies the theme; HeatMapChart's (width, height) constructor leaves colours and fonts null.
        HeatMapChart chart = new HeatMapChartBuilder().width(SMALL_WIDTH).height(SMALL_HEIGHT).build();
        chart.setTitle(title);
        chart.setXAxisTitle("task j");
        chart.setYAxisTitle("after task t");
        style(chart.getStyler());
        chart.getStyler().setShowValue(true);
        chart.getStyler().setHeatMapValueDecimalPattern("0.0");
        chart.getStyler().setValueFont(new Font(Font.SANS_SERIF, Font.PLAIN, tasks > 8 ? 8 : 11));
        // A scale from 10 points below the run's worst cell to 100%, light enough for dark value labels: on a 0-100
        // scale every cell of a good run would be the same dark shade.
        double lowest = 100;
        for (int t = 0; t < tasks; t++) {
            for (int j = 0; j <= t; j++) {
                if (!Double.isNaN(run.accuracy().get(t, j))) {
                    lowest = Math.min(lowest, 100 * run.accuracy().get(t, j));
                }
            }
        }
        chart.getStyler().setMin(Math.max(0, 10 * Math.floor(lowest / 10) - 10));
        chart.getStyler().setMax(100);
        chart.getStyler().setRangeColors(new Color[] {new Color(0xfff5eb), new Color(0xfdd0a2), new Color(0x9ecae1),
            new Color(0x4292c6)});
        chart.getStyler().setLegendVisible(false);
        // Rows top to bottom in task order, as the matrix is written: the chart's y axis grows upwards.
        List<String> columns = IntStream.range(0, tasks).mapToObj(String::valueOf).toList();
        List<String> rows = IntStream.range(0, tasks).mapToObj(t -> String.valueOf(tasks - 1 - t)).toList();
        List<Number[]> cells = new ArrayList<>();
        for (int t = 0; t < tasks; t++) {
            for (int j = 0; j <= t; j++) {
                if (Double.isNaN(run.accuracy().get(t, j))) {
                    continue; // joint training has only the last row
                }
                cells.add(new Number[] {j, tasks - 1 - t, 100 * run.accuracy().get(t, j)});
            }
        }
        chart.addSeries("R", columns, rows, cells);
        return chart;
    }

    // ---- files ----

    private OutputStream open(String file) throws IOException {
        return new BufferedOutputStream(Files.newOutputStream(plotDir.resolve(file)));
    }

    /** Writes the chart as PNG and SVG into the (temporary) plot folder. */
    private Plot write(Plot plot, Chart<?, ?> chart) {
        try (OutputStream png = open(plot.name() + ".png"); OutputStream svg = open(plot.name() + ".svg")) {
            BitmapEncoder.saveBitmap(chart, png, BitmapEncoder.BitmapFormat.PNG);
            VectorGraphicsEncoder.saveVectorGraphic(chart, svg, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
            return plot;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write plot " + plot.name() + ": " + e.getMessage(), e);
        }
    }
}
