package dev.fisherpacknet.jobs;

import dev.fisherpacknet.core.FisherPackNetException;
import dev.fisherpacknet.core.config.RunConfig;
import dev.fisherpacknet.core.data.Splits;
import dev.fisherpacknet.core.fisher.LocalFisherEstimator;
import dev.fisherpacknet.core.model.NativeThreads;
import dev.fisherpacknet.core.run.ContinualRun;
import dev.fisherpacknet.core.run.ProgressListener;
import dev.fisherpacknet.core.run.RunResult;
import dev.fisherpacknet.core.run.SweepRun;
import dev.fisherpacknet.core.run.TaskObserver;
import dev.fisherpacknet.core.run.TaskZeroCache;
import dev.fisherpacknet.core.run.TaskZeroKey;
import dev.fisherpacknet.core.run.TaskZeroState;
import dev.fisherpacknet.core.train.AveragedTrainer;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;

/**
 * Runs whole grid points side by side, each inside one Spark task, as many at once as the cluster has task slots.
 * Inside its task a run replays the data-parallel arithmetic in one JVM ({@link AveragedTrainer} with the same
 * workers and averaging frequency, {@link LocalFisherEstimator} with the same partitions), so the results equal a
 * data-parallel sweep's, while nothing crosses the network between minibatches. First, one Spark job trains task 0
 * once for every {@link TaskZeroKey} that several runs share (one per seed, typically); its states are broadcast,
 * and each run restores its task 0 from there. Results come back to the driver run by run, as runs finish.
 */
final class ConfigParallelSweep {
    private ConfigParallelSweep() {
    }

    /** Runs {@code runs} (with resolved Spark settings) and hands each result to {@code finished} as it comes. */
    static void run(JavaSparkContext sc, Splits.TrainTest data, List<RunConfig> runs, int slots,
                    ConsoleProgress progress, Consumer<RunResult> finished) {
        Broadcast<Splits.TrainTest> shared = sc.broadcast(data);
        Broadcast<Map<TaskZeroKey, TaskZeroState>> taskZero = sc.broadcast(taskZeroStates(sc, shared, runs));
        ExecutorService submitters = Executors.newFixedThreadPool(Math.max(1, Math.min(slots, runs.size())));
        try {
            CompletionService<Outcome> completed = new ExecutorCompletionService<>(submitters);
            RunTask task = new RunTask(shared, taskZero);
            for (RunConfig run : runs) {
                completed.submit(() -> {
                    sc.setJobDescription("run " + run.id());
                    return sc.parallelize(List.of(run), 1).map(task).collect().get(0);
                });
            }
            for (int done = 0; done < runs.size(); done++) {
                Outcome outcome = completed.take().get();
                if (outcome.failure() != null) {
                    throw outcome.failure();
                }
                progress.runFinished(outcome.result(), done);
                finished.accept(outcome.result());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for runs", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } finally {
            submitters.shutdownNow();
            sc.cancelAllJobs();
            taskZero.destroy();
            shared.destroy();
        }
    }

    /** Trains task 0 once per key that two or more runs share, all keys in one Spark job. */
    private static Map<TaskZeroKey, TaskZeroState> taskZeroStates(JavaSparkContext sc,
                                                                 Broadcast<Splits.TrainTest> data,
                                                                 List<RunConfig> runs) {
        Map<TaskZeroKey, List<RunConfig>> byKey = new LinkedHashMap<>();
        for (RunConfig run : runs.stream().filter(SweepRun::usesTaskZero).toList()) {
            byKey.computeIfAbsent(TaskZeroKey.of(run), k -> new ArrayList<>()).add(run);
        }
        List<TaskZeroKey> keys = new ArrayList<>();
        List<RunConfig> representatives = new ArrayList<>();
        byKey.forEach((key, group) -> {
            if (group.size() > 1) {
                keys.add(key);
                representatives.add(group.get(0));
            }
        });
        Map<TaskZeroKey, TaskZeroState> states = new LinkedHashMap<>();
        if (representatives.isEmpty()) {
            return states;
        }
        sc.setJobDescription("task 0 of " + representatives.size() + " seed(s)");
        List<TaskZeroState> computed = sc.parallelize(representatives, representatives.size())
                .map(new TaskZeroTask(data)).collect();
        for (int i = 0; i < keys.size(); i++) {
            states.put(keys.get(i), computed.get(i));
        }
        return states;
    }

    /** A run's result, or the user-facing failure that stopped it (which must reach the driver as itself). */
    private record Outcome(RunResult result, FisherPackNetException failure) implements Serializable {
    }

    private static ContinualRun continualRun(RunConfig run, Splits.TrainTest data, TaskZeroCache cache) {
        int batch = run.training().batchSize();
        return new ContinualRun(run, data,
                new AveragedTrainer(data.train(), batch, run.spark().workers(), run.spark().averagingFrequency()),
                new LocalFisherEstimator(data.train(), batch, run.spark().partitions()), cache);
    }

    private static SweepRun sweepRun(RunConfig run, Splits.TrainTest data, TaskZeroCache cache) {
        int batch = run.training().batchSize();
        return SweepRun.of(run, data,
                new AveragedTrainer(data.train(), batch, run.spark().workers(), run.spark().averagingFrequency()),
                new LocalFisherEstimator(data.train(), batch, run.spark().partitions()), cache);
    }

    /** One grid point, start to end, on an executor. */
    private record RunTask(Broadcast<Splits.TrainTest> data, Broadcast<Map<TaskZeroKey, TaskZeroState>> taskZero)
            implements Function<RunConfig, Outcome> {
        @Override
        public Outcome call(RunConfig run) {
            NativeThreads.pin();
            try {
                RunResult result = sweepRun(run, data.value(), TaskZeroCache.of(taskZero.value()))
                        .run(ProgressListener.NONE, TaskObserver.NONE);
                return new Outcome(result, null);
            } catch (FisherPackNetException e) {
                return new Outcome(null, e);
            }
        }
    }

    /** Task 0's dense training and Fisher pass for one key, on an executor. */
    private record TaskZeroTask(Broadcast<Splits.TrainTest> data) implements Function<RunConfig, TaskZeroState> {
        @Override
        public TaskZeroState call(RunConfig run) {
            NativeThreads.pin();
            return continualRun(run, data.value(), TaskZeroCache.NONE).prepareTaskZero();
        }
    }
}
