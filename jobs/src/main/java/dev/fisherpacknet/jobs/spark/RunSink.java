package dev.fisherpacknet.jobs.spark;

import dev.fisherpacknet.core.config.RunConfig;
import dev.fisherpacknet.core.run.RunCheckpoint;
import dev.fisherpacknet.core.run.RunFailure;
import dev.fisherpacknet.core.run.RunResult;

/** Where a sweep's execution hands, on the driver, what its runs produce. */
public interface RunSink {
    /** {@code run} has finished {@code checkpoint.tasksDone()} tasks in this state; called before its result. */
    void checkpoint(RunConfig run, RunCheckpoint checkpoint);

    /** A run finished. */
    void finished(RunResult result);

    /** A run diverged; returns whether the sweep goes on with the runs not yet started. */
    boolean failed(RunFailure failure);
}
