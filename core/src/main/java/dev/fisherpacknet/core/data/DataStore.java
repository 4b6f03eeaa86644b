package dev.fisherpacknet.core.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;

/**
 * Reads data files wherever they live. {@link #LOCAL} reads the local disk; the Spark jobs pass one that reads
 * any Hadoop file system as well, and ship it to the executors, which read their record ranges through it.
 * Missing files are reported as {@link java.io.FileNotFoundException} or {@link java.nio.file.NoSuchFileException},
 * so that readers can tell them from damaged ones.
 */
public interface DataStore extends Serializable {

    /** The local disk, through {@link java.nio.file.Files}. */
    DataStore LOCAL = new LocalStore();

    /** A stream over the whole file. */
    InputStream open(DataPath file) throws IOException;

    /** A stream over the file from byte {@code position} on. */
    InputStream open(DataPath file, long position) throws IOException;

    /** The file's length in bytes. */
    long size(DataPath file) throws IOException;

    /** Whether {@code path} is a file that exists. */
    boolean isFile(DataPath path) throws IOException;

    /** Whether {@code path} is a folder that exists. */
    boolean isDirectory(DataPath path) throws IOException;

    /**
     * Fills {@code into} from byte {@code position} of {@code file}.
     *
     * @throws java.io.EOFException if the file ends first
     */
    void readFully(DataPath file, long position, byte[] into) throws IOException;
}
