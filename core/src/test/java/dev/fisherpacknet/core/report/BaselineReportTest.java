package dev.fisherpacknet.core.report;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fisherpacknet.core.config.RunConfig;
import dev.fisherpacknet.core.config.SweepConfig;
import dev.fisherpacknet.core.results.ResultsWriter;
import dev.fisherpacknet.core.run.AccuracyMatrix;
import dev.fisherpacknet.core.run.Phase;
import dev.fisherpacknet.core.run.RunResult;
import dev.fisherpacknet.core.run.TaskRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sweep with every baseline, written to files and read back as the report does: the baseline numbers of the
 * analysis, the summary and the report equal those computed here from the raw accuracy.csv alone.
 */
class BaselineReportTest {

    @TempDir
    Path dir;

    /** The fixture's pruned results, and baselines that forget (finetune, EWC) or have only the last row (joint). */
    private static List<RunResult> results(SweepConfig sweep) {
        List<RunResult> pruned = ReportFixtures.results(sweep);
        List<RunResult> results = new ArrayList<>();
        for (RunResult r : pruned) {
            RunConfig run = r.config();
            if (!run.isBaseline()) {
                results.add(r);
                continue;
            }
            int tasks = run.tasks().count();
            Random random = new Random(run.index());
            double[][] acc = new double[tasks][tasks];
            for (double[] row : acc) {
                Arrays.fill(row, Double.NaN);
            }
            boolean joint = run.method().equals("joint");
            for (int t = joint ? tasks - 1 : 0; t < tasks; t++) {
                for (int j = 0; j <= t; j++) {
                    acc[t][j] = Math.round((0.95 - 0.1 * (t - j) + 0.02 * random.nextGaussian()) * 2004) / 2004.0;
                }
            }
            List<TaskRecord> records = new ArrayList<>();
            for (int t = joint ? tasks - 1 : 0; t < tasks; t++) {
                records.add(new TaskRecord(t, Double.NaN, Double.NaN, 0, Double.NaN,
                        Map.of(Phase.TRAIN, 50L, Phase.EVALUATE, 5L)));
            }
            results.add(new RunResult(run, new AccuracyMatrix(acc), records, 500 + run.index()));
        }
        return results;
    }

    private static void writeFolder(Path dir, SweepConfig sweep, List<RunResult> results) throws Exception {
        new ResultsWriter(dir, sweep.axes()).writeTables(results);
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("experiment", sweep.name());
        root.put("source", sweep.source());
        root.put("config", sweep.resolvedText());
        ArrayNode axes = root.putArray("axes");
        sweep.axes().forEach(axes::add);
        ArrayNode runs = root.putArray("runs");
        for (RunResult r : results) {
            ObjectNode run = runs.addObject().put("id", r.config().id()).put("seed", r.config().seed());
            ObjectNode values = run.putObject("sweep_values");
            r.config().sweepValues().forEach(values::put);
            run.put("millis", r.millis());
        }
        root.putObject("timing").put("started", "2024-01-01T10:00:00Z").put("finished", "2024-01-01T10:05:00Z");
        Files.writeString(dir.resolve("manifest.json"), json.writeValueAsString(root));
    }

    /** accuracy.csv as R matrices by run id, with each run's method and seed: parsed here by splitting lines. */
    private record Raw(Map<String, String> method, Map<String, Long> seed, Map<String, Map<String, Double>> cells) {
        double r(String run, int t, int j) {
            return cells.get(run).getOrDefault(t + "," + j, Double.NaN);
        }

        int tasks(String run) {
            return cells.get(run).keySet().stream().mapToInt(k -> Integer.parseInt(k.split(",")[0])).max()
                    .orElseThrow() + 1;
        }
    }

