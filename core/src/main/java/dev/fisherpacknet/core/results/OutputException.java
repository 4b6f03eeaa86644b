package dev.fisherpacknet.core.results;

import dev.fisherpacknet.core.FisherPackNetException;

/**
 * The output folder cannot take a sweep's results: it cannot be created or written, or it holds results of a
 * different configuration. The message names the folder and says what to do.
 */
public final class OutputException extends FisherPackNetException {
    private static final long serialVersionUID = 1L;

    public OutputException(String message) {
        super(message);
    }

    public OutputException(String message, Throwable cause) {
        super(message, cause);
    }
}
