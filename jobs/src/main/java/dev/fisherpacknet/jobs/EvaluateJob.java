package dev.fisherpacknet.jobs;

import dev.fisherpacknet.core.ConfigException;
import dev.fisherpacknet.core.FisherPackNetException;
import dev.fisherpacknet.core.data.DataConfig;
import dev.fisherpacknet.core.data.DataSource;
import dev.fisherpacknet.core.data.Datasets;
import dev.fisherpacknet.core.data.Splits;
import dev.fisherpacknet.core.model.NativeThreads;
import dev.fisherpacknet.core.saved.SavedRun;
import dev.fisherpacknet.core.saved.SavedRunEvaluation;
import dev.fisherpacknet.jobs.spark.HadoopStore;
import dev.fisherpacknet.jobs.spark.TrainShards;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * Loads a saved run ({@code runs/<id>/} of a sweep's output folder) and reports the test accuracy of every task it
 * has learnt, on the run's own data or on other data given by {@code --set data.key=value}, and optionally writes
 * the predictions for one task. No Spark: the model is small and evaluated in this JVM. {@link #main} owns the
 * process exit; {@link #execute} is what tests call.
 */
public final class EvaluateJob {
    static final String USAGE = """
            Usage: ./submit.sh --evaluate RUN_DIR [--set data.key=value ...] [--task J --predict FILE] [--help]

            Loads the saved run in RUN_DIR (runs/<run-id>/ in a sweep's output folder; it holds checkpoint/) and
            prints the test accuracy of every task it has learnt: task j with head j and the trunk weights owned by
            tasks 0..j, as the sweep evaluated it. The test data are those of the run's own configuration, unless
            data.* keys point elsewhere (the same task stream is then built over those data).

              RUN_DIR            the folder of one run of a sweep
              --set key=value    change a data.* key, e.g. --set data.source=idx --set data.dir=/data/other;
                                 may be repeated
              --task J           the task whose predictions --predict writes (from 0)
              --predict FILE     write FILE, a CSV of task J's test examples: example,label,predicted
              --help             print this text and exit

            Exit status: 0 on success, 2 for bad input (folder, saved run, data, options), 1 for anything else.
            """;

    private EvaluateJob() {
    }

    public static void main(String[] args) {
        int status;
        try {
            status = execute(args, System.out, System.err);
        } catch (RuntimeException e) {
            e.printStackTrace();
            status = 1;
        }
        System.exit(status);
    }

    /** Parses {@code args}, evaluates and returns the exit status (0, 2 bad input). */
    public static int execute(String[] args, PrintStream out, PrintStream err) {
        try {
            Path runDir = null;
            List<String> overrides = new ArrayList<>();
            Integer task = null;
            Path predict = null;
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "--help", "-h" -> {
                        out.print(USAGE);
                        return 0;
                    }
                    case "--set" -> overrides.add(value(args, ++i, arg));
                    case "--task" -> task = taskIndex(value(args, ++i, arg));
                    case "--predict" -> predict = Path.of(value(args, ++i, arg));
                    default -> {
                        if (arg.startsWith("-")) {
                            throw new ConfigException("unknown option " + arg + "; run with --help to see the options");
                        } else if (runDir != null) {
                            throw new ConfigException("two run folders given (" + runDir + " and " + arg
                                    + "); give one");
                        }
                        runDir = Path.of(arg);
                    }
                }
            }
            if (runDir == null) {
                throw new ConfigException("no run folder given: runs/<run-id>/ in a sweep's output folder (see"
                        + " --help)");
            }
            if ((task == null) != (predict == null)) {
                throw new ConfigException("--task and --predict go together: --task J --predict FILE writes the"
                        + " predictions for task J");
            }
            NativeThreads.pin();
            SavedRun saved = SavedRun.read(runDir);
            SavedRunEvaluation evaluation = SavedRunEvaluation.of(saved, overrides);
            Splits.TrainTest data = load(evaluation.sweep().data());
            out.printf(Locale.ROOT, "Run %s: %d of %d tasks learnt; test data: %s%n%n", saved.runId(),
                    saved.checkpoint().tasksDone(), saved.taskCount(),
                    overrides.isEmpty() ? "the run's own" : String.join(", ", overrides));
            out.println("| task | examples | accuracy |");
            out.println("|---:|---:|---:|");
            for (SavedRunEvaluation.TaskAccuracy accuracy : evaluation.accuracies(data)) {
                out.printf(Locale.ROOT, "| %d | %d | %.6f |%n", accuracy.task(), accuracy.examples(),
                        accuracy.accuracy());
            }
            if (predict != null) {
                Path written = evaluation.writePredictions(data, task, predict);
                out.println();
                out.println("Predictions for task " + task + " in " + written.toAbsolutePath());
            }
            return 0;
        } catch (FisherPackNetException e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
    }

    private static int taskIndex(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new ConfigException("--task needs a task index (0, 1, ...), got " + text);
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new ConfigException(option + " needs a value; run with --help to see the options");
        }
        return args[i];
    }

    /** The run's data; Parquet files through a local Spark session, which only they need. */
    private static Splits.TrainTest load(DataConfig data) {
        if (data.source() != DataSource.PARQUET) {
            return Datasets.load(data, new HadoopStore(new Configuration()));
        }
        SparkSession spark = SparkSession.builder().master("local[*]")
                .appName("evaluate").config("spark.ui.enabled", "false").getOrCreate();
        try {
            return TrainShards.loadWhole(
                    JavaSparkContext.fromSparkContext(spark.sparkContext()), data);
        } finally {
            spark.stop();
        }
    }
}
