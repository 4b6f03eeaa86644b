package dev.fisherpacknet.core.config;

import dev.fisherpacknet.core.ConfigValues;
import dev.fisherpacknet.core.data.TaskStreamConfig;
import dev.fisherpacknet.core.fisher.LabelMode;
import dev.fisherpacknet.core.model.ModelConfig;
import java.util.Map;
import java.util.Objects;

/**
 * One point of a sweep: everything that defines a single continual-learning run.
 *
 * @param index        position of the run in its sweep, from 0
 * @param id           a readable, unique name such as {@code r007-fisher-p0.7-s1}
 * @param sweepValues  the value of every sweep axis at this point, keyed by config path, in axis order
 * @param seed         the master seed
 * @param tasks        the task stream
 * @param model        the trunk
 * @param training     the optimiser and epochs
 * @param prune        ratio, score and scope
 * @param fisherLabels label mode of the Fisher diagonal
 * @param spark        distribution knobs
 * @param baseline     the baseline this run trains instead of pruning, or null for a pruned (PackNet) run; a
 *                     baseline run carries the prune settings of the grid's first point, which it does not read
 */
public record RunConfig(int index, String id, Map<String, String> sweepValues, long seed, TaskStreamConfig tasks,
                        ModelConfig model, TrainingConfig training, PruneConfig prune, LabelMode fisherLabels,
                        SparkSettings spark, BaselineConfig baseline) implements java.io.Serializable {

    /** A pruned (PackNet) run. */
    public RunConfig(int index, String id, Map<String, String> sweepValues, long seed, TaskStreamConfig tasks,
                     ModelConfig model, TrainingConfig training, PruneConfig prune, LabelMode fisherLabels,
                     SparkSettings spark) {
        this(index, id, sweepValues, seed, tasks, model, training, prune, fisherLabels, spark, null);
    }

    public RunConfig {
        Objects.requireNonNull(id);
        sweepValues = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(sweepValues));
        Objects.requireNonNull(tasks);
        Objects.requireNonNull(model);
        Objects.requireNonNull(training);
        Objects.requireNonNull(prune);
        Objects.requireNonNull(fisherLabels);
        Objects.requireNonNull(spark);
    }

    /** This grid point with other Spark settings (the job resolves "0 = default parallelism" this way). */
    public RunConfig withSpark(SparkSettings resolved) {
        return new RunConfig(index, id, sweepValues, seed, tasks, model, training, prune, fisherLabels, resolved,
                baseline);
    }

    /** This run training {@code method} instead of pruning. */
    RunConfig withMethod(BaselineConfig method) {
        return new RunConfig(index, id, sweepValues, seed, tasks, model, training, prune, fisherLabels, spark, method);
    }

    /** Whether this run is a baseline (no pruning) rather than a pruned run. */
    public boolean isBaseline() {
        return baseline != null;
    }

    /**
     * How the run trains, in words: the procedure, when Adam restarts and the initialisation, e.g. "sequential (one
     * replica); Adam fresh per phase; init fan-in-uniform".
     */
    public String describeTraining() {
        return describeTraining(spark.describeProcedure(), training.optimizerReset().configName(),
                model.init().configName());
    }

    /** {@link #describeTraining()}'s words from their parts as result files record them. */
    public static String describeTraining(String procedure, String optimizerReset, String init) {
        return procedure + "; Adam fresh per " + optimizerReset + "; init " + init;
    }

    /** What the run does, as result files name it: the importance score, or the baseline's label. */
    public String method() {
        return baseline != null ? baseline.label() : prune.score().configName();
    }

    /**
     * Reads one grid point: every per-run section, with the run's place in the sweep.
     *
     * @param method a baseline's label, or null for a pruned run
     */
    static RunConfig read(ConfigValues v, int index, String method, Map<String, String> sweepValues) {
        return new RunConfig(index, id(index, method, sweepValues), sweepValues, v.longValue("seed"),
                TaskStreamConfig.read(v), ModelConfig.read(v), TrainingConfig.read(v), PruneConfig.read(v),
                v.choice("fisher.labels", LabelMode.class), SparkSettings.read(v));
    }

    /** "r007-fisher-p0.7-s1"; a baseline's label ("finetune", "ewc-l100-online") follows the index. */
    static String id(int index, String method, Map<String, String> sweepValues) {
        StringBuilder id = new StringBuilder(String.format("r%03d", index));
        if (method != null) {
            id.append('-').append(method);
        }
        sweepValues.forEach((key, value) -> {
            String prefix = switch (key) {
                case "seed" -> "s";
                case "prune.ratio" -> "p";
                case "prune.score", "prune.scope", "fisher.labels", "model.activation", "model.init" -> "";
                case "training.optimizer-reset" -> "reset-";
                default -> key.substring(key.lastIndexOf('.') + 1);
            };
            id.append('-').append(prefix).append(value.replaceAll("[^A-Za-z0-9.-]+", "_"));
        });
        return id.toString();
    }
}
