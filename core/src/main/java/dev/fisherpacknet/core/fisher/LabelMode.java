package dev.fisherpacknet.core.fisher;

import dev.fisherpacknet.core.ConfigName;

/** Which labels y enter the per-example gradient of log p(y|x) in the Fisher diagonal. */
public enum LabelMode implements ConfigName {
    /** The true labels: the empirical Fisher. */
    EMPIRICAL,
    /**
     * One label per example drawn from the model's predictive distribution: a Monte Carlo estimate of the true Fisher.
     */
    SAMPLED,
    /** The expectation over all classes under the model's predictive distribution: the true Fisher, exactly. */
    EXACT
}
