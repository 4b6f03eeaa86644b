package dev.fisherpacknet.jobs;

import dev.fisherpacknet.core.config.RunConfig;
import dev.fisherpacknet.core.data.ImageSet;
import dev.fisherpacknet.core.data.Splits;
import dev.fisherpacknet.core.run.RunResult;
import dev.fisherpacknet.core.run.SweepRun;
import dev.fisherpacknet.core.run.TaskObserver;
import dev.fisherpacknet.core.run.TaskZeroCache;
import java.util.List;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * Runs the grid points one after another, each task's work spread over the executors: DL4J parameter averaging
 * for training, partitioned Fisher sums, evaluation on the driver. The right mode when a grid point's data can keep
 * the cluster busy and the grid is small. Task 0's state is computed once per {@link
 * dev.fisherpacknet.core.run.TaskZeroKey} and kept on the driver for the sweep.
 */
final class DataParallelSweep {
    private DataParallelSweep() {
    }

    /** Runs {@code runs} (with resolved Spark settings) in order and hands each result to {@code finished}. */
    static void run(JavaSparkContext sc, Splits.TrainTest data, List<RunConfig> runs, ConsoleProgress progress,
                    Consumer<RunResult> finished) {
        Broadcast<ImageSet> baseTrain = sc.broadcast(data.train());
        TaskZeroCache taskZero = TaskZeroCache.inMemory();
        try {
            for (int i = 0; i < runs.size(); i++) {
                RunConfig run = runs.get(i);
                int batch = run.training().batchSize();
                SweepRun continual = SweepRun.of(run, data,
                        new SparkTaskTrainer(sc, baseTrain, batch, run.spark().workers(),
                                run.spark().averagingFrequency()),
                        new SparkFisherEstimator(sc, baseTrain, batch, run.spark().partitions()), taskZero);
                finished.accept(continual.run(progress.forRun(run, i), TaskObserver.NONE));
            }
        } finally {
            baseTrain.destroy();
        }
    }
}
