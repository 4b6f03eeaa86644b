package dev.fisherpacknet.core.run;

import dev.fisherpacknet.core.config.RunConfig;
import java.util.List;

/**
 * The outcome of one run of a sweep.
 *
 * @param config   the grid point
 * @param accuracy R[t][j]
 * @param tasks    per-task capacity, Fisher mass and timings
 * @param millis   wall time of the whole run
 */
public record RunResult(RunConfig config, AccuracyMatrix accuracy, List<TaskRecord> tasks, long millis)
        implements java.io.Serializable {
    public RunResult {
        tasks = List.copyOf(tasks);
    }
}
