package dev.fisherpacknet.core.results;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The exclusive right of one sweep to write an output folder: an operating-system lock
 * ({@link FileChannel#tryLock}) on the folder's lock file, held from before the first result is written until the
 * sweep ends, and released by the operating system if the process dies. The lock file holds the holder's process
 * id, host, start time and config, so that a second sweep can say who is in its way.
 *
 * <p>Two rules of POSIX locks shape this class. They belong to a process, not to a channel: a second channel of
 * the same process cannot take the lock (Java throws {@link OverlappingFileLockException}), and closing <em>any</em>
 * descriptor of the file in the process releases it. So within this process the lock file is opened once, by the
 * holder, and the folders held are tracked in {@link #HELD}: a second sweep of this process is refused from there,
 * without touching the file. That registry is static on purpose, because the lock it mirrors is per process. The
 * file is never deleted (a deleted lock file lets two processes lock two different files of the same name); it is
 * emptied when the lock is released.
 */
final class OutputLock implements AutoCloseable {

    /** Folders (real paths) locked by this process, and who holds each. */
    private static final Map<Path, String> HELD = new ConcurrentHashMap<>();

    private final Path folder;
    private final FileChannel channel;
    private final FileLock lock;

    private OutputLock(Path folder, FileChannel channel, FileLock lock) {
        this.folder = folder;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock of {@code dir} (an existing folder) for {@code holder}.
     *
     * @param dir    the folder as the user named it, for messages
     * @param holder who is taking it: {@code pid}, {@code host}, {@code started} and {@code config} entries
     * @throws OutputInUseException naming the holder if another sweep holds it
     * @throws OutputException      if the lock file cannot be created (the folder is not writable)
     */
    static OutputLock acquire(Path dir, Map<String, String> holder) {
        Path folder;
        try {
            folder = dir.toRealPath();
        } catch (IOException e) {
            throw new OutputException("output folder " + dir + " cannot be used: " + e + "; set output.dir or --out"
                    + " to a folder you can write", e);
        }
        Path file = folder.resolve(OutputLayout.LOCK_FILE);
        String text = format(holder);
        String sameProcess = HELD.putIfAbsent(folder, text);
        if (sameProcess != null) {
            throw inUse(dir, file, describe(parse(sameProcess)), " in this process");
        }
        boolean acquired = false;
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                // Other code of this process locked the file without going through HELD. Closing this channel
                // would release that lock (see the class comment), so the channel is deliberately left open.
                channel = null;
                throw inUse(dir, file, "other code than a sweep", " in this process");
            }
            if (lock == null) {
                throw inUse(dir, file, describe(parse(read(channel))), "");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(true);
            acquired = true;
            return new OutputLock(folder, channel, lock);
        } catch (FileSystemException e) {
            throw new OutputException("output folder " + dir + " is not writable: cannot create its lock file " + file
                    + " (" + reason(e) + "); make the folder writable by this user, or set output.dir or --out to"
                    + " a folder you can write", e);
        } catch (IOException e) {
            throw new OutputException("cannot lock output folder " + dir + " (" + file + ": " + e + "); set"
                    + " output.dir or --out to a folder on a local disk you can write", e);
        } finally {
            if (!acquired) {
                HELD.remove(folder, text);
                closeQuietly(channel);
            }
        }
    }

    /** Empties the lock file and releases the lock; the next sweep may take the folder. */
    @Override
    public void close() {
        try {
            if (channel.isOpen()) {
                channel.truncate(0);
                lock.release();
            }
        } catch (IOException e) {
            // Closing the channel below releases the lock in any case; stale content is harmless.
        } finally {
            closeQuietly(channel);
            HELD.remove(folder);
        }
    }

    /** "pid 12 on host h, started 2025-...Z, config conf/x.conf", or what is known of a holder just starting. */
    private static String describe(Map<String, String> holder) {
        if (holder.isEmpty()) {
            return "a sweep that is just starting (its lock file is still empty)";
        }
        return "pid " + holder.getOrDefault("pid", "?") + " on host " + holder.getOrDefault("host", "?")
                + ", started " + holder.getOrDefault("started", "?") + ", config " + holder.getOrDefault("config", "?");
    }

    private static OutputInUseException inUse(Path dir, Path file, String who, String where) {
        return new OutputInUseException("output folder " + dir + " is in use by another sweep" + where + ": " + who
                + " (lock file " + file + "). Two sweeps never write one folder: wait for that one to finish, or set"
                + " output.dir or --out to another folder");
    }

    /** The holder as {@code key=value} lines. */
    private static String format(Map<String, String> holder) {
        StringBuilder text = new StringBuilder();
        holder.forEach((k, v) -> text.append(k).append('=').append(v.replace('\n', ' ')).append('\n'));
        return text.toString();
    }

    private static Map<String, String> parse(String text) {
        Map<String, String> holder = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                holder.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return holder;
    }

    /** The lock file's content, read through the channel that tried to lock it (never through a new one). */
    private static String read(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(channel.size(), 64 * 1024));
        while (buffer.hasRemaining() && channel.read(buffer, buffer.position()) > 0) {
            // read until full or end of file
        }
        return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
    }

    private static String reason(FileSystemException e) {
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        return e.getReason() != null ? e.getReason() : e.getClass().getSimpleName();
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // Nothing to do: the descriptor is gone either way.
        }
    }
}
