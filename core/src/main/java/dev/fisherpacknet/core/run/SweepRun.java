package dev.fisherpacknet.core.run;

import dev.fisherpacknet.core.config.Baseline;
import dev.fisherpacknet.core.config.RunConfig;
import dev.fisherpacknet.core.data.RunData;
import dev.fisherpacknet.core.fisher.FisherEstimator;
import dev.fisherpacknet.core.train.TaskTrainer;
import java.util.function.Consumer;

/**
 * One grid point of a sweep, ready to run: a pruned run ({@link ContinualRun}), or a baseline ({@link BaselineRun}
 * for finetune and EWC, {@link JointRun} for joint training). Every kind trains through the given
 * {@link TaskTrainer} and {@link FisherEstimator}, so the sweep machinery runs them all alike, on the driver with
 * Spark doing the work or whole inside one Spark task.
 */
public interface SweepRun {

    /** Runs every task and returns the accuracies, per-task records and timings. */
    default RunResult run(ProgressListener progress, TaskObserver observer) {
        return run(progress, observer, null, checkpoint -> { });
    }

    /**
     * Runs the tasks after those {@code resumeFrom} has finished (every task if it is null), handing
     * {@code checkpoints} the state from which the run can go on: after every task for a pruned run, once at the
     * end for a baseline (see the implementations).
     *
     * @throws DivergenceException if the loss, the parameters or the Fisher diagonal hold NaN or infinite values
     */
    RunResult run(ProgressListener progress, TaskObserver observer, RunCheckpoint resumeFrom,
                  Consumer<RunCheckpoint> checkpoints);

    /**
     * The run of {@code config}'s kind. Pruned runs and the sequential baselines take task 0's state from
     * {@code taskZeroCache} when it holds one (joint training has no task 0 of its own).
     */
    static SweepRun of(RunConfig config, RunData data, TaskTrainer trainer, FisherEstimator fisher,
                       TaskZeroCache taskZeroCache) {
        if (!config.isBaseline()) {
            return new ContinualRun(config, data, trainer, fisher, taskZeroCache);
        }
        if (config.baseline().kind() == Baseline.JOINT) {
            return new JointRun(config, data, trainer);
        }
        return new BaselineRun(config, data, trainer, fisher, taskZeroCache);
    }

    /** Whether {@code config}'s run starts with the dense task-0 training that {@link TaskZeroCache} shares. */
    static boolean usesTaskZero(RunConfig config) {
        return !config.isBaseline() || config.baseline().kind() != Baseline.JOINT;
    }
}
