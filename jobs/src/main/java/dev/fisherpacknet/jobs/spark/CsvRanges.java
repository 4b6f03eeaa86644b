package dev.fisherpacknet.jobs.spark;

import dev.fisherpacknet.core.data.CsvConfig;
import dev.fisherpacknet.core.data.CsvReader;
import dev.fisherpacknet.core.data.DataException;
import dev.fisherpacknet.core.data.DataPath;
import dev.fisherpacknet.core.data.DataStore;
import dev.fisherpacknet.core.data.ImageSet;
import dev.fisherpacknet.core.data.RecordRanges;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import scala.Tuple2;

/**
 * CSV training files read by the executors: each file is cut into byte ranges, each range parsed by the executor
 * that reads it ({@link CsvReader#readRange}), and the rows then moved once, by one shuffle, into the partitions of
 * {@link RecordRanges}, in which the record order is the files' order (file pair by file pair, row by row). The
 * driver reads each file's first data row (its layout), the test files, and the per-range row counts and labels.
 */
final class CsvRanges implements Serializable {
    private static final long serialVersionUID = 1L;


    /** Bytes per range: a range is one Spark task's parse, and CSV text is about 2 to 4 times its floats. */
    static final long DEFAULT_RANGE_BYTES = 32L << 20;

    /**
     * One byte range of one training file.
     *
     * @param pair  the file pair (task) it belongs to
     * @param file  the training file
     * @param key   the config key that named it
     * @param start first byte
     * @param end   one past the last byte
     */
    record Range(int pair, DataPath file, String key, CsvReader.Layout layout, long start, long end)
            implements Serializable {
    }

    /** The rows of a range, with where they go: the base index of the first row and the label shift of its pair. */
    record Placed(long first, int labelShift, CsvReader.Block block) implements Serializable {
    }

    private final DataStore store;
    private final CsvConfig format;
    private final List<Range> ranges;
    private final long[] firsts;
    private final int[] shifts;
    private final int width;
    private final int numClasses;

    private CsvRanges(DataStore store, CsvConfig format, List<Range> ranges, long[] firsts, int[] shifts, int width,
                      int numClasses) {
        this.store = store;
        this.format = format;
        this.ranges = ranges;
        this.firsts = firsts;
        this.shifts = shifts;
        this.width = width;
        this.numClasses = numClasses;
    }

    /**
     * What the driver learns before any partition is cut.
     *
     * @param ranges      the training files' ranges, placed
     * @param labels      every training record's label (shifted past earlier pairs' classes), in base order
     * @param test        the test rows, read by the driver
     * @param fileClasses each pair's classes
     */
    record Planned(CsvRanges ranges, int[] labels, ImageSet test, List<List<Integer>> fileClasses) {
    }

