package dev.fisherpacknet.jobs;

import com.typesafe.config.ConfigUtil;
import dev.fisherpacknet.core.FisherPackNetException;
import dev.fisherpacknet.core.config.ConfigLoader;
import dev.fisherpacknet.core.config.RunConfig;
import dev.fisherpacknet.core.config.SweepConfig;
import dev.fisherpacknet.core.data.Datasets;
import dev.fisherpacknet.core.data.ImageSet;
import dev.fisherpacknet.core.data.Splits;
import dev.fisherpacknet.core.results.ResultsWriter;
import dev.fisherpacknet.core.results.SummaryTable;
import dev.fisherpacknet.core.results.SweepOutput;
import dev.fisherpacknet.core.run.ContinualRun;
import dev.fisherpacknet.core.run.RunResult;
import dev.fisherpacknet.core.run.TaskObserver;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;

/**
 * The main job: runs every point of a sweep's grid as a Fisher-guided (or magnitude, or random) PackNet run on
 * Spark, in one application, and writes the results. {@link #main} only parses arguments and owns the process
 * exit; {@link #run} is the job, and is what tests call.
 */
public final class SweepJob {
    private SweepJob() {
    }

    /** Folder of the Spark event logs inside a sweep's output folder. */
    public static final String EVENT_LOG_DIR = SweepOutput.EVENT_LOG_DIR;

    /** What a finished sweep produced. */
    public record Outcome(Path outputDir, List<RunResult> results) {
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

    /** Parses {@code args}, runs the sweep and returns the process exit status (0, 2 bad input, 1 failure). */
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
                conf.setIfMissing("spark.master", sweep.sparkMaster());
                conf.setIfMissing("spark.ui.showConsoleProgress", "false");
                // Each sweep's Spark event log sits beside its results, for a History Server to show.
                OutputFolder.prepare(sweep.outputDir());
                Path events = OutputFolder.prepare(sweep.outputDir().resolve(EVENT_LOG_DIR));
                conf.setIfMissing("spark.eventLog.enabled", "true");
                conf.setIfMissing("spark.eventLog.dir", events.toAbsolutePath().toUri().toString());
                try (SparkSession spark = SparkSession.builder().config(conf).getOrCreate()) {
                    Outcome outcome = run(spark, sweep, out, output);
                    out.println();
                    out.print(SummaryTable.markdown(outcome.results()));
                    out.println();
                    out.println("Results in " + outcome.outputDir().toAbsolutePath());
                }
            }
            return 0;
        } catch (FisherPackNetException e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
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
        if (!output.dir().equals(sweep.outputDir())) {
            throw new IllegalArgumentException("claimed " + output.dir() + ", but the sweep writes "
                    + sweep.outputDir());
        }
        Instant started = Instant.now();
        Path outputDir = sweep.outputDir();
        OutputFolder.prepare(outputDir);
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        out.println("Loading data (" + sweep.data().source().configName() + ") ...");
        Splits.TrainTest data = Datasets.load(sweep.data());
        out.printf("%d training and %d test examples; %d runs on %s%n", data.train().size(), data.test().size(),
                sweep.runs().size(), sc.master());
        Broadcast<ImageSet> baseTrain = sc.broadcast(data.train());
        ResultsWriter writer = new ResultsWriter(outputDir, sweep.axes());
        ConsoleProgress progress = new ConsoleProgress(out, sweep.runs().size());
        List<RunResult> results = new ArrayList<>();
        try {
            for (RunConfig run : sweep.runs()) {
                int workers = run.spark().workers() > 0 ? run.spark().workers() : sc.defaultParallelism();
                int partitions = run.spark().partitions() > 0 ? run.spark().partitions() : sc.defaultParallelism();
                int batch = run.training().batchSize();
                ContinualRun continual = new ContinualRun(run, data,
                        new SparkTaskTrainer(sc, baseTrain, batch, workers, run.spark().averagingFrequency()),
                        new SparkFisherEstimator(sc, baseTrain, batch, partitions));
                RunResult result = continual.run(progress.forRun(run, results.size()), TaskObserver.NONE);
                writer.writeRun(result);
                results.add(result);
                out.printf("[run %d/%d %s] done: ACC %.2f%%  BWT %+.2f pp  (%s)%n", results.size(),
                        sweep.runs().size(), run.id(), 100 * result.accuracy().acc(), 100 * result.accuracy().bwt(),
                        ConsoleProgress.format(result.millis() * 1_000_000));
            }
        } finally {
            baseTrain.destroy();
        }
        writer.writeTables(results);
        ParquetTables.write(spark, outputDir, results, sweep.axes());
        Manifest.write(outputDir, sweep, sc, results, started, Instant.now());
        return new Outcome(outputDir, results);
    }
}
