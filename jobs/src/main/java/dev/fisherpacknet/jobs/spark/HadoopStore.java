package dev.fisherpacknet.jobs.spark;

import dev.fisherpacknet.core.data.DataPath;
import dev.fisherpacknet.core.data.DataStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Data files on any Hadoop file system ({@code hdfs://}, {@code s3a://}, ...), with the Hadoop settings of the
 * job ({@code spark.hadoop.*}, {@code core-site.xml}) carried to the executors. Local paths are read through
 * {@link DataStore#LOCAL}, whose errors tell a missing file from an unreadable one, which Hadoop's local file
 * system does not.
 */
public final class HadoopStore implements DataStore {
    private static final long serialVersionUID = 1L;


    private final byte[] settings;
    private transient Configuration configuration;

    /** A store reading with {@code configuration} (the Spark context's Hadoop configuration). */
    public HadoopStore(Configuration configuration) {
        // Configuration is Writable, not Serializable: its entries travel as bytes, read once per executor JVM.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            configuration.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.settings = bytes.toByteArray();
        this.configuration = configuration;
    }

    private synchronized Configuration configuration() {
        if (configuration == null) {
            Configuration restored = new Configuration(false);
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(settings))) {
                restored.readFields(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            configuration = restored;
        }
        return configuration;
    }

    private FileSystem fileSystem(DataPath path) throws IOException {
        return FileSystem.get(path.uri(), configuration());
    }

    @Override
    public InputStream open(DataPath file) throws IOException {
        if (file.isLocal()) {
            return LOCAL.open(file);
        }
        return fileSystem(file).open(new Path(file.uri()));
    }

    @Override
    public InputStream open(DataPath file, long position) throws IOException {
        if (file.isLocal()) {
            return LOCAL.open(file, position);
        }
        FSDataInputStream in = fileSystem(file).open(new Path(file.uri()));
        try {
            in.seek(position);
            return in;
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    @Override
    public long size(DataPath file) throws IOException {
        if (file.isLocal()) {
            return LOCAL.size(file);
        }
        return fileSystem(file).getFileStatus(new Path(file.uri())).getLen();
    }

    @Override
    public boolean isFile(DataPath path) throws IOException {
        if (path.isLocal()) {
            return LOCAL.isFile(path);
        }
        FileStatus status = status(path);
        return status != null && status.isFile();
    }

    @Override
    public boolean isDirectory(DataPath path) throws IOException {
        if (path.isLocal()) {
            return LOCAL.isDirectory(path);
        }
        FileStatus status = status(path);
        return status != null && status.isDirectory();
    }

    private FileStatus status(DataPath path) throws IOException {
        try {
            return fileSystem(path).getFileStatus(new Path(path.uri()));
        } catch (FileNotFoundException e) {
            return null;
        }
    }

    @Override
    public void readFully(DataPath file, long position, byte[] into) throws IOException {
        if (file.isLocal()) {
            LOCAL.readFully(file, position, into);
            return;
        }
        try (FSDataInputStream in = fileSystem(file).open(new Path(file.uri()))) {
            in.readFully(position, into);
        }
    }
}
