package dev.fisherpacknet.core.report;

import static dev.fisherpacknet.core.results.OutputLayout.ACCURACY_CSV;
import static dev.fisherpacknet.core.results.OutputLayout.AGREEMENT_CSV;
import static dev.fisherpacknet.core.results.OutputLayout.MANIFEST_JSON;
import static dev.fisherpacknet.core.results.OutputLayout.TASKS_CSV;
import static dev.fisherpacknet.core.results.OutputLayout.WEIGHT_SAMPLE_CSV;

import com.typesafe.config.ConfigUtil;
import dev.fisherpacknet.core.ConfigException;
import dev.fisherpacknet.core.config.ConfigLoader;
import dev.fisherpacknet.core.config.SweepConfig;
import dev.fisherpacknet.core.mask.ImportanceScore;
import dev.fisherpacknet.core.results.JsonFiles;
import dev.fisherpacknet.core.results.OutputLayout;
import dev.fisherpacknet.core.results.RunSummary;
import dev.fisherpacknet.core.results.SweepManifest;
import dev.fisherpacknet.core.run.AccuracyMatrix;
import dev.fisherpacknet.core.run.Phase;
import dev.fisherpacknet.core.run.ScoreAgreement;
import dev.fisherpacknet.core.run.TaskRecord;
import dev.fisherpacknet.core.run.WeightSample;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a finished sweep's output folder back into a {@link ReportInput}, so that a report can be drawn again
 * (other settings, a newer report) without rerunning anything: runs and axes from {@code manifest.json}, R from
 * {@code accuracy.csv}, task records from {@code tasks.csv}, the report settings from the resolved config the
 * manifest keeps (with overrides).
 */
public final class ResultFolder {


    private ResultFolder() {
    }

    /**
     * The report input of the sweep in {@code dir}; {@code overrides} ("report.interval=bootstrap") change the report's
     * settings and may name report.* keys only.
     */
    public static ReportInput read(Path dir, List<String> overrides) {
        return read(dir, sweep(dir, overrides));
    }

    /**
     * The sweep whose results {@code dir} holds, as its manifest records it, with {@code overrides} of report.* keys
     * and its output folder set to {@code dir} (wherever the sweep wrote it first).
     */
    public static SweepConfig sweep(Path dir, List<String> overrides) {
        for (String override : overrides) {
            if (!override.startsWith("report.")) {
                throw new ConfigException("--set " + override + ": a report can only change report.* keys; the"
                        + " results were computed with the sweep's own config");
            }
        }
        Path file = dir.resolve(MANIFEST_JSON);
        String configText = json(file, SweepManifest.class).config();
        List<String> all = new ArrayList<>(overrides);
        all.add("output.dir=" + ConfigUtil.quoteString(dir.toString()));
        // The resolved config validates as any config does: the report's settings come out of it, overrides applied.
        return ConfigLoader.fromText(configText, all, file + " (config)");
    }

    /** The report input of the results in {@code dir}, which {@code sweep} (see {@link #sweep}) computed. */
    public static ReportInput read(Path dir, SweepConfig sweep) {
        SweepManifest manifest = json(dir.resolve(MANIFEST_JSON), SweepManifest.class);
        List<String> axes = manifest.axes();

        Map<String, List<Map<String, String>>> accuracy = rowsByRun(dir.resolve(ACCURACY_CSV));
        Map<String, List<Map<String, String>>> tasks = rowsByRun(dir.resolve(TASKS_CSV));
        // Written since the agreement diagnostics exist; folders of older sweeps lack them.
        Path agreementFile = dir.resolve(AGREEMENT_CSV);
        Path sampleFile = dir.resolve(WEIGHT_SAMPLE_CSV);
        Map<String, List<Map<String, String>>> agreements = Files.isRegularFile(agreementFile)
                ? rowsByRun(agreementFile) : Map.of();
        Map<String, List<Map<String, String>>> samples = Files.isRegularFile(sampleFile)
                ? rowsByRun(sampleFile) : Map.of();
        List<ReportRun> runs = new ArrayList<>();
        for (SweepManifest.Run run : manifest.runs()) {
            String id = run.id();
            List<Map<String, String>> rows = accuracy.get(id);
            if (rows == null) {
                throw new ReportException(dir.resolve(ACCURACY_CSV) + " has no rows of run " + id
                        + ", which " + MANIFEST_JSON + " lists; the folder is incomplete or mixes two sweeps");
            }
            Map<String, String> facets = new LinkedHashMap<>();
            run.sweepValues().forEach((key, value) -> {
                if (!ReportRun.CORE_AXES.contains(key)) {
                    facets.put(key, value);
                }
            });
            Map<String, String> first = rows.get(0);
            Path file = dir.resolve(ACCURACY_CSV);
            // Folders written before baselines existed have no method column: their method is the score.
            String method = first.containsKey("method") ? field(first, "method", file) : field(first, "score", file);
            double ratio = number(first, "ratio", file);
            runs.add(new ReportRun(id, method, ratio, (long) number(first, "seed", file), facets,
                    matrix(rows, file, Analysis.JOINT.equals(method)),
                    taskRecords(tasks.getOrDefault(id, List.of()), dir.resolve(TASKS_CSV),
                            agreements.getOrDefault(id, List.of()), agreementFile,
                            samples.getOrDefault(id, List.of()), sampleFile),
                    run.millis(), training(dir, id, run, facets)));
        }
        // The config as the sweep ran it; the settings in effect (overrides included) are listed apart.
        List<String> failures = new ArrayList<>();
        for (SweepManifest.Failure failure : manifest.failures()) {
            failures.add("run " + failure.id() + " diverged at task " + failure.task() + " (" + failure.phase() + "): "
                    + failure.reason());
        }
        manifest.notRun().forEach(id -> failures.add(ReportInput.notStarted(id)));
        return new ReportInput(sweep.name(), manifest.source() == null ? sweep.source() : manifest.source(),
                manifest.config(), axes, runs, environment(manifest, dir.resolve(MANIFEST_JSON)), sweep.report(),
                failures);
    }

