package dev.fisherpacknet.core.report;


import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fisherpacknet.core.config.IntervalMethod;
import dev.fisherpacknet.core.config.RunConfig;
import dev.fisherpacknet.core.config.SweepConfig;
import dev.fisherpacknet.core.run.AccuracyMatrix;
import dev.fisherpacknet.core.run.RunResult;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The price of parameter averaging: its table against the raw results, its charts, and its absence from sweeps
 * that do not vary the workers or the averaging frequency.
 */
class AveragingReportTest {

    @TempDir
    Path dir;

    /** Scores, ratios and seeds of the fixture, crossed with 1, 2 and 4 workers and two averaging frequencies. */
    private static final String AVERAGING_AXES = "spark { workers = [1, 2, 4], averaging-frequency = [1, 5] }\n";

    /**
     * The fixture's results, as averaging would change them: every R[t][j] lower by 0.2 points per extra worker and
     * minibatch between averagings, and the run's wall time shorter with more workers. Each task also loses 0.4
     * points per later task, so that ACC and learning accuracy differ.
     */
    private static List<RunResult> priced(SweepConfig sweep) {
        List<RunResult> results = new ArrayList<>();
        for (RunResult r : ReportFixtures.results(sweep)) {
            RunConfig c = r.config();
            int workers = c.spark().workers();
            double drop = workers == 1 ? 0 : 0.002 * (workers - 1) * c.spark().averagingFrequency();
            int tasks = r.accuracy().tasks();
            double[][] acc = new double[tasks][tasks];
            for (int t = 0; t < tasks; t++) {
                for (int j = 0; j < tasks; j++) {
                    acc[t][j] = r.accuracy().get(t, j) - drop - (t > j ? 0.004 * (t - j) : 0);
                }
            }
            results.add(new RunResult(c, new AccuracyMatrix(acc), r.tasks(), 9000 / workers + 7L * c.index()));
        }
        return results;
    }

