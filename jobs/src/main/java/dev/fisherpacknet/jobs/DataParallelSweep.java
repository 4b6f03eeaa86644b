package dev.fisherpacknet.jobs;

import dev.fisherpacknet.core.config.RunConfig;
import dev.fisherpacknet.core.data.ImageSet;
import dev.fisherpacknet.core.data.Splits;
import dev.fisherpacknet.core.run.DivergenceException;
import dev.fisherpacknet.core.run.RunCheckpoint;
import dev.fisherpacknet.core.run.RunFailure;
import dev.fisherpacknet.core.run.SweepRun;
import dev.fisherpacknet.core.run.TaskObserver;
import dev.fisherpacknet.core.run.TaskZeroCache;
import dev.fisherpacknet.core.train.TaskTrainer;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * Runs the grid points one after another, each task's work on the executors: sequential training of a phase as
 * one Spark task ({@link SparkSequentialTrainer}) or DL4J parameter averaging over several workers
 * ({@link SparkTaskTrainer}), partitioned Fisher sums, evaluation on the driver. The right mode when a grid point's data can keep
 * the cluster busy and the grid is small. Task 0's state is computed once per {@link
 * dev.fisherpacknet.core.run.TaskZeroKey} and kept on the driver for the sweep. The driver holds each run's state
 * between tasks, so every finished task is checkpointed.
 */
final class DataParallelSweep {
    private DataParallelSweep() {
    }

    /**
     * Runs {@code runs} (with resolved Spark settings) in order, each from its checkpoint in {@code resumeFrom} if
     * it has one, and hands checkpoints, results and failures to {@code sink}; stops early if the sink says so.
     */
    static void run(JavaSparkContext sc, Splits.TrainTest data, List<RunConfig> runs,
                    Map<String, RunCheckpoint> resumeFrom, ConsoleProgress progress, RunSink sink) {
        Broadcast<ImageSet> baseTrain = sc.broadcast(data.train());
        TaskZeroCache taskZero = TaskZeroCache.inMemory();
        try {
            for (int i = 0; i < runs.size(); i++) {
                RunConfig run = runs.get(i);
                int batch = run.training().batchSize();
                TaskTrainer trainer = run.spark().sequential() ? new SparkSequentialTrainer(sc, baseTrain, batch)
                        : new SparkTaskTrainer(sc, baseTrain, batch, run.spark().workers(),
                        run.spark().averagingFrequency());
                SweepRun continual = SweepRun.of(run, data, trainer,
                        new SparkFisherEstimator(sc, baseTrain, batch, run.spark().partitions()), taskZero);
                long start = System.nanoTime();
                RunCheckpoint from = resumeFrom.get(run.id());
                try {
                    sink.finished(continual.run(progress.forRun(run, i), TaskObserver.NONE, from,
                            checkpoint -> sink.checkpoint(run, checkpoint)));
                } catch (DivergenceException e) {
                    long before = from == null ? 0 : from.millis();
                    if (!sink.failed(RunFailure.of(run, e, before + (System.nanoTime() - start) / 1_000_000))) {
                        return;
                    }
                }
            }
        } finally {
            baseTrain.destroy();
        }
    }
}