    /**
     * Plans the read of {@code csv}'s training files: layouts read here, rows counted and labels collected by one
     * Spark job over the ranges, and the test files read here, with the classes of each pair worked out as
     * {@link CsvReader#read} does.
     *
     * @throws DataException naming the file, line and problem
     */
    static Planned plan(JavaSparkContext sc, DataStore store, CsvConfig csv, long rangeBytes) {
        List<Range> ranges = new ArrayList<>();
        for (int k = 0; k < csv.files().size(); k++) {
            CsvConfig.FilePair pair = csv.files().get(k);
            CsvReader.Layout layout = CsvReader.layout(store, pair.train(), pair.trainKey(), csv);
            long size;
            try {
                size = store.size(pair.train());
            } catch (IOException e) {
                throw new DataException("CSV file " + pair.train() + " (" + pair.trainKey() + ") cannot be read: "
                        + e.getMessage(), e);
            }
            for (long start = 0; start < size; start += rangeBytes) {
                ranges.add(new Range(k, pair.train(), pair.trainKey(), layout, start, Math.min(size, start
                        + rangeBytes)));
            }
        }
        CsvConfig format = csv;
        // Each range's rows are parsed once here for their labels; the partitions parse them again from the files
        // rather than keeping a second copy of the data on the executors.
        List<Tuple2<Integer, int[]>> labelsPerRange = TrainShards.reportingDataErrors(() ->
                sc.parallelize(IntStream.range(0, ranges.size()).boxed().toList(), Math.max(1, ranges.size()))
                        .map(i -> new Tuple2<>(i, read(store, format, ranges.get(i)).labels()))
                        .collect());
        Splits test = readTests(store, csv);
        int[] maxLabel = new int[csv.files().size()];
        java.util.Arrays.fill(maxLabel, -1);
        long[] firsts = new long[ranges.size()];
        long records = 0;
        for (Tuple2<Integer, int[]> counted : labelsPerRange) {
            firsts[counted._1()] = records;
            records += counted._2().length;
            for (int label : counted._2()) {
                maxLabel[ranges.get(counted._1()).pair()] = Math.max(maxLabel[ranges.get(counted._1()).pair()], label);
            }
        }
        int[] testMax = IntStream.range(0, csv.files().size()).map(test::maxLabel).toArray();
        PairClasses pairs = PairClasses.of(csv, maxLabel, testMax, "CSV");
        int[] pairShift = pairs.shift();
        List<List<Integer>> fileClasses = pairs.fileClasses();
        int offset = pairs.total();
        int width = ranges.get(0).layout().columns() - 1;
        for (Range range : ranges) {
            if (range.layout().columns() - 1 != width || test.width() != width) {
                throw new DataException(range.file() + " (" + range.key() + ") has " + (range.layout().columns() - 1)
                        + " feature columns per row, but " + ranges.get(0).file() + " (" + ranges.get(0).key()
                        + ") has " + width + " and the test files " + test.width()
                        + "; every file of an experiment needs the same features");
            }
        }
        int[] labels = new int[Math.toIntExact(records)];
        int[] shifts = new int[ranges.size()];
        for (Tuple2<Integer, int[]> counted : labelsPerRange) {
            int r = counted._1();
            shifts[r] = pairShift[ranges.get(r).pair()];
            for (int i = 0; i < counted._2().length; i++) {
                labels[(int) firsts[r] + i] = counted._2()[i] + shifts[r];
            }
        }
        ImageSet testSet = test.shifted(pairShift, offset);
        return new Planned(new CsvRanges(store, csv, List.copyOf(ranges), firsts, shifts, width, offset), labels,
                testSet, fileClasses);
    }

    /**
     * The records cut into {@code ranges}' partitions: every byte range read again by an executor and its rows sent
     * to the partitions they belong to, in one shuffle.
     */
    JavaRDD<TrainShards.Shard> partitions(JavaSparkContext sc, RecordRanges plan) {
        DataStore files = store;
        CsvConfig csv = format;
        List<Range> all = ranges;
        long[] first = firsts;
        int[] shift = shifts;
        int features = width;
        int classes = numClasses;
        return sc.parallelize(IntStream.range(0, all.size()).boxed().toList(), Math.max(1, all.size()))
                .flatMapToPair(r -> pieces(plan, new Placed(first[r], shift[r], read(files, csv, all.get(r)))))
                .partitionBy(new HashPartitioner(plan.parts()))
                .mapPartitionsWithIndex((p, pieces) -> assemble(plan, p, pieces, features, classes), true);
    }

    private static CsvReader.Block read(DataStore store, CsvConfig format, Range range) {
        return CsvReader.readRange(store, range.file(), range.key(), format, range.layout(), range.start(),
                range.end());
    }

    /**
     * Each file pair's classes and the shift of its labels past the earlier pairs' classes, as
     * {@link CsvReader#read} works them out: {@code data.classes}, or the largest label of the pair + 1.
     *
     * @param shift       added to each pair's labels
     * @param fileClasses each pair's classes after the shift
     * @param total       classes of all pairs
     */
    record PairClasses(int[] shift, List<List<Integer>> fileClasses, int total) {
        static PairClasses of(CsvConfig csv, int[] trainMax, int[] testMax, String kind) {
            int[] shift = new int[csv.files().size()];
            List<List<Integer>> fileClasses = new ArrayList<>();
            int offset = 0;
            for (int k = 0; k < shift.length; k++) {
                CsvConfig.FilePair pair = csv.files().get(k);
                if (trainMax[k] < 0) {
                    throw new DataException(kind + " file " + pair.train() + " (" + pair.trainKey() + ") has no"
                            + " data rows; it needs one example per row: a label and its features");
                }
                int classes = csv.classes() > 0 ? csv.classes() : Math.max(trainMax[k], testMax[k]) + 1;
                if (classes < 2) {
                    throw new DataException(pair.train() + " and " + pair.test() + " hold only label 0; a task needs"
                            + " at least two classes (set data.classes if the other classes just have no examples"
                            + " here)");
                }
                shift[k] = offset;
                fileClasses.add(IntStream.range(offset, offset + classes).boxed().toList());
                offset += classes;
            }
            return new PairClasses(shift, fileClasses, offset);
        }
    }

