package dev.fisherpacknet.core.run;

import dev.fisherpacknet.core.FisherPackNetException;

/** A run produced NaN or infinite values; the message names the task and phase where it was found. */
public final class DivergenceException extends FisherPackNetException {
    public DivergenceException(String message) {
        super(message);
    }
}
