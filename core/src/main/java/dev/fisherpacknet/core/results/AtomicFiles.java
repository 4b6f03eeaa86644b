package dev.fisherpacknet.core.results;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Writes files and folders so that a reader, or a crash, never sees a partial one under the final name: the
 * content goes to a hidden temporary name beside the target ({@code .name.<random>.tmp}), is flushed to disk, and
 * is then renamed into place in one step. A failure (an exception, or the process dying) leaves at most a hidden
 * temporary, never a complete-looking file; a failure with an exception removes the temporary too.
 */
public final class AtomicFiles {

    /** What to write into a file. */
    @FunctionalInterface
    public interface Content {
        /** Writes the whole content to {@code out}; the stream is closed by the caller. */
        void writeTo(OutputStream out) throws IOException;
    }

    /** What to write into a folder. */
    @FunctionalInterface
    public interface FolderContent {
        /** Creates the folder {@code dir}, which does not exist yet, and fills it. */
        void writeInto(Path dir) throws IOException;
    }

    private AtomicFiles() {
    }

    /** Writes {@code text} (UTF-8) to {@code target}, replacing it in one step. */
    public static Path writeString(Path target, String text) {
        return write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Writes {@code content} to {@code target}, replacing it in one step; the parent folders are created.
     *
     * @throws UncheckedIOException naming the target if it cannot be written; any exception of {@code content}
     *                              propagates. Either way the target is as it was and no temporary is left.
     */
    public static Path write(Path target, Content content) {
        Path parent = parentOf(target);
        Path tmp = null;
        boolean moved = false;
        try {
            Files.createDirectories(parent);
            // Not Files.createTempFile: its owner-only permissions would carry over to the result.
            tmp = Files.createFile(parent.resolve("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp"));
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE);
                    OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16)) {
                content.writeTo(out);
                out.flush();
                // On disk before the rename publishes it, or a power cut could leave a complete-looking empty file.
                channel.force(true);
            }
            move(tmp, target);
            moved = true;
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e, e);
        } finally {
            if (!moved && tmp != null) {
                deleteQuietly(tmp);
            }
        }
    }

    /**
     * Writes a folder ({@code content} creates and fills a temporary one beside {@code target}) and renames it
     * to {@code target}. A folder cannot replace another in one rename, so an existing {@code target} is first
     * renamed aside ({@code .name.old-<random>}) and deleted after the new one is in place: at every moment the
     * target is either the complete old folder, absent, or the complete new one.
     *
     * @throws UncheckedIOException naming the target if it cannot be written; any exception of {@code content}
     *                              propagates. Either way the target is as it was and no temporary is left.
     */
    public static Path writeFolder(Path target, FolderContent content) {
        Path parent = parentOf(target);
        String random = UUID.randomUUID().toString();
        Path tmp = parent.resolve("." + target.getFileName() + ".tmp-" + random);
        boolean moved = false;
        try {
            Files.createDirectories(parent);
            content.writeInto(tmp);
            if (!Files.isDirectory(tmp)) {
                throw new IllegalStateException("the content of " + target + " created no folder " + tmp);
            }
            Path old = null;
            if (Files.exists(target)) {
                old = parent.resolve("." + target.getFileName() + ".old-" + random);
                move(target, old);
            }
            move(tmp, target);
            moved = true;
            if (old != null) {
                deleteRecursively(old);
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e, e);
        } finally {
            if (!moved) {
                deleteRecursively(tmp);
            }
        }
    }

    private static Path parentOf(Path target) {
        Path parent = target.toAbsolutePath().getParent();
        if (parent == null) {
            throw new IllegalArgumentException("cannot write the root " + target);
        }
        return parent;
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            // A file system without atomic rename (rare); still better than writing in place.
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // A leftover hidden .tmp file cannot be mistaken for a result.
        }
    }

    /** Best effort, as {@link #deleteQuietly}. */
    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(AtomicFiles::deleteQuietly);
        } catch (IOException ignored) {
            // See deleteQuietly.
        }
    }
}