    /**
     * How run {@code id} trained: in {@link RunTraining#describe}'s words from the parameters of its
     * {@code runs/<id>/summary.json}; where that summary is missing (a folder copied without {@code runs/}), the
     * words the manifest keeps; where both predate the record of the procedure, unknown. Numbers the summary lacks
     * are taken from the run's sweep values, which a sweep over workers or averaging frequency always has.
     */
    private static RunTraining training(Path dir, String id, SweepManifest.Run manifestRun,
                                        Map<String, String> facets) {
        Path file = OutputLayout.runSummary(dir, id);
        RunSummary.Parameters parameters = Files.isRegularFile(file) ? json(file, RunSummary.class).parameters()
                : null;
        int workers = count(parameters == null ? null : parameters.workers(), "workers",
                facets.get("spark.workers"), file);
        int frequency = count(parameters == null ? null : parameters.averagingFrequency(), "averaging_frequency",
                facets.get("spark.averaging-frequency"), file);
        int batchSize = count(parameters == null ? null : parameters.batchSize(), "batch_size",
                facets.get("training.batch-size"), file);
        String description;
        if (parameters != null && parameters.procedure() != null && parameters.workers() != null
                && parameters.averagingFrequency() != null && parameters.optimizerReset() != null
                && parameters.init() != null) {
            try {
                description = RunTraining.describe(workers, frequency, parameters.optimizerReset(), parameters.init());
            } catch (IllegalArgumentException e) {
                throw new ReportException(file + ": parameters workers = " + workers + ", averaging_frequency = "
                        + frequency + " describe no training: " + e.getMessage(), e);
            }
        } else {
            description = manifestRun.training() == null ? RunTraining.UNKNOWN_DESCRIPTION : manifestRun.training();
        }
        return new RunTraining(description, workers, frequency, batchSize);
    }

