package dev.fisherpacknet.core.report;

import java.util.function.ToDoubleFunction;

/** A per-run metric the report tabulates, in percent (or percentage points for differences of accuracies). */
public enum Metric {
    /** docs/PROTOCOL.md's ACC: what the network knows at the end. */
    ACC("ACC", "%", "final test accuracy, mean over tasks: mean_j R[T-1][j]", RunMetrics::acc),
    /** docs/PROTOCOL.md's BWT: exactly 0 under ownership. */
    BWT("BWT", "pp", "backward transfer: mean_{j<T-1} (R[T-1][j] - R[j][j]); 0 means no forgetting",
            RunMetrics::bwt),
    /** Chaudhry et al.'s forgetting: how far each task fell from its best. */
    FORGETTING("forgetting", "pp", "mean_{j<T-1} of max_{l<T-1} R[l][j] - R[T-1][j]; 0 means no forgetting",
            RunMetrics::forgetting),
    /** R[j][j]: how well each task was learned with the capacity it had. */
    LEARNING_ACCURACY("learning accuracy", "%", "accuracy of each task just after it was learned, pruned and "
            + "retrained: mean_j R[j][j]", RunMetrics::learningAccuracy),
    /** Forward transfer against the finetune baseline. */
    FWT("FWT", "pp", "forward transfer: mean_{j>=1} (R[j][j] - R_finetune[j][j]), same seed", RunMetrics::fwt),
    /** The share of each task's Fisher information its kept weights carry. */
    FISHER_MASS("Fisher mass kept", "%", "share of a task's Fisher information (over the weights free at its start)"
            + " that its kept weights carry, mean over tasks", RunMetrics::fisherMassKept),
    /** The share of its free weights each task kept: the capacity the Fisher mass is read against. */
    KEPT_SHARE("weights kept", "%", "share of the weights free at a task's start that it kept (1 - p up to "
            + "rounding), mean over tasks", RunMetrics::keptShareOfFree);

    private final String label;
    private final String unit;
    private final String definition;
    private final ToDoubleFunction<RunMetrics> value;

    Metric(String label, String unit, String definition, ToDoubleFunction<RunMetrics> value) {
        this.label = label;
        this.unit = unit;
        this.definition = definition;
        this.value = value;
    }

    /** The metric's short name. */
    public String label() {
        return label;
    }

    /** "%" for a level, "pp" for a difference of levels. */
    public String unit() {
        return unit;
    }

    /** Its definition, for the report's legend. */
    public String definition() {
        return definition;
    }

    /** The run's value in percent; NaN where the metric is not defined for it. */
    public double percent(RunMetrics metrics) {
        return 100 * value.applyAsDouble(metrics);
    }
}
