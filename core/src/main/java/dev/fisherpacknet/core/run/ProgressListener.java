package dev.fisherpacknet.core.run;

/** Told when a run enters each phase of each task, for progress lines; must not throw. */
@FunctionalInterface
public interface ProgressListener {
    /** A listener that ignores everything. */
    ProgressListener NONE = (task, phase) -> { };

    /** Task {@code task} enters {@code phase}. */
    void onPhase(int task, Phase phase);
}
