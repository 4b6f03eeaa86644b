package dev.fisherpacknet.core.report;

import dev.fisherpacknet.core.FisherPackNetException;

/** A results folder that cannot be read back into a report; the message names the file and what is wrong. */
public final class ReportException extends FisherPackNetException {
    private static final long serialVersionUID = 1L;

    public ReportException(String message) {
        super(message);
    }

    public ReportException(String message, Throwable cause) {
        super(message, cause);
    }
}
