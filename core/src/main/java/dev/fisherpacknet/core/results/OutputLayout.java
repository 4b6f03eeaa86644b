package dev.fisherpacknet.core.results;

import java.nio.file.Path;

/**
 * Every name in a sweep's output folder, defined here and nowhere else: the writers, the report, the resumer, the
 * evaluator and the Spark job all take their file names from this class.
 *
 * <pre> output.dir/
 *   sweep.json             which configuration the folder's results belong to
 *   .sweep.lock            held while a sweep writes the folder
 *   accuracy.csv           one row per (run, t, j)          accuracy.parquet/  the same rows, typed
 *   tasks.csv              one row per (run, t)             tasks.parquet/     the same rows, typed
 *   agreement.csv          how the scores agreed at every selection
 *   weight-sample.csv      weights, Fisher and kept flags sampled at the first selection
 *   summary.md             the summary table
 *   manifest.json          provenance of the finished sweep
 *   report.html, report.md, plots/
 *   spark-events/          Spark's event logs
 *   runs/&lt;run id&gt;/summary.json | failure.json, checkpoint/{network.zip, state.json}
 *   previous-&lt;time&gt;/       results moved aside by --force
 * </pre>
 */
public final class OutputLayout {
    /** Accuracy rows: one per (run, t, j). */
    public static final String ACCURACY_CSV = "accuracy.csv";
    /** Task rows: one per (run, t). */
    public static final String TASKS_CSV = "tasks.csv";
    /** How each run's score agreed with the other scores at every selection. */
    public static final String AGREEMENT_CSV = "agreement.csv";
    /** A sample of the first trunk matrix at each run's first selection: weight, Fisher, kept. */
    public static final String WEIGHT_SAMPLE_CSV = "weight-sample.csv";
    /** The summary table. */
    public static final String SUMMARY_MD = "summary.md";
    /** The accuracy rows as Parquet (a folder, written by the Spark job). */
    public static final String ACCURACY_PARQUET = "accuracy.parquet";
    /** The task rows as Parquet (a folder, written by the Spark job). */
    public static final String TASKS_PARQUET = "tasks.parquet";
    /** The provenance of a finished sweep (written by the Spark job). */
    public static final String MANIFEST_JSON = "manifest.json";
    /** The record of the configuration whose results the folder holds. */
    public static final String SWEEP_JSON = "sweep.json";
    /** The lock file held while a sweep writes the folder. */
    public static final String LOCK_FILE = ".sweep.lock";
    /** Prefix of the folders that {@code --force} moves earlier results into. */
    public static final String PREVIOUS_PREFIX = "previous-";
    /** Folder of the Spark event logs of a sweep (written by the job). */
    public static final String EVENT_LOG_DIR = "spark-events";
    /** The report's HTML page. */
    public static final String REPORT_HTML = "report.html";
    /** The report's Markdown summary. */
    public static final String REPORT_MD = "report.md";
    /** The folder of the report's plots. */
    public static final String PLOTS_DIR = "plots";
    /** Folder of the per-run folders. */
    public static final String RUNS_DIR = "runs";
    /** A finished run's JSON summary, in its run folder. */
    public static final String RUN_SUMMARY_JSON = "summary.json";
    /** A failed run's record, in its run folder. */
    public static final String FAILURE_JSON = "failure.json";
    /** The folder of a run's checkpoint, in its run folder. */
    public static final String CHECKPOINT_DIR = "checkpoint";
    /** The checkpoint's network file. */
    public static final String NETWORK_ZIP = "network.zip";
    /** The checkpoint's state file. */
    public static final String STATE_JSON = "state.json";

    private OutputLayout() {
    }

    /** The folder of run {@code runId} in output folder {@code dir}. */
    public static Path runDir(Path dir, String runId) {
        return dir.resolve(RUNS_DIR).resolve(runId);
    }

    /** The JSON summary of finished run {@code runId}. */
    public static Path runSummary(Path dir, String runId) {
        return runDir(dir, runId).resolve(RUN_SUMMARY_JSON);
    }
}
