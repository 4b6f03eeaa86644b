package dev.fisherpacknet.core.run;

import dev.fisherpacknet.core.config.RunConfig;
import java.io.Serializable;
import java.util.Objects;

/**
 * A run that stopped because it diverged: NaN or infinite values in the loss, the parameters or the Fisher
 * diagonal. A sweep records it and goes on with its other runs.
 *
 * @param config the grid point
 * @param task   the task at which the divergence was found
 * @param phase  the phase in which it was found
 * @param reason what held which value, in words
 * @param millis wall time the run took until it stopped
 */
public record RunFailure(RunConfig config, int task, Phase phase, String reason, long millis)
        implements Serializable {
    public RunFailure {
        Objects.requireNonNull(config);
        Objects.requireNonNull(phase);
        Objects.requireNonNull(reason);
    }

    /** The failure that {@code e}, thrown by run {@code config}, reports. */
    public static RunFailure of(RunConfig config, DivergenceException e, long millis) {
        return new RunFailure(config, e.task(), e.phase(), e.reason(), millis);
    }

    /** One line for messages: run id, task and reason. */
    public String describe() {
        return "run " + config.id() + " diverged at task " + task + " (" + phase.configName() + "): " + reason;
    }
}
