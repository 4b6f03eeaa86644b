package dev.fisherpacknet.core.saved;

import dev.fisherpacknet.core.FisherPackNetException;

/** A saved run cannot be read or does not fit what it is used for; the message names the file and the remedy. */
public final class SavedRunException extends FisherPackNetException {
    private static final long serialVersionUID = 1L;

    public SavedRunException(String message) {
        super(message);
    }

    public SavedRunException(String message, Throwable cause) {
        super(message, cause);
    }
}
