package dev.fisherpacknet.core.run;

import dev.fisherpacknet.core.mask.MultiHeadModel;

/** Sees the model after each task has finished (for checkpoints and invariant checks); must not change it. */
@FunctionalInterface
public interface TaskObserver {
    /** An observer that does nothing. */
    TaskObserver NONE = (task, model) -> { };

    /** Task {@code task} has finished; {@code model} holds its head and its owned weights. */
    void afterTask(int task, MultiHeadModel model);
}
