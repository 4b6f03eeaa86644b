package dev.fisherpacknet.jobs;

import static dev.fisherpacknet.core.results.OutputLayout.EVENT_LOG_DIR;
import static dev.fisherpacknet.core.results.OutputLayout.FAILURE_JSON;
import static dev.fisherpacknet.core.results.OutputLayout.RUN_SUMMARY_JSON;
import static dev.fisherpacknet.core.results.OutputLayout.SUMMARY_MD;

import com.typesafe.config.ConfigUtil;
import dev.fisherpacknet.core.FisherPackNetException;
import dev.fisherpacknet.core.config.ConfigLoader;
import dev.fisherpacknet.core.config.ExecutionMode;
import dev.fisherpacknet.core.config.RunConfig;
import dev.fisherpacknet.core.config.SparkSettings;
import dev.fisherpacknet.core.config.SweepConfig;
import dev.fisherpacknet.core.data.RunData;
import dev.fisherpacknet.core.data.Splits;
import dev.fisherpacknet.core.model.NativeThreads;
import dev.fisherpacknet.core.results.ResultsWriter;
import dev.fisherpacknet.core.results.SummaryTable;
import dev.fisherpacknet.core.results.SweepOutput;
import dev.fisherpacknet.core.run.RunCheckpoint;
import dev.fisherpacknet.core.run.RunFailure;
import dev.fisherpacknet.core.run.RunResult;
import dev.fisherpacknet.core.saved.SavedRun;
import dev.fisherpacknet.core.saved.SweepProgress;
import dev.fisherpacknet.jobs.io.Manifest;
import dev.fisherpacknet.jobs.io.ParquetTables;
import dev.fisherpacknet.jobs.spark.ConfigParallelSweep;
import dev.fisherpacknet.jobs.spark.DataParallelSweep;
import dev.fisherpacknet.jobs.spark.RunSink;
import dev.fisherpacknet.jobs.spark.TrainShards;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * The main job: runs every point of a sweep's grid as a Fisher-guided (or magnitude, or random) PackNet run on
 * Spark, in one application, and writes the results. {@link #main} only parses arguments and owns the process
 * exit; {@link #run} is the job, and is what tests call.
 */
public final class SweepJob {
    private SweepJob() {
    }

    /** Exit status of a sweep in which one or more runs diverged. */
    public static final int RUNS_FAILED = 3;

    /**
     * What a finished sweep produced: the results of its finished runs and the failed runs, each in grid order
     * (those of an earlier, interrupted sweep into the same folder included), and the runs that {@code --fail-fast}
     * left unstarted.
     */
    public record Outcome(Path outputDir, List<RunResult> results, List<RunFailure> failures, List<RunConfig> notRun) {
        public Outcome {
            results = List.copyOf(results);
            failures = List.copyOf(failures);
            notRun = List.copyOf(notRun);
        }
    }

    public static void main(String[] args) {
        int status;
        try {
            status = execute(args, System.out, System.err);
        } catch (RuntimeException e) {
            // A bug or an infrastructure failure: show everything, and exit even if a library left threads behind.
            e.printStackTrace();
            status = 1;
        }
        System.exit(status);
    }

    /**
     * Parses {@code args}, runs the sweep and returns the process exit status (0, 2 bad input, 3 runs diverged,
     * 1 failure).
     */
    public static int execute(String[] args, PrintStream out, PrintStream err) {
        try {
            JobOptions options = JobOptions.parse(args);
            if (options.help()) {
                out.print(JobOptions.USAGE);
                return 0;
            }
            List<String> overrides = new ArrayList<>(options.overrides());
            options.outputDir().ifPresent(dir -> overrides.add("output.dir=" + ConfigUtil.quoteString(dir.toString())));
            SweepConfig sweep = ConfigLoader.load(options.config(), overrides);
            // The output folder is claimed (lock, config check, --force) before Spark writes its event log there,
            // and held until the sweep ends, also when it fails.
            try (SweepOutput output = SweepOutput.claim(sweep, options.force())) {
                output.movedAside().ifPresent(aside -> out.println("--force: the results of another config in "
                        + sweep.outputDir() + " were moved into " + aside));
                SparkConf conf = new SparkConf().setAppName("fisher-packnet " + sweep.name());
                options.master().ifPresent(conf::setMaster);
                options.sparkConf().forEach(conf::set);
                conf.setIfMissing("spark.master", sweep.sparkMaster());
                conf.setIfMissing("spark.ui.showConsoleProgress", "false");
                // Each sweep's Spark event log sits beside its results, for a History Server to show.
                OutputFolder.prepare(sweep.outputDir());
                Path events = OutputFolder.prepare(sweep.outputDir().resolve(EVENT_LOG_DIR));
                conf.setIfMissing("spark.eventLog.enabled", "true");
                conf.setIfMissing("spark.eventLog.dir", events.toAbsolutePath().toUri().toString());
                try (SparkSession spark = SparkSession.builder().config(conf).getOrCreate()) {
                    Outcome outcome = run(spark, sweep, out, output, options.failFast());
                    out.println();
                    out.print(SummaryTable.markdown(outcome.results()));
                    out.print(ResultsWriter.failuresMarkdown(outcome.failures()));
                    out.println();
                    out.println("Results in " + outcome.outputDir().toAbsolutePath());
                    if (!outcome.failures().isEmpty()) {
                        err.println("error: " + outcome.failures().size() + " of " + sweep.runs().size()
                                + " runs diverged (listed in " + sweep.outputDir().resolve(SUMMARY_MD)
                                + "; a record each in runs/<id>/" + FAILURE_JSON + ")"
                                + (outcome.notRun().isEmpty() ? "" : "; --fail-fast stopped the sweep before "
                                + outcome.notRun().size() + " runs, which running it again computes"));
                        for (RunFailure failure : outcome.failures()) {
                            err.println("  " + failure.describe());
                        }
                        return RUNS_FAILED;
                    }
                }
            }
            return 0;
        } catch (FisherPackNetException e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
    }

    /** {@code run} with "0 = default parallelism" replaced by the context's default parallelism. */
    static RunConfig resolve(RunConfig run, int defaultParallelism) {
        SparkSettings spark = run.spark();
        return run.withSpark(new SparkSettings(spark.partitions() > 0 ? spark.partitions() : defaultParallelism,
                spark.workers() > 0 ? spark.workers() : defaultParallelism, spark.averagingFrequency()));
    }

    /**
     * Runs every point of {@code sweep} on {@code spark} and writes the results; returns them. The output folder is
     * claimed for the duration ({@link SweepOutput}: refused if another sweep holds it or it holds results of a
     * different config).
     */
    public static Outcome run(SparkSession spark, SweepConfig sweep, PrintStream out) {
        try (SweepOutput output = SweepOutput.claim(sweep, false)) {
            return run(spark, sweep, out, output);
        }
    }

    /** {@link #run(SparkSession, SweepConfig, PrintStream)} into an output folder the caller has claimed. */
    static Outcome run(SparkSession spark, SweepConfig sweep, PrintStream out, SweepOutput output) {
        return run(spark, sweep, out, output, false);
    }

    /**
     * Runs the sweep into an output folder the caller has claimed. Runs the folder holds already (of this same
     * configuration, which the claim checked) are not computed again: finished and failed runs are kept, and
     * unfinished ones go on from their checkpoint. A run that diverges is recorded as failed and the others go on,
     * unless {@code failFast}, which stops at the first.
     */
    static Outcome run(SparkSession spark, SweepConfig sweep, PrintStream out, SweepOutput output,
                       boolean failFast) {
        if (!output.dir().equals(sweep.outputDir())) {
            throw new IllegalArgumentException("claimed " + output.dir() + ", but the sweep writes "
                    + sweep.outputDir());
        }
        Instant started = Instant.now();
        Path outputDir = sweep.outputDir();
        OutputFolder.prepare(outputDir);
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        // Every JVM of the job runs native code single-threaded: see NativeThreads.
        NativeThreads.pin();
        int slots = sc.defaultParallelism();
        List<RunConfig> runs = sweep.runs().stream().map(run -> resolve(run, slots)).toList();
        ExecutionMode mode = sweep.mode().resolve(runs.size(), slots);
        out.println("Loading data (" + sweep.data().source().configName() + ") ...");
        // Config-parallel runs hold the whole data in every task; data-parallel runs leave the training examples
        // on the executors, which read raw IDX files themselves.
        Splits.TrainTest whole = null;
        TrainShards shards = null;
        RunData data;
        if (mode == ExecutionMode.CONFIG_PARALLEL) {
            whole = TrainShards.loadWhole(sc, sweep.data());
            data = whole;
        } else {
            TrainShards.Loaded loaded = TrainShards.load(sc, sweep.data());
            shards = loaded.shards();
            data = loaded.data();
            // Read now, so that unreadable records are reported before any run starts.
            shards.partitions(runs.get(0).spark().partitions());
        }
        out.printf("%d training and %d test examples%s; %d runs on %s, %s (%d task slots)%n",
                data.trainRecords().size(), data.test().size(),
                shards != null && shards.readByExecutors() ? " (training examples read by the executors)" : "",
                runs.size(), sc.master(), mode.configName(), slots);
        SweepProgress previous = SweepProgress.read(outputDir, runs);
        List<RunConfig> pending = previous.pending();
        if (!previous.isFresh()) {
            out.printf("Resuming the sweep in %s: %d runs finished and %d failed earlier are kept, %d go on from"
                    + " their last finished task, %d start%n", outputDir, previous.finished().size(),
                    previous.failed().size(), previous.partial().size(), pending.size() - previous.partial().size());
        }
        ResultsWriter writer = new ResultsWriter(outputDir, sweep.axes());
        ConsoleProgress progress = new ConsoleProgress(out, pending.size());
        List<RunResult> results = new ArrayList<>(previous.finished());
        List<RunFailure> failures = new ArrayList<>(previous.failed());
        // A run killed before its summary was written has a complete checkpoint; its summary is written again.
        for (RunResult result : previous.finished()) {
            if (!Files.exists(SweepProgress.runDir(outputDir, result.config()).resolve(RUN_SUMMARY_JSON))) {
                writer.writeRun(result);
            }
        }
        Set<String> ended = new HashSet<>();
        int width = data.trainRecords().width();
        RunSink sink = new RunSink() {
            private int done;

            @Override
            public void checkpoint(RunConfig run, RunCheckpoint checkpoint) {
                SavedRun.write(SweepProgress.runDir(outputDir, run), run, width, sweep.resolvedText(), checkpoint);
            }

            @Override
            public void finished(RunResult result) {
                writer.writeRun(result);
                results.add(result);
                ended.add(result.config().id());
                progress.runFinished(result, done++);
            }

            @Override
            public boolean failed(RunFailure failure) {
                writer.writeFailure(failure);
                failures.add(failure);
                ended.add(failure.config().id());
                progress.runFailed(failure, done++);
                return !failFast;
            }
        };
        if (pending.isEmpty()) {
            out.println("Every run of the sweep has ended; its results are written again.");
        } else if (mode == ExecutionMode.CONFIG_PARALLEL) {
            ConfigParallelSweep.run(sc, whole, pending, previous.partial(), slots, sink);
        } else {
            try (TrainShards held = shards) {
                DataParallelSweep.run(sc, held, data, pending, sweep.treeDepth(), previous.partial(), progress::forRun,
                        sink);
            }
        }
        List<RunConfig> notRun = pending.stream().filter(run -> !ended.contains(run.id())).toList();
        results.sort(Comparator.comparingInt(result -> result.config().index()));
        failures.sort(Comparator.comparingInt(failure -> failure.config().index()));
        writer.writeTables(results, failures);
        ParquetTables.write(spark, outputDir, results, sweep.axes());
        Instant finished = Instant.now();
        Manifest.write(outputDir, sweep, mode, sc, results, failures, notRun, started, finished);
        SweepReport.write(outputDir, sweep, sc, results, failures, notRun.stream().map(RunConfig::id).toList(),
                started, finished, out);
        return new Outcome(outputDir, results, failures, notRun);
    }
}
