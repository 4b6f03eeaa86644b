package dev.fisherpacknet.core.report;

import dev.fisherpacknet.core.config.RunConfig;
import dev.fisherpacknet.core.run.AccuracyMatrix;
import dev.fisherpacknet.core.run.RunResult;
import dev.fisherpacknet.core.run.TaskRecord;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One run as the report sees it: what was run (method, ratio, seed, the values of every other sweep axis) and what
 * came out. Pruned runs come from {@link RunResult}s; a baseline (finetune, EWC, joint) is a run with no ratio and
 * possibly no task records, so that it can join the report without a PackNet configuration.
 *
 * @param id       the run's id, as in the result files
 * @param method   the importance score (e.g. {@code fisher}) or the baseline's name
 * @param ratio    the pruning ratio; NaN for a method that does not prune
 * @param seed     the master seed: runs of two methods with the same seed saw the same data and initialisation
 * @param facets   the value of every sweep axis other than seed, score and ratio, keyed by config path, in axis
 *                 order: runs are compared only within the same facets
 * @param accuracy R[t][j]
 * @param tasks    per-task capacity, Fisher mass and timings (may be empty for a baseline)
 * @param millis   wall time of the run
 * @param training how the run was trained (procedure, optimiser reset, initialisation); {@link RunTraining#UNKNOWN}
 *                 for a run read from files that predate the record of it
 */
public record ReportRun(String id, String method, double ratio, long seed, Map<String, String> facets,
                        AccuracyMatrix accuracy, List<TaskRecord> tasks, long millis, RunTraining training) {

    /** Config paths of the axes every report knows; the rest are facets. */
    static final List<String> CORE_AXES = List.of("seed", "prune.score", "prune.ratio");

    public ReportRun {
        Objects.requireNonNull(id);
        Objects.requireNonNull(method);
        facets = Collections.unmodifiableMap(new LinkedHashMap<>(facets));
        Objects.requireNonNull(accuracy);
        tasks = List.copyOf(tasks);
        Objects.requireNonNull(training);
    }

    /** A run whose training is not known (a test's run, or one read from a folder that does not record it). */
    public ReportRun(String id, String method, double ratio, long seed, Map<String, String> facets,
                     AccuracyMatrix accuracy, List<TaskRecord> tasks, long millis) {
        this(id, method, ratio, seed, facets, accuracy, tasks, millis, RunTraining.UNKNOWN);
    }

    /** Whether this run is a baseline that does not prune. */
    public boolean isBaseline() {
        return Double.isNaN(ratio);
    }

    /** The report's view of a finished sweep run; {@code axes} are the sweep's axes (config paths). */
    public static ReportRun of(RunResult result, List<String> axes) {
        RunConfig c = result.config();
        Map<String, String> facets = new LinkedHashMap<>();
        for (String axis : axes) {
            // A baseline has only the axes it was crossed with (not prune.*): it applies to every value of the rest.
            if (!CORE_AXES.contains(axis) && c.sweepValues().containsKey(axis)) {
                facets.put(axis, c.sweepValues().get(axis));
            }
        }
        return new ReportRun(c.id(), c.method(), c.isBaseline() ? Double.NaN : c.prune().ratio(), c.seed(), facets,
                result.accuracy(), result.tasks(), result.millis(), RunTraining.of(c));
    }
}
