package dev.fisherpacknet.core.report;

import com.typesafe.config.ConfigFactory;
import dev.fisherpacknet.core.config.ConfigLoader;
import dev.fisherpacknet.core.config.RunConfig;
import dev.fisherpacknet.core.config.SweepConfig;
import dev.fisherpacknet.core.mask.ImportanceScore;
import dev.fisherpacknet.core.run.AccuracyMatrix;
import dev.fisherpacknet.core.run.Phase;
import dev.fisherpacknet.core.run.RunResult;
import dev.fisherpacknet.core.run.ScoreAgreement;
import dev.fisherpacknet.core.run.TaskRecord;
import dev.fisherpacknet.core.run.WeightSample;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Small sweeps with seeded, known results, for the report's tests. */
final class ReportFixtures {
    private ReportFixtures() {
    }

    static SweepConfig sweep(String extra) {
        return ConfigLoader.fromConfig(ConfigFactory.parseString("""
                experiment.name = fixture
                seed = [1, 2, 3]
                tasks.count = 3
                prune { ratio = [0.5, 0.8], score = [fisher, magnitude, random] }
                """ + extra), "fixture.conf");
    }

    /**
     * One result per run with ownership-like accuracies (rows constant below the diagonal, so no forgetting):
     * R[t][j] = base(score, ratio) + noise(seed, j), and task records of a PackNet run with ratio p.
     */
    static List<RunResult> results(SweepConfig sweep) {
        List<RunResult> results = new ArrayList<>();
        for (RunConfig run : sweep.runs()) {
            int tasks = run.tasks().count();
            double p = run.prune().ratio();
            double base = switch (run.prune().score()) {
                case MAGNITUDE -> 0.92;
                case FISHER -> 0.88;
                default -> 0.90;
            } - 0.02 * p;
            Random random = new Random(run.seed() * 31 + run.index());
            double[][] r = new double[tasks][tasks];
            for (double[] row : r) {
                java.util.Arrays.fill(row, Double.NaN);
            }
            for (int j = 0; j < tasks; j++) {
                double a = Math.round((base + 0.01 * random.nextGaussian()) * 2004) / 2004.0;
                for (int t = j; t < tasks; t++) {
                    r[t][j] = a;
                }
            }
            List<TaskRecord> records = new ArrayList<>();
            double free = 1;
            for (int t = 0; t < tasks; t++) {
                double kept = free * (1 - p);
                double mass = switch (run.prune().score()) {
                    case FISHER -> 0.95;
                    case MAGNITUDE -> 0.8;
                    default -> 1 - p;
                };
                records.add(new TaskRecord(t, free, kept, (int) Math.round(kept * 1000), mass,
                        Map.of(Phase.TRAIN, 100L + t, Phase.FISHER, 20L, Phase.SELECT, 5L, Phase.RETRAIN, 40L,
                                Phase.EVALUATE, 10L), agreements(run, t, random),
                        t == 0 ? sample(run) : WeightSample.NONE));
                free -= kept;
            }
            results.add(new RunResult(run, new AccuracyMatrix(r), records, 1000 + run.index()));
        }
        return results;
    }

    /** Seeded agreements with every other score on two layers, at the 6 decimals the CSV keeps. */
    static List<ScoreAgreement> agreements(RunConfig run, int t, Random random) {
        List<ScoreAgreement> list = new ArrayList<>();
        for (ImportanceScore other : ImportanceScore.values()) {
            if (other != run.prune().score()) {
                for (int layer = 0; layer < 2; layer++) {
                    list.add(new ScoreAgreement(other, layer, 1000 >> t, Math.round(random.nextDouble() * 1e6) / 1e6,
                            Math.round((2 * random.nextDouble() - 1) * 1e6) / 1e6));
                }
            }
        }
        return list;
    }

    /**
     * Task 0's weight sample: the same 200 weights for every run of a seed (one network), each kept by the run's
     * score when it ranks in the top 1 - p of the sample by that score.
     */
    static WeightSample sample(RunConfig run) {
        Random random = new Random(run.seed());
        int n = 200;
        int[] indices = new int[n];
        float[] weights = new float[n];
        double[] fisher = new double[n];
        for (int k = 0; k < n; k++) {
            indices[k] = 3 * k;
            weights[k] = (float) random.nextGaussian();
            fisher[k] = Math.exp(3 * random.nextGaussian()) * 1e-4;
        }
        double[] score = new double[n];
        for (int k = 0; k < n; k++) {
            score[k] = switch (run.prune().score()) {
                case FISHER -> fisher[k];
                case MAGNITUDE -> Math.abs(weights[k]);
                default -> k;
            };
        }
        double[] sorted = score.clone();
        java.util.Arrays.sort(sorted);
        double threshold = sorted[(int) Math.round(run.prune().ratio() * n)];
        boolean[] kept = new boolean[n];
        for (int k = 0; k < n; k++) {
            kept[k] = score[k] >= threshold;
        }
        return new WeightSample(0, indices, weights, fisher, kept);
    }

    static Environment environment() {
        return new Environment("0.1.0-SNAPSHOT", "1.0.0-M2", "3.5.7", "17", "Linux", 2, "local[2]", 2, "abc123",
                Instant.parse("2024-01-01T10:00:00Z"), Instant.parse("2024-01-01T10:05:00Z"));
    }

    static ReportInput input(SweepConfig sweep) {
        return ReportInput.of(sweep, results(sweep), environment());
    }

    /** A report's analysis and both pages, drawn without plots: its text and tables alone, which is fast. */
    record Pages(Analysis analysis, String html, String markdown) {
    }

    static Pages pages(ReportInput input) {
        Analysis analysis = Analysis.of(input);
        List<Block> blocks = ReportContent.build(analysis, new Plots.Drawn(List.of(), List.of()));
        // Without figures the HTML page reads no file: the folder is never used.
        return new Pages(analysis, HtmlRenderer.render(input.experiment(), blocks, Path.of(".")),
                MarkdownRenderer.render(blocks));
    }
}
