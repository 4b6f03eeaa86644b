package dev.fisherpacknet.core.data;

import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where a data file or folder lives: a local path, or a URI of any Hadoop file system ({@code hdfs://},
 * {@code s3a://}, ...). Local paths are held absolute, so that a path means the same on the driver and in every
 * executor started from the same working directory, and print as plain paths.
 *
 * @param uri an absolute URI with a scheme; {@code file:} for local paths
 */
public record DataPath(URI uri) implements Serializable {

    /** A scheme followed by a slash ({@code hdfs://}, {@code file:/}); a bare {@code C:} or {@code a:b} is a path. */
    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]+:/");

    public DataPath {
        Objects.requireNonNull(uri);
        if (uri.getScheme() == null || !uri.isAbsolute() || uri.getPath() == null || !uri.getPath().startsWith("/")) {
            throw new IllegalArgumentException("a data path needs a scheme and an absolute path, got " + uri);
        }
    }

    /**
     * A configured location: a URI when it starts with a scheme ({@code hdfs://namenode/data}), else a local path,
     * relative ones taken from the working directory.
     *
     * @throws IllegalArgumentException if a value with a scheme is not a valid URI
     */
    public static DataPath of(String value) {
        if (SCHEME.matcher(value).lookingAt()) {
            try {
                URI uri = new URI(value);
                return "file".equals(uri.getScheme()) ? of(Path.of(uri)) : new DataPath(uri.normalize());
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("'" + value + "' is not a valid URI: " + e.getReason(), e);
            }
        }
        return of(Path.of(value));
    }

    /** A local path. */
    public static DataPath of(Path path) {
        return new DataPath(path.toAbsolutePath().normalize().toUri());
    }

    /** Whether this is a file on a local (or locally mounted) disk, readable with {@link java.nio.file.Files}. */
    public boolean isLocal() {
        return "file".equals(uri.getScheme());
    }

    /** The local path. */
    public Path local() {
        if (!isLocal()) {
            throw new IllegalStateException(uri + " is not a local path");
        }
        return Path.of(uri);
    }

    /** The entry {@code name} of this folder. */
    public DataPath child(String name) {
        if (isLocal()) {
            return of(local().resolve(name));
        }
        String path = uri.getPath().endsWith("/") ? uri.getPath() + name : uri.getPath() + "/" + name;
        try {
            return new DataPath(new URI(uri.getScheme(), uri.getAuthority(), path, null, null));
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + name + "' cannot name an entry of " + this, e);
        }
    }

    /** The last name of the path. */
    public String name() {
        String path = uri.getPath();
        String trimmed = path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
        return trimmed.substring(trimmed.lastIndexOf('/') + 1);
    }

    /** A local path as a path, anything else as its URI. */
    @Override
    public String toString() {
        return isLocal() ? local().toString() : uri.toString();
    }
}
