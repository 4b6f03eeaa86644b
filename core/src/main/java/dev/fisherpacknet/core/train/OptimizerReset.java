package dev.fisherpacknet.core.train;

import dev.fisherpacknet.core.ConfigName;

/** When Adam's state (moments and step count) starts afresh ({@code training.optimizer-reset}). */
public enum OptimizerReset implements ConfigName {
    /**
     * At the start of every phase: training, retraining, each baseline task. The protocol's procedure: the
     * retraining of the kept weights does not inherit moments accumulated while all free weights trained.
     */
    PHASE,
    /** At the start of every task only: the retraining goes on with the Adam state the training left. */
    TASK
}
