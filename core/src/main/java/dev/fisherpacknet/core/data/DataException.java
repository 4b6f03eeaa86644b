package dev.fisherpacknet.core.data;

import dev.fisherpacknet.core.FisherPackNetException;

/** Data that cannot be fetched, found or read; the message names the file or directory at fault. */
public final class DataException extends FisherPackNetException {
    private static final long serialVersionUID = 1L;

    public DataException(String message) {
        super(message);
    }

    public DataException(String message, Throwable cause) {
        super(message, cause);
    }
}
