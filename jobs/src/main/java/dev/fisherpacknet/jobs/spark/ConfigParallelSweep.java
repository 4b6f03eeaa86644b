package dev.fisherpacknet.jobs.spark;

import dev.fisherpacknet.core.FisherPackNetException;
import dev.fisherpacknet.core.config.RunConfig;
import dev.fisherpacknet.core.data.Splits;
import dev.fisherpacknet.core.fisher.LocalFisherEstimator;
import dev.fisherpacknet.core.model.NativeThreads;
import dev.fisherpacknet.core.run.ContinualRun;
import dev.fisherpacknet.core.run.DivergenceException;
import dev.fisherpacknet.core.run.ProgressListener;
import dev.fisherpacknet.core.run.RunCheckpoint;
import dev.fisherpacknet.core.run.RunFailure;
import dev.fisherpacknet.core.run.RunResult;
import dev.fisherpacknet.core.run.SweepRun;
import dev.fisherpacknet.core.run.TaskZeroCache;
import dev.fisherpacknet.core.run.TaskZeroKey;
import dev.fisherpacknet.core.run.TaskZeroState;
import dev.fisherpacknet.core.train.TaskTrainer;
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
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;

/**
 * Runs whole grid points side by side, each inside one Spark task, as many at once as the cluster has task slots.
 * Inside its task a run computes the data-parallel arithmetic in one JVM ({@link TaskTrainer#inThisJvm}: sequential
 * training, or parameter averaging replayed with the same workers and frequency; {@link LocalFisherEstimator} with
 * the same partitions), so the results equal a data-parallel sweep's, while nothing crosses the network between
 * minibatches. First, one Spark job trains task 0
 * once for every {@link TaskZeroKey} that several runs share (one per seed, typically); its states are broadcast,
 * and each run restores its task 0 from there. Results come back to the driver run by run, as runs finish, each
 * with its final checkpoint, which the driver writes: executors write nothing, so they need no shared file system,
 * and a run cut off half way starts again from the last checkpoint the driver has.
 */
public final class ConfigParallelSweep {
    private ConfigParallelSweep() {
    }

    /**
     * Runs {@code runs} (with resolved Spark settings), each from its checkpoint in {@code resumeFrom} if it has
     * one, and hands each run's final checkpoint and result, or its failure, to {@code sink} as it comes; stops
     * the runs still going if the sink says so.
     */
    public static void run(JavaSparkContext sc, Splits.TrainTest data, List<RunConfig> runs,
                    Map<String, RunCheckpoint> resumeFrom, int slots, RunSink sink) {
        Broadcast<Splits.TrainTest> shared = sc.broadcast(data);
        List<RunConfig> fromStart = runs.stream().filter(run -> !resumeFrom.containsKey(run.id())).toList();
        Broadcast<Map<TaskZeroKey, TaskZeroState>> taskZero = sc.broadcast(taskZeroStates(sc, shared, fromStart));
        ExecutorService submitters = Executors.newFixedThreadPool(Math.max(1, Math.min(slots, runs.size())));
        try {
            CompletionService<Outcome> completed = new ExecutorCompletionService<>(submitters);
            RunTask task = new RunTask(shared, taskZero, TaskProbe.of(sc.getConf()));
            for (RunConfig run : runs) {
                // A resumed run's checkpoint travels with its task: executors need no shared file system.
                RunInput input = new RunInput(run, resumeFrom.get(run.id()));
                completed.submit(() -> {
                    sc.setJobDescription("run " + run.id());
                    return sc.parallelize(List.of(input), 1).map(task).collect().get(0);
                });
            }
            for (int done = 0; done < runs.size(); done++) {
                Outcome outcome = completed.take().get();
                if (outcome.error() != null) {
                    throw outcome.error();
                }
                if (outcome.failure() != null) {
                    if (!sink.failed(outcome.failure())) {
                        return;
                    }
                    continue;
                }
                if (outcome.checkpoint() != null) {
                    // A joint run has none: it saves no state (SweepRun).
                    sink.checkpoint(outcome.result().config(), outcome.checkpoint());
                }
                sink.finished(outcome.result());
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
                .map(new TaskZeroTask(data, TaskProbe.of(sc.getConf()))).collect();
        for (int i = 0; i < keys.size(); i++) {
            if (computed.get(i) != null) {
                states.put(keys.get(i), computed.get(i));
            }
        }
        return states;
    }

    /** A run to compute, from its checkpoint if it has one (else null). */
    private record RunInput(RunConfig run, RunCheckpoint resumeFrom) implements Serializable {
    }

    /**
     * A run's result with its final checkpoint, or the divergence that stopped it, or the user-facing error that
     * must reach the driver as itself.
     */
    private record Outcome(RunResult result, RunCheckpoint checkpoint, RunFailure failure,
                           FisherPackNetException error) implements Serializable {
    }

    private static ContinualRun continualRun(RunConfig run, Splits.TrainTest data, TaskZeroCache cache) {
        int batch = run.training().batchSize();
        return new ContinualRun(run, data,
                TaskTrainer.inThisJvm(data.train(), batch, run.spark().workers(),
                        run.spark().averagingFrequency()),
                new LocalFisherEstimator(data.train(), batch, run.spark().partitions()), cache);
    }

    private static SweepRun sweepRun(RunConfig run, Splits.TrainTest data, TaskZeroCache cache) {
        int batch = run.training().batchSize();
        return SweepRun.of(run, data,
                TaskTrainer.inThisJvm(data.train(), batch, run.spark().workers(),
                        run.spark().averagingFrequency()),
                new LocalFisherEstimator(data.train(), batch, run.spark().partitions()), cache);
    }

    /** One grid point, from its start or its checkpoint to its end, on an executor. */
    private record RunTask(Broadcast<Splits.TrainTest> data, Broadcast<Map<TaskZeroKey, TaskZeroState>> taskZero,
                           TaskProbe probe) implements Function<RunInput, Outcome> {
        @Override
        public Outcome call(RunInput input) {
            NativeThreads.pin();
            RunConfig run = input.run();
            long start = System.nanoTime();
            RunCheckpoint[] last = {input.resumeFrom()};
            try {
                // Only the last checkpoint leaves the executor: it comes back with the result.
                RunResult result = sweepRun(run, data.value(), TaskZeroCache.of(taskZero.value()))
                        .run(ProgressListener.NONE, (t, model) -> probe.reached("run"),
                                input.resumeFrom(), checkpoint -> last[0] = checkpoint);
                return new Outcome(result, last[0], null, null);
            } catch (DivergenceException e) {
                long before = input.resumeFrom() == null ? 0 : input.resumeFrom().millis();
                return new Outcome(null, null, RunFailure.of(run, e, before + (System.nanoTime() - start) / 1_000_000),
                        null);
            } catch (FisherPackNetException e) {
                return new Outcome(null, null, null, e);
            }
        }
    }

    /** Task 0's dense training and Fisher pass for one key, on an executor; null if they diverge. */
    private record TaskZeroTask(Broadcast<Splits.TrainTest> data, TaskProbe probe)
            implements Function<RunConfig, TaskZeroState> {
        @Override
        public TaskZeroState call(RunConfig run) {
            NativeThreads.pin();
            TaskZeroState state;
            try {
                state = continualRun(run, data.value(), TaskZeroCache.NONE).prepareTaskZero();
            } catch (DivergenceException e) {
                // No shared state: each run of the key computes task 0 itself, diverges, and is recorded as failed.
                return null;
            }
            probe.reached("task-zero");
            return state;
        }
    }
}
