package dev.fisherpacknet.jobs.spark;

import dev.fisherpacknet.core.config.RunConfig;
import dev.fisherpacknet.core.data.RunData;
import dev.fisherpacknet.core.run.DivergenceException;
import dev.fisherpacknet.core.run.ProgressListener;
import dev.fisherpacknet.core.run.RunCheckpoint;
import dev.fisherpacknet.core.run.RunFailure;
import dev.fisherpacknet.core.run.SweepRun;
import dev.fisherpacknet.core.run.TaskObserver;
import dev.fisherpacknet.core.run.TaskZeroCache;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Runs the grid points one after another, each task's work on the executors that hold the training records
 * ({@link TrainShards}): training by {@link ShardTrainer} (sequential as one Spark task, or parameter averaging
 * over the partitions), the Fisher pass by {@link SparkFisherEstimator} (partial sums tree-reduced), evaluation
 * on the driver. The right mode when a grid point's data can keep the cluster busy and the grid is small. Task 0's
 * state is computed once per {@link dev.fisherpacknet.core.run.TaskZeroKey} and kept on the driver for the sweep.
 * The driver holds each run's state between tasks, so every finished task is checkpointed.
 */
public final class DataParallelSweep {
    private DataParallelSweep() {
    }

    /**
     * Runs {@code runs} (with resolved Spark settings) in order, each from its checkpoint in {@code resumeFrom} if
     * it has one, and hands checkpoints, results and failures to {@code sink}; stops early if the sink says so.
     */
    public static void run(JavaSparkContext sc, TrainShards shards, RunData data, List<RunConfig> runs,
                    int treeDepth, Map<String, RunCheckpoint> resumeFrom,
                    BiFunction<RunConfig, Integer, ProgressListener> progress, RunSink sink) {
        TaskZeroCache taskZero = TaskZeroCache.inMemory();
        for (int i = 0; i < runs.size(); i++) {
            RunConfig run = runs.get(i);
            int batch = run.training().batchSize();
            SweepRun continual = SweepRun.of(run, data,
                    new ShardTrainer(sc, shards, batch, run.spark().workers(), run.spark().averagingFrequency(),
                            treeDepth),
                    new SparkFisherEstimator(sc, shards, batch, run.spark().partitions(), treeDepth), taskZero);
            long start = System.nanoTime();
            RunCheckpoint from = resumeFrom.get(run.id());
            try {
                sink.finished(continual.run(progress.apply(run, i), TaskObserver.NONE, from,
                        checkpoint -> sink.checkpoint(run, checkpoint)));
            } catch (DivergenceException e) {
                long before = from == null ? 0 : from.millis();
                if (!sink.failed(RunFailure.of(run, e, before + (System.nanoTime() - start) / 1_000_000))) {
                    return;
                }
            }
        }
    }
}
