package dev.fisherpacknet.core.run;

import java.util.Map;

/**
 * What one task of a run did, beside its accuracies.
 *
 * @param task             the task index t
 * @param freeAtStart      fraction of trunk weights free when the task started
 * @param capacityOwned    fraction of trunk weights the task kept and now owns
 * @param keptWeights      number of trunk weights kept
 * @param fisherMassKept   sum of the task's Fisher over kept weights / sum over the weights free at its start
 * @param millisByPhase    wall time of each phase
 */
public record TaskRecord(int task, double freeAtStart, double capacityOwned, int keptWeights, double fisherMassKept,
                         Map<Phase, Long> millisByPhase) implements java.io.Serializable {
    public TaskRecord {
        millisByPhase = Map.copyOf(millisByPhase);
    }
}
