package dev.fisherpacknet.core.run;

import dev.fisherpacknet.core.FisherPackNetException;

/** A run produced NaN or infinite values; it names the task and phase where they were found, and what held them. */
public final class DivergenceException extends FisherPackNetException {
    private static final long serialVersionUID = 1L;

    private final int task;
    private final Phase phase;
    private final String reason;

    /**
     * @param runId  the run's id
     * @param task   the task at which the values were found
     * @param phase  the phase that produced them
     * @param reason what held which value
     */
    public DivergenceException(String runId, int task, Phase phase, String reason) {
        super("run " + runId + " diverged at task " + task + " (" + phase.configName() + "): " + reason
                + "; try a smaller training.learning-rate");
        this.task = task;
        this.phase = phase;
        this.reason = reason;
    }

    /** The task at which the values were found. */
    public int task() {
        return task;
    }

    /** The phase that produced them. */
    public Phase phase() {
        return phase;
    }

    /** What held which value. */
    public String reason() {
        return reason;
    }
}
