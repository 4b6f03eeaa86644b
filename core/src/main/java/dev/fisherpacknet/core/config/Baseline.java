package dev.fisherpacknet.core.config;

import dev.fisherpacknet.core.ConfigName;

/** A method that trains without pruning, run beside the pruned grid for comparison (docs/PROTOCOL.md, "Baselines"). */
public enum Baseline implements ConfigName {
    /** Plain sequential training of every weight: the shared trunk drifts to each new task. */
    FINETUNE,
    /** Sequential training with the EWC penalty that pulls trunk parameters towards earlier tasks' values. */
    EWC,
    /** Every task's data at once, one head per task: the upper bound of a shared trunk. */
    JOINT,
    /**
     * The trunk trained on task 0 and frozen from then on; each later task trains its head alone: no forgetting,
     * and the lower bound of what a shared trunk can give later tasks.
     */
    FEATURE_EXTRACTION
}