    private static Raw raw(Path csv) throws Exception {
        List<String> lines = Files.readAllLines(csv);
        List<String> header = List.of(lines.get(0).split(","));
        Map<String, String> method = new LinkedHashMap<>();
        Map<String, Long> seed = new HashMap<>();
        Map<String, Map<String, Double>> cells = new LinkedHashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] v = line.split(",", -1);
            String run = v[header.indexOf("run")];
            method.put(run, v[header.indexOf("method")]);
            seed.put(run, Long.parseLong(v[header.indexOf("seed")]));
            cells.computeIfAbsent(run, k -> new HashMap<>()).put(v[header.indexOf("t")] + "," + v[header.indexOf("j")],
                    Double.parseDouble(v[header.indexOf("accuracy")]));
        }
        return new Raw(method, seed, cells);
    }

    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    @Test
    void baselineNumbers_ofAnalysisSummaryAndReport_equalThoseComputedFromTheRawCsv() throws Exception {
        // given
        SweepConfig sweep = ReportFixtures.sweep("baselines = [finetune, ewc, joint]\n");
        List<RunResult> results = results(sweep);
        writeFolder(dir, sweep, results);
        Raw raw = raw(dir.resolve("accuracy.csv"));

        // when
        ReportInput input = ResultFolder.read(dir, List.of());
        Analysis analysis = Analysis.of(input);
        Report.write(dir, input);

        // then: the files tell baselines apart: method column, no score or ratio, joint's last row only
        assertEquals(List.of("finetune", "ewc-l100-separate", "joint"), raw.method().values().stream()
                .filter(m -> !List.of("fisher", "magnitude", "random").contains(m)).distinct().toList());
        List<String> lines = Files.readAllLines(dir.resolve("accuracy.csv"));
        assertTrue(lines.get(0).startsWith("run,seed,method,score,ratio,scope,fisher_labels,"), lines.get(0));
        assertTrue(lines.stream().anyMatch(l -> l.matches("r0\\d\\d-finetune-s1,1,finetune,,,,,.*")), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.matches("r0\\d\\d-ewc-l100-separate-s1,1,ewc-l100-separate,,,,"
                + "empirical,.*")));
        raw.method().forEach((run, method) -> {
            if (method.equals("joint")) {
                assertEquals(3, raw.cells().get(run).size(), "joint writes R[T-1][j] only");
            }
        });

        FacetAnalysis facet = analysis.facets().get(0);
        for (String method : List.of("finetune", "ewc-l100-separate", "joint")) {
            // ACC and BWT per run from the raw rows, then the mean over seeds
            List<Double> acc = new ArrayList<>();
            List<Double> bwt = new ArrayList<>();
            for (String run : raw.method().keySet()) {
                if (!raw.method().get(run).equals(method)) {
                    continue;
                }
                int t = raw.tasks(run);
                double sum = 0;
                double back = 0;
                for (int j = 0; j < t; j++) {
                    sum += raw.r(run, t - 1, j);
                    back += j < t - 1 ? raw.r(run, t - 1, j) - raw.r(run, j, j) : 0;
                }
                acc.add(100 * sum / t);
                bwt.add(100 * back / (t - 1));
            }
            assertEquals(3, acc.size(), method + ": one run per seed");
            assertEquals(mean(acc), facet.baselineCells().get(Metric.ACC).get(method).mean(), 1e-9, method);
            if (method.equals("joint")) {
                assertTrue(bwt.stream().allMatch(v -> v.isNaN()));
                assertFalse(facet.baselineCells().get(Metric.BWT).containsKey(method), "no BWT for joint");
                assertFalse(facet.baselineCells().get(Metric.FWT).containsKey(method), "no FWT for joint");
                assertFalse(facet.baselineCells().get(Metric.LEARNING_ACCURACY).containsKey(method));
            } else {
                assertEquals(mean(bwt), facet.baselineCells().get(Metric.BWT).get(method).mean(), 1e-9, method);
                assertTrue(mean(bwt) < 0, "these baselines forget");
            }
            String row = Files.readAllLines(dir.resolve("report.md")).stream()
                    .filter(l -> l.startsWith("| " + method + " (baseline) |  |")).findFirst().orElseThrow();
            assertTrue(row.contains(" " + String.format(Locale.ROOT, "%.2f", mean(acc)) + " "), row);
            assertTrue(row.contains(method.equals("joint") ? " n/a " : String.format(Locale.ROOT, " %.2f ",
                    mean(bwt))), row);
        }

        // and FWT of every pruned run is against the finetune run of its seed, from the raw rows
        Map<Long, String> finetuneOfSeed = new TreeMap<>();
        raw.method().forEach((run, method) -> {
            if (method.equals("finetune")) {
                finetuneOfSeed.put(raw.seed().get(run), run);
            }
        });
        assertEquals(3, finetuneOfSeed.size());
        for (RunMetrics m : facet.runs()) {
            String run = m.run().id();
            String reference = finetuneOfSeed.get(raw.seed().get(run));
            double fwt = 0;
            for (int j = 1; j < 3; j++) {
                fwt += raw.r(run, j, j) - raw.r(reference, j, j);
            }
            assertEquals(100 * fwt / 2, Metric.FWT.percent(m), 1e-9, run);
        }
        String markdown = Files.readString(dir.resolve("report.md"));
        assertTrue(markdown.contains("FWT is measured against the finetune baseline"), "FWT column present");
        assertTrue(markdown.contains("BWT, forgetting, learning accuracy and FWT of joint (n/a)"));
    }

    @Test
    void summary_hasABaselinesTableOfMeanAndSdOverSeeds() throws Exception {
        // given
        SweepConfig sweep = ReportFixtures.sweep("baselines = [finetune, joint]\n");
        List<RunResult> results = results(sweep);

        // when
        new ResultsWriter(dir, sweep.axes()).writeTables(results);
        String summary = Files.readString(dir.resolve("summary.md"));

        // then
        for (String method : List.of("finetune", "joint")) {
            double[] acc = results.stream().filter(r -> r.config().method().equals(method))
                    .mapToDouble(r -> 100 * r.accuracy().acc()).toArray();
            double m = Arrays.stream(acc).average().orElseThrow();
            double sd = Math.sqrt(Arrays.stream(acc).map(v -> (v - m) * (v - m)).sum() / (acc.length - 1));
            assertTrue(summary.contains("| " + method + " | " + String.format(Locale.ROOT, "%.2f ± %.2f", m, sd)
                    + " | "), summary);
        }
        assertTrue(summary.contains("## Baselines (no pruning)"));
        assertTrue(summary.lines().anyMatch(l -> l.startsWith("| joint |") && l.endsWith("| n/a |")), summary);
        assertFalse(summary.lines().anyMatch(l -> l.startsWith("| finetune |") && l.contains("p = ")));
    }
}
