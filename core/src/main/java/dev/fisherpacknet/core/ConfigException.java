package dev.fisherpacknet.core;


/** A configuration value, key or file that cannot be used; the message names the key and its origin. */
public final class ConfigException extends FisherPackNetException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
