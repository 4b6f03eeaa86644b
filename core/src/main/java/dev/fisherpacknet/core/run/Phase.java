package dev.fisherpacknet.core.run;

import dev.fisherpacknet.core.ConfigName;

/** The phases of one task, in order; each is timed. */
public enum Phase implements ConfigName {
    /** Training the free weights (and the new head). */
    TRAIN,
    /** The Fisher diagonal over the task's training set. */
    FISHER,
    /** Scoring and top-k selection on the driver. */
    SELECT,
    /** Retraining the kept weights with the released ones at zero. */
    RETRAIN,
    /** Test accuracy of every task so far. */
    EVALUATE
}