    /**
     * A count among a run's parameters ({@code value}, null if its summary lacks it), else its sweep value
     * ({@code axisValue}, null if the run has none), else 0 for unknown.
     */
    private static int count(Integer value, String key, String axisValue, Path file) {
        if (value != null) {
            if (value < 0) {
                throw new ReportException(file + ": parameters." + key + " holds " + value + ", not a count");
            }
            return value;
        }
        try {
            return axisValue == null ? 0 : Math.max(0, Integer.parseInt(axisValue.trim()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static <T> T json(Path file, Class<T> type) {
        if (!Files.isRegularFile(file)) {
            throw new ReportException("no " + file.getFileName() + " in " + file.getParent() + ": give the output"
                    + " folder of a finished sweep (it holds manifest.json, accuracy.csv and tasks.csv)");
        }
        try {
            return JsonFiles.read(file, type);
        } catch (IOException e) {
            throw new ReportException("cannot read " + file + ": " + e.getMessage() + "; was it written by this"
                    + " project?", e);
        }
    }

    private static Environment environment(SweepManifest m, Path file) {
        SweepManifest.Versions versions = m.versions();
        return new Environment(versions.fisherPacknet(), versions.deeplearning4j(), versions.spark(), versions.java(),
                m.host().os(), m.host().cores(), m.spark().master(), m.spark().defaultParallelism(), m.gitCommit(),
                instant(m.timing().started(), file), instant(m.timing().finished(), file));
    }

    private static Instant instant(String text, Path file) {
        try {
            return Instant.parse(String.valueOf(text));
        } catch (DateTimeParseException e) {
            throw new ReportException(file + ": timing holds '" + text + "', not an ISO-8601 instant", e);
        }
    }

    /** The rows of a result table as column → value maps, grouped by the "run" column in file order. */
    private static Map<String, List<Map<String, String>>> rowsByRun(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ReportException("no " + file.getFileName() + " in " + file.getParent() + ": the sweep did not"
                    + " finish writing its results");
        }
        List<List<String>> lines;
        try {
            lines = Csv.parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ReportException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new ReportException(file + ": " + e.getMessage(), e);
        }
        if (lines.isEmpty()) {
            throw new ReportException(file + " is empty: it should start with a header line");
        }
        List<String> header = lines.get(0);
        Map<String, List<Map<String, String>>> byRun = new LinkedHashMap<>();
        for (int i = 1; i < lines.size(); i++) {
            List<String> cells = lines.get(i);
            if (cells.size() != header.size()) {
                throw new ReportException(file + ":" + (i + 1) + " has " + cells.size() + " values, the header "
                        + header.size());
            }
            Map<String, String> row = new HashMap<>();
            for (int c = 0; c < header.size(); c++) {
                row.put(header.get(c), cells.get(c));
            }
            row.put("#line", String.valueOf(i + 1));
            byRun.computeIfAbsent(field(row, "run", file), k -> new ArrayList<>()).add(row);
        }
        return byRun;
    }

    /** R from a run's rows; {@code lastRowOnly} for joint training, which has only R[T-1][j]. */
    private static AccuracyMatrix matrix(List<Map<String, String>> rows, Path file, boolean lastRowOnly) {
        int tasks = 0;
        for (Map<String, String> row : rows) {
            tasks = Math.max(tasks, (int) number(row, "t", file) + 1);
        }
        double[][] r = new double[tasks][tasks];
        for (double[] line : r) {
            Arrays.fill(line, Double.NaN);
        }
        for (Map<String, String> row : rows) {
            int t = (int) number(row, "t", file);
            int j = (int) number(row, "j", file);
            if (j > t || j < 0) {
                throw new ReportException(file + ":" + row.get("#line") + " has j = " + j + " for t = " + t
                        + "; R[t][j] exists for 0 <= j <= t only");
            }
            r[t][j] = number(row, "accuracy", file);
        }
        for (int t = lastRowOnly ? tasks - 1 : 0; t < tasks; t++) {
            for (int j = 0; j <= t; j++) {
                if (Double.isNaN(r[t][j])) {
                    throw new ReportException(file + " lacks R[" + t + "][" + j + "] of run " + rows.get(0).get("run"));
                }
            }
        }
        return new AccuracyMatrix(r);
    }

    private static List<TaskRecord> taskRecords(List<Map<String, String>> rows, Path file,
                                                List<Map<String, String>> agreementRows, Path agreementFile,
                                                List<Map<String, String>> sampleRows, Path sampleFile) {
        List<TaskRecord> records = new ArrayList<>();
        for (Map<String, String> row : rows) {
            Map<Phase, Long> millis = new EnumMap<>(Phase.class);
            for (Phase phase : Phase.values()) {
                millis.put(phase, (long) number(row, phase.configName() + "_ms", file));
            }
            int t = (int) number(row, "t", file);
            List<ScoreAgreement> agreements = new ArrayList<>();
            for (Map<String, String> a : agreementRows) {
                if ((int) number(a, "t", agreementFile) == t) {
                    agreements.add(new ScoreAgreement(score(a, agreementFile),
                            (int) number(a, "layer", agreementFile), (int) number(a, "free", agreementFile),
                            number(a, "jaccard", agreementFile), number(a, "spearman", agreementFile)));
                }
            }
            records.add(new TaskRecord(t, number(row, "free_at_start", file),
                    number(row, "capacity_owned", file), (int) number(row, "kept_weights", file),
                    number(row, "fisher_mass_kept", file), millis, agreements, sample(sampleRows, t, sampleFile)));
        }
        return records;
    }

    private static ImportanceScore score(Map<String, String> row, Path file) {
        String name = field(row, "other_score", file);
        return Arrays.stream(ImportanceScore.values()).filter(s -> s.configName().equals(name)).findFirst()
                .orElseThrow(() -> new ReportException(file + ":" + row.get("#line") + ": unknown score '" + name
                        + "' in column other_score"));
    }

    private static WeightSample sample(List<Map<String, String>> rows, int t, Path file) {
        List<Map<String, String>> mine = rows.stream().filter(r -> (int) number(r, "t", file) == t).toList();
        if (mine.isEmpty()) {
            return WeightSample.NONE;
        }
        int n = mine.size();
        int[] indices = new int[n];
        float[] weights = new float[n];
        double[] fisher = new double[n];
        boolean[] kept = new boolean[n];
        for (int k = 0; k < n; k++) {
            Map<String, String> r = mine.get(k);
            indices[k] = (int) number(r, "index", file);
            weights[k] = (float) number(r, "weight", file);
            fisher[k] = number(r, "fisher", file);
            kept[k] = Boolean.parseBoolean(field(r, "kept", file));
        }
        return new WeightSample((int) number(mine.get(0), "layer", file), indices, weights, fisher, kept);
    }

    private static String field(Map<String, String> row, String column, Path file) {
        String value = row.get(column);
        if (value == null) {
            throw new ReportException(file + " has no column " + column);
        }
        return value;
    }

    /** A number cell; an empty cell is NaN, as the writer leaves it. */
    private static double number(Map<String, String> row, String column, Path file) {
        String value = field(row, column, file);
        if (value.isEmpty()) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new ReportException(file + ":" + row.get("#line") + ": column " + column + " holds '" + value
                    + "', not a number", e);
        }
    }
}
