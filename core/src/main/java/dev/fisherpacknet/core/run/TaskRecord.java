package dev.fisherpacknet.core.run;

import java.util.List;
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
 * @param agreements       how the run's score agreed with each other score at this task's selection, per layer
 * @param sample           a sample of the first trunk weight matrix at the selection ({@link WeightSample#NONE}
 *                         but for task 0)
 */
public record TaskRecord(int task, double freeAtStart, double capacityOwned, int keptWeights, double fisherMassKept,
                         Map<Phase, Long> millisByPhase, List<ScoreAgreement> agreements, WeightSample sample)
        implements java.io.Serializable {
    public TaskRecord {
        millisByPhase = Map.copyOf(millisByPhase);
        agreements = List.copyOf(agreements);
    }

    /** A record without score agreements or weight sample (runs that do not select weights). */
    public TaskRecord(int task, double freeAtStart, double capacityOwned, int keptWeights, double fisherMassKept,
                      Map<Phase, Long> millisByPhase) {
        this(task, freeAtStart, capacityOwned, keptWeights, fisherMassKept, millisByPhase, List.of(),
                WeightSample.NONE);
    }
}
