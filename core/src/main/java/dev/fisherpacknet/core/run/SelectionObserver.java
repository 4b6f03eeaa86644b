package dev.fisherpacknet.core.run;

import dev.fisherpacknet.core.mask.MultiHeadModel;
import java.util.List;

/**
 * Looks at each task's selection for the report, without changing it: called with the trained weights before the
 * selection, and again once ownership records what the task kept. What it returns goes into the task's record
 * ({@code agreement.csv}, {@code weight-sample.csv}); the run's algorithm never reads it.
 */
public interface SelectionObserver {

    /** An observer that records nothing. */
    SelectionObserver NONE = new SelectionObserver() {
        @Override
        public void beforeSelection(MultiHeadModel model, int task, float[] trained, double[] fisherMean) {
        }

        @Override
        public Diagnostics afterSelection(MultiHeadModel model, int task) {
            return Diagnostics.NONE;
        }
    };

    /**
     * What a task's record holds besides the run's own figures.
     *
     * @param agreements how every other score would have chosen among the same free weights
     * @param sample     a sample of the first trunk matrix, or {@link WeightSample#NONE}
     */
    record Diagnostics(List<ScoreAgreement> agreements, WeightSample sample) {
        /** No diagnostics. */
        public static final Diagnostics NONE = new Diagnostics(List.of(), WeightSample.NONE);

        public Diagnostics {
            agreements = List.copyOf(agreements);
        }
    }

    /**
     * Task {@code task} is about to select its weights; {@code model}'s ownership is still that of the earlier tasks.
     * The arrays are the run's own and must not be changed or kept beyond {@link #afterSelection}.
     */
    void beforeSelection(MultiHeadModel model, int task, float[] trained, double[] fisherMean);

    /** Task {@code task} has selected its weights (the released ones are not zeroed yet in the network). */
    Diagnostics afterSelection(MultiHeadModel model, int task);
}
