package dev.fisherpacknet.jobs;

import dev.fisherpacknet.core.config.RunConfig;
import dev.fisherpacknet.core.run.ProgressListener;
import dev.fisherpacknet.core.run.RunFailure;
import dev.fisherpacknet.core.run.RunResult;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * Prints one line per phase: run i/N, task t/T, phase, elapsed time and an estimate of the time left, which
 * extrapolates the sweep's elapsed time by the fraction of work done (epochs weigh in proportion).
 */
final class ConsoleProgress {
    private final PrintStream out;
    private final int runCount;
    private final long startNanos = System.nanoTime();

    ConsoleProgress(PrintStream out, int runCount) {
        this.out = out;
        this.runCount = runCount;
    }

    /** A listener for run {@code run}, the {@code runIndex}-th of the sweep (from 0). */
    ProgressListener forRun(RunConfig run, int runIndex) {
        int tasks = run.tasks().count();
        double epochs = run.training().epochs();
        double retrain = run.training().retrainEpochs();
        double fisherWeight = 0.3;
        double total = epochs + fisherWeight + retrain;
        return (task, phase) -> {
            double withinTask = switch (phase) {
                case TRAIN -> 0;
                case FISHER -> epochs / total;
                case SELECT, RETRAIN -> (epochs + fisherWeight) / total;
                case EVALUATE -> 1;
            };
            double done = (runIndex + (task + withinTask) / tasks) / runCount;
            long elapsed = System.nanoTime() - startNanos;
            String eta = done > 0.001 ? format((long) (elapsed * (1 - done) / done)) : "?";
            out.printf(Locale.ROOT, "[run %d/%d %s] task %d/%d %-8s elapsed %s  ETA %s%n", runIndex + 1, runCount,
                    run.id(), task + 1, tasks, phase.configName(), format(elapsed), eta);
            out.flush();
        };
    }

    /**
     * Reports that {@code result}'s run finished, the {@code alreadyFinished}+1-th of the sweep; the estimate
     * extrapolates the elapsed time by the fraction of runs done (the runs of a config-parallel sweep report only
     * when they end).
     */
    void runFinished(RunResult result, int alreadyFinished) {
        int done = alreadyFinished + 1;
        long elapsed = System.nanoTime() - startNanos;
        String eta = format(elapsed * (runCount - done) / done);
        double bwt = result.accuracy().bwt();
        // Joint training has no BWT (no task is learned before another).
        String bwtText = Double.isNaN(bwt) ? "n/a" : String.format(Locale.ROOT, "%+.2f pp", 100 * bwt);
        out.printf(Locale.ROOT, "[run %d/%d %s] done: ACC %.2f%%  BWT %s  (%s)  elapsed %s  ETA %s%n", done,
                runCount, result.config().id(), 100 * result.accuracy().acc(), bwtText,
                format(result.millis() * 1_000_000), format(elapsed), eta);
        out.flush();
    }

    /** Reports that {@code failure}'s run diverged, the {@code alreadyFinished}+1-th run of the sweep to end. */
    void runFailed(RunFailure failure, int alreadyFinished) {
        out.printf(Locale.ROOT, "[run %d/%d %s] FAILED at task %d/%d (%s): %s%n", alreadyFinished + 1, runCount,
                failure.config().id(), failure.task() + 1, failure.config().tasks().count(),
                failure.phase().configName(), failure.reason());
        out.flush();
    }

    static String format(long nanos) {
        Duration d = Duration.ofNanos(nanos);
        long h = d.toHours();
        return h > 0 ? String.format(Locale.ROOT, "%dh%02dm%02ds", h, d.toMinutesPart(), d.toSecondsPart())
                : String.format(Locale.ROOT, "%dm%02ds", d.toMinutes(), d.toSecondsPart());
    }
}
