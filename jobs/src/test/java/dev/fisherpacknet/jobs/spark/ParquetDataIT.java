package dev.fisherpacknet.jobs.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fisherpacknet.core.data.CsvConfig;
import dev.fisherpacknet.core.data.DataConfig;
import dev.fisherpacknet.core.data.DataException;
import dev.fisherpacknet.core.data.DataSource;
import dev.fisherpacknet.core.data.ImageSet;
import dev.fisherpacknet.core.data.Splits;
import dev.fisherpacknet.jobs.SparkTestSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parquet files read by the executors, against rows written in a known order. */
class ParquetDataIT extends SparkTestSession {

    private static final StructType SCHEMA = new StructType()
            .add("x", DataTypes.DoubleType).add("label", DataTypes.IntegerType)
            .add("y", DataTypes.FloatType).add("z", DataTypes.LongType);

    @TempDir
    Path dir;

    /**
     * A folder of part files holding {@code chunks} of rows, written in the order given but named in reverse (the
     * last chunk is a.parquet): the reader's record order is by part-file name, then by row, whatever the order of
     * writing.
     */
    private Path folder(String name, List<List<Row>> chunks) throws IOException {
        Path target = Files.createDirectories(dir.resolve(name));
        for (int c = 0; c < chunks.size(); c++) {
            Path written = dir.resolve(name + "-chunk-" + c);
            spark.createDataFrame(chunks.get(c), SCHEMA).coalesce(1).write().parquet(written.toString());
            try (Stream<Path> files = Files.list(written)) {
                Path part = files.filter(f -> f.getFileName().toString().endsWith(".parquet")).findFirst()
                        .orElseThrow();
                Files.move(part, target.resolve((char) ('a' + chunks.size() - 1 - c) + ".parquet"));
            }
        }
        return target;
    }

    private static List<Row> rows(int count, int classes, long seed) {
        Random random = new Random(seed);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            rows.add(RowFactory.create(random.nextDouble(), random.nextInt(classes), random.nextFloat(),
                    (long) random.nextInt(5)));
        }
        return rows;
    }

    /** The examples {@code rows} hold, written independently of the reader: features x, y, z; label shifted. */
    private static ImageSet expected(List<Row> rows, int shift, int numClasses) {
        float[] features = new float[rows.size() * 3];
        int[] labels = new int[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            features[3 * i] = (float) row.getDouble(0);
            features[3 * i + 1] = row.getFloat(2);
            features[3 * i + 2] = row.getLong(3);
            labels[i] = row.getInt(1) + shift;
        }
        return new ImageSet(features, labels, 3, numClasses);
    }

    @Test
    void partitions_holdTheRowsInPartFileAndRowOrder_withTheSecondPairsLabelsShifted() throws IOException {
        List<Row> a1 = rows(23, 3, 1);
        List<Row> a2 = rows(17, 3, 2);
        List<Row> b1 = rows(30, 2, 3);
        List<Row> aTest = rows(7, 3, 4);
        List<Row> bTest = rows(6, 2, 5);
        Path aTrain = folder("a-train", List.of(a2, a1));
        CsvConfig parquet = new CsvConfig(List.of(
                new CsvConfig.FilePair(aTrain, folder("a-test", List.of(aTest)), "tasks.files[0].train",
                        "tasks.files[0].test"),
                new CsvConfig.FilePair(folder("b-train", List.of(b1)), folder("b-test", List.of(bTest)),
                        "tasks.files[1].train", "tasks.files[1].test")), 1, false, 0);
        List<Row> train = new ArrayList<>(a1);
        train.addAll(a2);
        ImageSet first = expected(train, 0, 5);
        ImageSet second = expected(b1, 3, 5);
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());

        TrainShards.Loaded loaded = TrainShards.fromParquet(sc, parquet);
        try (TrainShards shards = loaded.shards()) {
            List<TrainShards.Shard> read = shards.partitions(4).collect();

            int n = first.size() + second.size();
            assertEquals(n, loaded.data().trainRecords().size());
            assertEquals(List.of(List.of(0, 1, 2), List.of(3, 4)), loaded.data().fileClasses());
            for (TrainShards.Shard shard : read) {
                for (int i = 0; i < shard.records().size(); i++) {
                    int record = (int) shard.first() + i;
                    ImageSet from = record < first.size() ? first : second;
                    int at = record < first.size() ? record : record - first.size();
                    assertEquals(from.select(new int[] {at}), shard.records().select(new int[] {i}),
                            "record " + record);
                    assertEquals(from.label(at), loaded.data().trainRecords().label(record));
                }
            }
            assertEquals(n, read.stream().mapToInt(s -> s.records().size()).sum());
            ImageSet test = loaded.data().test();
            assertEquals(expected(aTest, 0, 5).select(IntStream.range(0, 7).toArray()),
                    test.select(IntStream.range(0, 7).toArray()));
            assertEquals(expected(bTest, 3, 5).select(IntStream.range(0, 6).toArray()),
                    test.select(IntStream.range(7, 13).toArray()));
        }
        Splits.TrainTest whole = TrainShards.loadWhole(sc, new DataConfig(
                DataSource.PARQUET, Optional.empty(), dir, 0.8, parquet));
        assertEquals(first, whole.train().select(IntStream.range(0, first.size()).toArray()));
    }

    @Test
    void aTextColumn_andANullFeature_areNamedWithFileAndRow() throws IOException {
        Path text = dir.resolve("text");
        spark.createDataFrame(List.of(RowFactory.create(1, "a")), new StructType().add("label", DataTypes.IntegerType)
                .add("name", DataTypes.StringType)).write().parquet(text.toString());
        List<Row> withNull = rows(5, 2, 6);
        withNull.set(3, RowFactory.create(null, 1, 0.5f, 2L));
        Path nulls = folder("nulls", List.of(withNull));
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());

        DataException textError = assertThrows(DataException.class, () -> TrainShards.fromParquet(sc,
                new CsvConfig(List.of(new CsvConfig.FilePair(text, text, "data.train-file", "data.test-file")), 0,
                        false, 0)));
        DataException nullError = assertThrows(DataException.class, () -> TrainShards.fromParquet(sc,
                new CsvConfig(List.of(new CsvConfig.FilePair(nulls, nulls, "data.train-file", "data.test-file")), 1,
                        false, 0)));
        DataException missing = assertThrows(DataException.class, () -> TrainShards.fromParquet(sc,
                new CsvConfig(List.of(new CsvConfig.FilePair(dir.resolve("none"), nulls, "data.train-file",
                        "data.test-file")), 1, false, 0)));

        assertTrue(textError.getMessage().contains("column 'name' holds string values"), textError.getMessage());
        assertTrue(nullError.getMessage().contains("a.parquet, row 3: feature column x holds null"),
                nullError.getMessage());
        assertTrue(missing.getMessage().contains(dir.resolve("none") + " (data.train-file) does not exist"),
                missing.getMessage());
    }
}
