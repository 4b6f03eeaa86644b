package dev.fisherpacknet.core.data;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectStreamException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;

/** {@link DataStore#LOCAL}: files of the local disk. */
final class LocalStore implements DataStore {
    private static final long serialVersionUID = 1L;


    @Override
    public InputStream open(DataPath file) throws IOException {
        return Files.newInputStream(local(file));
    }

    @Override
    public InputStream open(DataPath file, long position) throws IOException {
        FileChannel channel = FileChannel.open(local(file), StandardOpenOption.READ);
        channel.position(position);
        return java.nio.channels.Channels.newInputStream(channel);
    }

    @Override
    public long size(DataPath file) throws IOException {
        return Files.size(local(file));
    }

    @Override
    public boolean isFile(DataPath path) {
        return Files.isRegularFile(local(path));
    }

    @Override
    public boolean isDirectory(DataPath path) {
        return Files.isDirectory(local(path));
    }

    @Override
    public void readFully(DataPath file, long position, byte[] into) throws IOException {
        try (FileChannel channel = FileChannel.open(local(file), StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.wrap(into);
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, position + buffer.position()) < 0) {
                    throw new EOFException(file + " ends at byte " + (position + buffer.position()));
                }
            }
        }
    }

    private static java.nio.file.Path local(DataPath path) {
        if (!path.isLocal()) {
            throw new DataException(path + " is not on the local disk; a run outside Spark reads local files only"
                    + " (run the job with spark-submit, or copy the data to a local folder)");
        }
        return path.local();
    }

    /** One instance per JVM, also after deserialisation. */
    private Object readResolve() throws ObjectStreamException {
        return DataStore.LOCAL;
    }
}