    /** A range's rows cut at the partition boundaries, each piece keyed by its partition. */
    static Iterator<Tuple2<Integer, Placed>> pieces(RecordRanges plan, Placed placed) {
        List<Tuple2<Integer, Placed>> out = new ArrayList<>();
        CsvReader.Block block = placed.block();
        long end = placed.first() + block.size();
        long at = placed.first();
        while (at < end) {
            int p = plan.partitionOf(at);
            long upTo = Math.min(end, plan.end(p));
            int from = (int) (at - placed.first());
            int to = (int) (upTo - placed.first());
            float[] features = java.util.Arrays.copyOfRange(block.features(), from * block.width(), to * block.width());
            int[] labels = java.util.Arrays.copyOfRange(block.labels(), from, to);
            out.add(new Tuple2<>(p, new Placed(at, placed.labelShift(),
                    new CsvReader.Block(features, labels, block.width(), block.maxLabel()))));
            at = upTo;
        }
        return out.iterator();
    }

    static Iterator<TrainShards.Shard> assemble(RecordRanges plan, int p, Iterator<Tuple2<Integer, Placed>> in,
                                                        int width, int numClasses) {
        List<Placed> pieces = new ArrayList<>();
        in.forEachRemaining(t -> pieces.add(t._2()));
        pieces.sort(Comparator.comparingLong(Placed::first));
        int size = plan.size(p);
        float[] features = new float[Math.multiplyExact(size, width)];
        int[] labels = new int[size];
        int n = 0;
        for (Placed piece : pieces) {
            if (piece.first() != plan.first(p) + n) {
                throw new IllegalStateException("partition " + p + " misses records from " + (plan.first(p) + n));
            }
            CsvReader.Block block = piece.block();
            System.arraycopy(block.features(), 0, features, n * width, block.features().length);
            for (int i = 0; i < block.size(); i++) {
                labels[n + i] = block.labels()[i] + piece.labelShift();
            }
            n += block.size();
        }
        if (n != size) {
            throw new IllegalStateException("partition " + p + " holds " + n + " records, expected " + size);
        }
        return List.of(new TrainShards.Shard(p, plan.first(p), ImageSet.adopt(features, labels, width, numClasses)))
                .iterator();
    }

    /** The test files of every pair, read by the driver, with their labels as written. */
    private record Splits(List<CsvReader.Block> blocks) {
        int maxLabel(int pair) {
            return blocks.get(pair).maxLabel();
        }

        int width() {
            return blocks.get(0).width();
        }

        ImageSet shifted(int[] shift, int numClasses) {
            return concatenate(blocks, shift, width(), numClasses);
        }
    }

    /**
     * The rows of {@code blocks} one after the other, block k's labels shifted by {@code shift[k]}: the test rows of
     * every file pair, as the driver keeps them.
     */
    static ImageSet concatenate(List<CsvReader.Block> blocks, int[] shift, int width, int numClasses) {
        int rows = blocks.stream().mapToInt(CsvReader.Block::size).sum();
        float[] features = new float[rows * width];
        int[] labels = new int[rows];
        int n = 0;
        for (int k = 0; k < blocks.size(); k++) {
            CsvReader.Block block = blocks.get(k);
            if (block.size() > 0 && block.width() != width) {
                throw new DataException("the test files hold " + block.width() + " and " + width
                        + " feature columns per row; every file of an experiment needs the same features");
            }
            System.arraycopy(block.features(), 0, features, n * width, block.features().length);
            for (int i = 0; i < block.size(); i++) {
                labels[n + i] = block.labels()[i] + shift[k];
            }
            n += block.size();
        }
        return ImageSet.adopt(features, labels, width, numClasses);
    }

    private static Splits readTests(DataStore store, CsvConfig csv) {
        List<CsvReader.Block> blocks = new ArrayList<>();
        for (CsvConfig.FilePair pair : csv.files()) {
            CsvReader.Layout layout = CsvReader.layout(store, pair.test(), pair.testKey(), csv);
            blocks.add(CsvReader.readRange(store, pair.test(), pair.testKey(), csv, layout, 0, Long.MAX_VALUE));
        }
        return new Splits(blocks);
    }
}