    private static String twoDecimals(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    /** "mean [lo, hi]" as the report writes a summary, computed here from the values themselves. */
    private static String expectedCell(double[] values) {
        double mean = java.util.Arrays.stream(values).average().orElseThrow();
        Optional<Interval> ci = Statistics.interval(values, IntervalMethod.T, 0.95, 1000, "unused by a t-interval");
        return twoDecimals(mean) + ci.map(i -> " [" + twoDecimals(i.lo()) + ", " + twoDecimals(i.hi()) + "]")
                .orElse("");
    }

    private static double learningAccuracy(AccuracyMatrix r) {
        double sum = 0;
        for (int j = 0; j < r.tasks(); j++) {
            sum += r.get(j, j);
        }
        return sum / r.tasks();
    }

    @Test
    void averagingTable_holdsMeansIntervalsAndWallTimeOfTheRawRuns() {
        // given: 2 scores x 2 ratios x 3 seeds x 3 worker counts x 2 frequencies, and a finetune baseline crossed
        // with the same seeds, workers and frequencies
        SweepConfig sweep = ReportFixtures.sweep("prune.score = [fisher, magnitude]\nbaselines = [finetune]\n"
                + AVERAGING_AXES);
        List<RunResult> results = priced(sweep);
        assertEquals(2 * 2 * 3 * 3 * 2 + 3 * 3 * 2, results.size());

        // when
        ReportFixtures.Pages pages = ReportFixtures.pages(ReportInput.of(sweep, results,
                ReportFixtures.environment()));

        // then: one row per (method, ratio, workers, frequency), scores first, both pages alike
        List<List<String>> table = ReportTest.htmlTable(pages.html(), "averaging");
        assertEquals(table, ReportTest.markdownTable(pages.markdown(), "## The price of parameter averaging"));
        List<String> header = table.get(0);
        assertEquals(List.of("method", "p", "workers", "averaging frequency", "examples per averaging round",
                "seeds", "ACC (%)", "learning accuracy (%)", "wall time per run (s)"), header);
        assertEquals(2 * 2 * 3 * 2 + 3 * 2, table.size() - 1);
        assertEquals(List.of("fisher", "0.5", "1", "1"), table.get(1).subList(0, 4));
        assertEquals(List.of("fisher", "0.5", "1", "5"), table.get(2).subList(0, 4));
        assertEquals(List.of("fisher", "0.5", "2", "1"), table.get(3).subList(0, 4));
        assertEquals(List.of("finetune (baseline)", "–", "4", "5"), table.get(table.size() - 1).subList(0, 4));
        for (List<String> row : table.subList(1, table.size())) {
            String method = row.get(0).replace(" (baseline)", "");
            double ratio = row.get(1).equals("–") ? Double.NaN : Double.parseDouble(row.get(1));
            int workers = Integer.parseInt(row.get(2));
            int frequency = Integer.parseInt(row.get(3));
            List<RunResult> runs = results.stream().filter(r -> r.config().method().equals(method)
                    && (r.config().isBaseline() ? Double.isNaN(ratio) : r.config().prune().ratio() == ratio)
                    && r.config().spark().workers() == workers
                    && r.config().spark().averagingFrequency() == frequency).toList();
            assertEquals(3, runs.size(), row.toString());
            assertEquals(workers == 1 ? "–" : String.valueOf(workers * frequency * 128), row.get(4), "batch 128");
            assertEquals("3", row.get(5));
            assertEquals(expectedCell(runs.stream().mapToDouble(r -> 100 * r.accuracy().acc()).toArray()),
                    row.get(6), "ACC of " + row);
            assertEquals(expectedCell(runs.stream().mapToDouble(r -> 100 * learningAccuracy(r.accuracy()))
                    .toArray()), row.get(7), "learning accuracy of " + row);
            assertEquals(String.format(Locale.ROOT, "%.1f",
                    runs.stream().mapToLong(RunResult::millis).average().orElseThrow() / 1000), row.get(8));
        }
    }

    @Test
    void averagingTable_splitsRowsByTheSweepsOtherAxes() {
        // given: the averaging axes crossed with a learning rate, which makes runs differ beyond their seed
        SweepConfig sweep = ReportFixtures.sweep("prune { score = fisher, ratio = 0.5 }\n"
                + "training.learning-rate = [0.001, 0.01]\nspark.workers = [1, 2]\n");

        // when
        ReportFixtures.Pages pages = ReportFixtures.pages(ReportInput.of(sweep, priced(sweep),
                ReportFixtures.environment()));

        // then: the learning rate is a column, and no row mixes two rates
        List<List<String>> table = ReportTest.htmlTable(pages.html(), "averaging");
        assertEquals(List.of("method", "p", "training.learning-rate", "workers"), table.get(0).subList(0, 4));
        assertEquals(List.of(List.of("fisher", "0.5", "0.001", "1"), List.of("fisher", "0.5", "0.001", "2"),
                        List.of("fisher", "0.5", "0.01", "1"), List.of("fisher", "0.5", "0.01", "2")),
                table.subList(1, table.size()).stream().map(r -> r.subList(0, 4)).toList());
        int seeds = table.get(0).indexOf("seeds");
        assertTrue(table.subList(1, table.size()).stream().allMatch(r -> r.get(seeds).equals("3")), table.toString());
    }

    @Test
    void averagingSection_isAbsentFromASweepThatDoesNotVaryTheWorkersOrTheFrequency() {
        for (String extra : List.of("", "training.learning-rate = [0.001, 0.01]\n", "spark.workers = 2\n")) {
            SweepConfig sweep = ReportFixtures.sweep(extra);
            ReportFixtures.Pages pages = ReportFixtures.pages(ReportFixtures.input(sweep));
            assertTrue(pages.analysis().averaging().isEmpty(), extra);
            assertFalse(pages.markdown().contains("price of parameter averaging"), extra);
            assertFalse(pages.html().contains("id=\"averaging\""), extra);
        }
        // while the frequency alone is enough to show it
        ReportFixtures.Pages frequency = ReportFixtures.pages(ReportFixtures.input(
                ReportFixtures.sweep("spark.averaging-frequency = [1, 5]\n")));
        assertTrue(frequency.markdown().contains("## The price of parameter averaging"));
    }

    @Test
    void report_drawsOneAveragingChartPerRatio_andEmbedsIt() throws Exception {
        // given: a small sweep (drawing is the slow part): one score, two ratios, two seeds, 1 and 2 workers at two
        // frequencies
        SweepConfig sweep = ReportFixtures.sweep("seed = [1, 2]\nprune { score = fisher, ratio = [0.5, 0.8] }\n"
                + "spark { workers = [1, 2], averaging-frequency = [1, 5] }\n");

        // when
        Report.Written written = Report.write(dir, ReportInput.of(sweep, priced(sweep),
                ReportFixtures.environment()));

        // then: the facets' own plots (4 facets: ACC, Fisher mass, capacity, 2 task charts, 4 R matrices each),
        // then one averaging chart per ratio
        List<String> averaging = written.plots().stream().map(Plot::name).filter(n -> n.startsWith("averaging-"))
                .toList();
        assertEquals(List.of("averaging-p0.5", "averaging-p0.8"), averaging);
        assertEquals(4 * (1 + 1 + 1 + 2 + 4) + 2, written.plots().size());
        String html = Files.readString(written.html());
        for (String name : averaging) {
            assertTrue(html.contains("<figure id=\"" + name + "\">"), name);
            BufferedImage image = ImageIO.read(dir.resolve("plots").resolve(name + ".png").toFile());
            assertNotNull(image, name);
            assertEquals(800, image.getWidth());
            assertTrue(Files.readString(dir.resolve("plots").resolve(name + ".svg")).contains("<svg"), name);
        }
        String markdown = Files.readString(written.markdown());
        assertTrue(markdown.contains("![Price of parameter averaging, p = 0.5](plots/averaging-p0.5.png)"), markdown);
        // the files on disk are exactly the plots the report lists
        try (var files = Files.list(dir.resolve("plots"))) {
            assertEquals(2 * written.plots().size(), files.count());
        }
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(
                Files.readAllBytes(dir.resolve("plots").resolve("averaging-p0.8.png")), 4));
    }

    @Test
    void report_ofOnlySequentialRuns_overFrequencies_hasTheTableButNoChart() throws Exception {
        SweepConfig sweep = ReportFixtures.sweep("prune { score = fisher, ratio = 0.5 }\n"
                + "spark.averaging-frequency = [1, 5]\n");
        Report.Written written = Report.write(dir, ReportFixtures.input(sweep));
        assertEquals(2, ReportTest.htmlTable(Files.readString(written.html()), "averaging").size() - 1);
        assertTrue(written.plots().stream().noneMatch(p -> p.name().startsWith("averaging")), written.plots()
                .toString());
        String markdown = Files.readString(written.markdown());
        assertTrue(markdown.contains("No chart: no run of this sweep averaged parameters"), markdown);
    }
}
