package dev.fisherpacknet.core.results;

import dev.fisherpacknet.core.FisherPackNetException;

/**
 * Another sweep, in this process or another, holds the output folder's lock. Unlike {@link OutputException} this
 * passes: the message names the folder and the holder (process id, host, start time, config).
 */
public final class OutputInUseException extends FisherPackNetException {
    private static final long serialVersionUID = 1L;

    public OutputInUseException(String message) {
        super(message);
    }
}
