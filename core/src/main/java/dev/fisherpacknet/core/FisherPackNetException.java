package dev.fisherpacknet.core;

/**
 * Base of every failure a user can fix: bad configuration, unusable data, a run that diverged.
 * Entry points catch this one type, print its message and exit non-zero; anything else is a bug.
 */
public abstract class FisherPackNetException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    protected FisherPackNetException(String message) {
        super(message);
    }

    protected FisherPackNetException(String message, Throwable cause) {
        super(message, cause);
    }
}
