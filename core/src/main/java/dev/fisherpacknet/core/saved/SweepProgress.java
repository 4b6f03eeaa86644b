package dev.fisherpacknet.core.saved;

import dev.fisherpacknet.core.config.RunConfig;
import dev.fisherpacknet.core.results.FailureRecord;
import dev.fisherpacknet.core.results.JsonFiles;
import dev.fisherpacknet.core.results.OutputLayout;
import dev.fisherpacknet.core.run.RunCheckpoint;
import dev.fisherpacknet.core.run.RunFailure;
import dev.fisherpacknet.core.run.RunResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an output folder already holds of a sweep, run by run, so that running the same sweep again goes on where
 * it stopped: runs whose checkpoint covers every task are finished (their results are read back from it), runs
 * with a failure record failed, runs with an earlier checkpoint continue from it, and the rest start afresh. The
 * caller has checked that the folder holds results of this very configuration ({@code SweepOutput}).
 *
 * @param finished results of the runs that finished, in grid order
 * @param failed   runs recorded as failed, in grid order
 * @param partial  the checkpoint of each unfinished run that has one, by run id
 * @param pending  the runs still to compute (the partial ones included), in grid order
 */
public record SweepProgress(List<RunResult> finished, List<RunFailure> failed, Map<String, RunCheckpoint> partial,
                            List<RunConfig> pending) {
    public SweepProgress {
        finished = List.copyOf(finished);
        failed = List.copyOf(failed);
        partial = Map.copyOf(partial);
        pending = List.copyOf(pending);
    }

    /**
     * Reads what {@code outputDir} holds of {@code runs} (with resolved Spark settings).
     *
     * @throws SavedRunException if a checkpoint cannot be read, or was computed with other Spark settings
     */
    public static SweepProgress read(Path outputDir, List<RunConfig> runs) {
        List<RunResult> finished = new ArrayList<>();
        List<RunFailure> failed = new ArrayList<>();
        Map<String, RunCheckpoint> partial = new LinkedHashMap<>();
        List<RunConfig> pending = new ArrayList<>();
        for (RunConfig run : runs) {
            Path runDir = runDir(outputDir, run);
            if (Files.isRegularFile(runDir.resolve(OutputLayout.FAILURE_JSON))) {
                failed.add(readFailure(runDir.resolve(OutputLayout.FAILURE_JSON), run));
                continue;
            }
            if (!SavedRun.exists(runDir)) {
                pending.add(run);
                continue;
            }
            SavedRun saved = SavedRun.read(runDir);
            if (!saved.runId().equals(run.id()) || saved.taskCount() != run.tasks().count()) {
                throw new SavedRunException(SavedRun.folder(runDir) + " holds run " + saved.runId() + " of "
                        + saved.taskCount() + " tasks, not run " + run.id() + " of " + run.tasks().count()
                        + "; delete it and the sweep computes the run again");
            }
            if (saved.version() != SavedRun.VERSION) {
                throw new SavedRunException(SavedRun.folder(runDir) + " was written by an earlier build, which trained"
                        + " with ND4J's Adam (checkpoint version " + saved.version() + "); this build trains with"
                        + " FusedAdam (PyTorch's epsilon, checkpoint version " + SavedRun.VERSION + "), so resuming"
                        + " would mix two optimisers in one sweep: write to a new output folder, delete "
                        + runDir + " to compute the run again, or resume with the build that wrote it");
            }
            if (!saved.spark().equals(run.spark())) {
                throw new SavedRunException(SavedRun.folder(runDir) + " was computed with spark.partitions = "
                        + saved.spark().partitions() + " and spark.workers = " + saved.spark().workers()
                        + ", this sweep resolves them to " + run.spark().partitions() + " and " + run.spark().workers()
                        + " (0 takes the master's parallelism), which would change its results: run with the same"
                        + " --master, or set spark.partitions and spark.workers to the recorded values");
            }
            RunCheckpoint checkpoint = saved.checkpoint();
            if (checkpoint.complete(run.tasks().count())) {
                finished.add(new RunResult(run, checkpoint.accuracyMatrix(), checkpoint.records(),
                        checkpoint.millis()));
            } else {
                partial.put(run.id(), checkpoint);
                pending.add(run);
            }
        }
        return new SweepProgress(finished, failed, partial, pending);
    }

    /** The folder of {@code run}'s files in {@code outputDir}. */
    public static Path runDir(Path outputDir, RunConfig run) {
        return outputDir.resolve(OutputLayout.RUNS_DIR).resolve(run.id());
    }

    /** Whether nothing of the sweep was computed before. */
    public boolean isFresh() {
        return finished.isEmpty() && failed.isEmpty() && partial.isEmpty();
    }

    private static RunFailure readFailure(Path file, RunConfig run) {
        try {
            return JsonFiles.read(file, FailureRecord.class).toFailure(run);
        } catch (IOException | RuntimeException e) {
            throw new SavedRunException("cannot read " + file + " (" + e.getMessage() + "); delete it and the sweep"
                    + " runs " + run.id() + " again", e);
        }
    }
}
