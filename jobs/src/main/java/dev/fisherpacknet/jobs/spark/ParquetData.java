package dev.fisherpacknet.jobs.spark;

import static org.apache.spark.sql.functions.col;

import dev.fisherpacknet.core.data.CsvConfig;
import dev.fisherpacknet.core.data.CsvReader;
import dev.fisherpacknet.core.data.DataException;
import dev.fisherpacknet.core.data.DataPath;
import dev.fisherpacknet.core.data.ImageSet;
import dev.fisherpacknet.core.data.RecordRanges;
import dev.fisherpacknet.core.data.Splits;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import scala.Tuple2;

/**
 * The user's Parquet files ({@code data.source = parquet}), read through Spark by the executors. A file may be one
 * Parquet file or a folder of part files; the order of its records is by part-file path, then by row within the
 * part file (Spark's {@code _metadata.file_path} and {@code _metadata.row_index}), so that it does not depend on how
 * Spark splits the files into tasks. Every column but the label is a feature and must be numeric; labels are whole
 * numbers from 0. The driver reads the test files, per-file row counts and the training labels; the training rows
 * move once, by one shuffle, into the partitions of {@link RecordRanges}.
 */
final class ParquetData implements Serializable {
    private static final long serialVersionUID = 1L;


    private static final String FILE = "_fp_file";
    private static final String ROW = "_fp_row";

    /**
     * One training file, ready to be read: its selected columns and the base index of each of its part files.
     *
     * @param pair   its file pair (task)
     * @param file   where it is
     * @param key    the config key that named it
     * @param first  base index of each part file's first row, by part-file path
     * @param width  features per row
     */
    private record Source(int pair, DataPath file, String key, Map<String, Long> first, int width)
            implements Serializable {
    }

    /**
     * What the driver learns before any partition is cut.
     *
     * @param data        the executor-held training records, to cut into partitions
     * @param labels      every training record's label (shifted past earlier pairs' classes), in base order
     * @param test        the test rows
     * @param fileClasses each pair's classes
     */
    record Planned(ParquetData data, int[] labels, ImageSet test, List<List<Integer>> fileClasses) {
    }

    private final transient SparkSession spark;
    private final CsvConfig files;
    private final List<Source> sources;
    private final int[] shifts;
    private final int width;
    private final int numClasses;

    private ParquetData(SparkSession spark, CsvConfig files, List<Source> sources, int[] shifts, int width,
                        int numClasses) {
        this.spark = spark;
        this.files = files;
        this.sources = sources;
        this.shifts = shifts;
        this.width = width;
        this.numClasses = numClasses;
    }

    /**
     * Plans the read of the training files and reads the test files and the training labels.
     *
     * @throws DataException naming the file, row and problem
     */
    static Planned plan(SparkSession spark, CsvConfig config) {
        return TrainShards.reportingDataErrors(() -> {
            List<Source> sources = new ArrayList<>();
            List<CsvReader.Block> tests = new ArrayList<>();
            List<int[]> trainLabels = new ArrayList<>();
            long records = 0;
            for (int k = 0; k < config.files().size(); k++) {
                CsvConfig.FilePair pair = config.files().get(k);
                Dataset<Row> train = selected(spark, pair.train(), pair.trainKey(), config.labelColumn());
                Map<String, Long> first = new TreeMap<>();
                for (Row count : train.groupBy(FILE).count().collectAsList()) {
                    first.put(count.getString(0), count.getLong(1));
                }
                for (Map.Entry<String, Long> part : first.entrySet()) {
                    long rows = part.getValue();
                    part.setValue(records);
                    records += rows;
                }
                Source source = new Source(k, pair.train(), pair.trainKey(), first, train.schema().size() - 3);
                sources.add(source);
                trainLabels.add(labels(train, source, config));
                tests.add(whole(selected(spark, pair.test(), pair.testKey(), config.labelColumn()), pair.test(),
                        pair.testKey(), config));
            }
            int width = sources.get(0).width();
            for (int k = 0; k < sources.size(); k++) {
                for (int w : new int[] {sources.get(k).width(), tests.get(k).width()}) {
                    if (w != width) {
                        throw new DataException("Parquet files " + sources.get(0).file() + " and "
                                + config.files().get(k).test() + " (or " + sources.get(k).file() + ") differ in their"
                                + " number of feature columns (" + width + " and " + w + "); every file of an"
                                + " experiment needs the same features");
                    }
                }
            }
            int[] trainMax = trainLabels.stream().mapToInt(y -> Arrays.stream(y).max().orElse(-1)).toArray();
            int[] testMax = tests.stream().mapToInt(CsvReader.Block::maxLabel).toArray();
            CsvRanges.PairClasses classes = CsvRanges.PairClasses.of(config, trainMax, testMax, "Parquet");
            int[] labels = new int[Math.toIntExact(records)];
            int n = 0;
            for (int k = 0; k < trainLabels.size(); k++) {
                for (int y : trainLabels.get(k)) {
                    labels[n++] = y + classes.shift()[k];
                }
            }
            ImageSet test = CsvRanges.concatenate(tests, classes.shift(), width, classes.total());
            return new Planned(new ParquetData(spark, config, List.copyOf(sources), classes.shift(), width,
                    classes.total()), labels, test, classes.fileClasses());
        });
    }

    /** Training and test sets read whole onto the driver, for runs that hold all their data in one task. */
    static Splits.TrainTest loadWhole(SparkSession spark, CsvConfig config) {
        Planned planned = plan(spark, config);
        ImageSet train = planned.data().partitions(new RecordRanges(planned.labels().length, 1)).collect().get(0)
                .records();
        return new Splits.TrainTest(train, planned.test(), planned.fileClasses());
    }

    /** The training records cut into {@code plan}'s partitions, in one shuffle. */
    JavaRDD<TrainShards.Shard> partitions(RecordRanges plan) {
        JavaRDD<Tuple2<Integer, CsvRanges.Placed>> pieces = null;
        for (Source source : sources) {
            CsvConfig config = files;
            int shift = shifts[source.pair()];
            JavaRDD<Tuple2<Integer, CsvRanges.Placed>> these = selected(spark, source.file(), source.key(),
                    config.labelColumn()).toJavaRDD()
                    .mapPartitions(rows -> runs(rows, source, config, shift, plan));
            pieces = pieces == null ? these : pieces.union(these);
        }
        int features = width;
        int classes = numClasses;
        return pieces.mapToPair(t -> t)
                .partitionBy(new HashPartitioner(plan.parts()))
                .mapPartitionsWithIndex((p, in) -> CsvRanges.assemble(plan, p, in, features, classes), true);
    }

    /** Consecutive rows of a Spark partition (a row range of one part file), cut at the partition boundaries. */
    private static Iterator<Tuple2<Integer, CsvRanges.Placed>> runs(Iterator<Row> rows, Source source,
                                                                    CsvConfig config, int shift, RecordRanges plan) {
        List<Tuple2<Integer, CsvRanges.Placed>> out = new ArrayList<>();
        List<Row> run = new ArrayList<>();
        long runFirst = -1;
        while (rows.hasNext()) {
            Row row = rows.next();
            long index = index(row, source);
            boolean continues = !run.isEmpty() && index == runFirst + run.size()
                    && plan.partitionOf(index) == plan.partitionOf(runFirst);
            if (!continues && !run.isEmpty()) {
                out.add(placed(run, runFirst, source, config, shift, plan));
                run.clear();
            }
            if (run.isEmpty()) {
                runFirst = index;
            }
            run.add(row);
        }
        if (!run.isEmpty()) {
            out.add(placed(run, runFirst, source, config, shift, plan));
        }
        return out.iterator();
    }

    private static Tuple2<Integer, CsvRanges.Placed> placed(List<Row> run, long first, Source source,
                                                            CsvConfig config, int shift, RecordRanges plan) {
        return new Tuple2<>(plan.partitionOf(first),
                new CsvRanges.Placed(first, shift, block(run, source.file(), source.key(), config)));
    }

    private static long index(Row row, Source source) {
        Long first = source.first().get(row.getString(0));
        if (first == null) {
            throw new DataException("Parquet file " + source.file() + " (" + source.key() + ") gained part file "
                    + row.getString(0) + " while the job ran; do not change the data during a run");
        }
        return first + row.getLong(1);
    }

    /** The labels of a training file, in base order, read by the executors and collected here. */
    private static int[] labels(Dataset<Row> train, Source source, CsvConfig config) {
        List<long[]> pairs = train.select(col(FILE), col(ROW), col(train.columns()[2])).toJavaRDD()
                .mapPartitions(rows -> {
                    List<long[]> out = new ArrayList<>();
                    while (rows.hasNext()) {
                        Row row = rows.next();
                        long index = index(row, source);
                        out.add(new long[] {index, label(row, 2, row.getLong(1), source.file(), source.key(), config)});
                    }
                    return out.iterator();
                }).collect();
        long base = source.first().values().stream().mapToLong(Long::longValue).min().orElse(0);
        int[] labels = new int[pairs.size()];
        for (long[] pair : pairs) {
            labels[(int) (pair[0] - base)] = (int) pair[1];
        }
        return labels;
    }

    /** A file's rows collected onto the driver, in base order. */
    private static CsvReader.Block whole(Dataset<Row> rows, DataPath file, String key, CsvConfig config) {
        List<Row> all = new ArrayList<>(rows.collectAsList());
        all.sort((a, b) -> {
            int byFile = a.getString(0).compareTo(b.getString(0));
            return byFile != 0 ? byFile : Long.compare(a.getLong(1), b.getLong(1));
        });
        return block(all, file, key, config);
    }

    /**
     * The columns of a Parquet file in the order this reader uses: part file, row in it, label, features; checked to
     * be a label and numeric features.
     */
    private static Dataset<Row> selected(SparkSession spark, DataPath file, String key, int labelColumn) {
        Dataset<Row> raw;
        try {
            raw = spark.read().parquet(file.uri().toString());
        } catch (Exception e) {
            // AnalysisException is checked, and thrown by Scala code that Java cannot see declare it.
            String why = String.valueOf(e.getMessage());
            throw new DataException("Parquet file " + file + " (" + key + ") " + (why.contains("PATH_NOT_FOUND")
                    || why.contains("does not exist") ? "does not exist; a relative path is taken from the working"
                    + " directory of the command that started the job" : "cannot be read as Parquet: " + why), e);
        }
        StructField[] fields = raw.schema().fields();
        if (fields.length < 2) {
            throw new DataException("Parquet file " + file + " (" + key + ") has " + fields.length + " column; it"
                    + " needs a label column and at least one feature column");
        }
        int label = labelColumn >= 0 ? labelColumn : fields.length + labelColumn;
        if (label < 0 || label >= fields.length) {
            throw new DataException("data.label-column is " + labelColumn + " but Parquet file " + file + " (" + key
                    + ") has " + fields.length + " columns (counted from 0; -1 is the last): "
                    + String.join(", ", raw.columns()));
        }
        List<Column> columns = new ArrayList<>(List.of(col("_metadata.file_path").as(FILE),
                col("_metadata.row_index").as(ROW), col(quoted(fields[label].name()))));
        for (int c = 0; c < fields.length; c++) {
            if (!(fields[c].dataType() instanceof NumericType)) {
                throw new DataException("Parquet file " + file + " (" + key + "): column '" + fields[c].name()
                        + "' holds " + fields[c].dataType().simpleString() + " values; every column must be a"
                        + " number (the label a whole number from 0)");
            }
            if (c != label) {
                columns.add(col(quoted(fields[c].name())));
            }
        }
        return raw.select(columns.toArray(Column[]::new));
    }

    private static String quoted(String name) {
        return "`" + name.replace("`", "``") + "`";
    }

    /** Rows of {@link #selected} as features and labels (labels as written), checked. */
    private static CsvReader.Block block(List<Row> rows, DataPath file, String key, CsvConfig config) {
        int width = rows.isEmpty() ? 0 : rows.get(0).size() - 3;
        float[] features = new float[rows.size() * width];
        int[] labels = new int[rows.size()];
        int maxLabel = -1;
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            long at = row.getLong(1);
            labels[i] = label(row, 2, at, file, key, config);
            maxLabel = Math.max(maxLabel, labels[i]);
            for (int f = 0; f < width; f++) {
                Object value = row.get(3 + f);
                float x = value == null ? Float.NaN : ((Number) value).floatValue();
                if (!Float.isFinite(x)) {
                    throw new DataException("Parquet file " + file + " (" + key + "), part " + row.getString(0)
                            + ", row " + at + ": feature column " + row.schema().fields()[3 + f].name() + " holds "
                            + (value == null ? "null" : value) + "; every feature needs a finite number");
                }
                features[i * width + f] = x;
            }
        }
        return new CsvReader.Block(features, labels, width, maxLabel);
    }

    private static int label(Row row, int column, long at, DataPath file, String key, CsvConfig config) {
        Object value = row.get(column);
        double y = value == null ? Double.NaN : ((Number) value).doubleValue();
        String where = "Parquet file " + file + " (" + key + "), part " + row.getString(0) + ", row " + at
                + ": label " + value + " in column " + row.schema().fields()[column].name();
        if (!(y >= 0 && y <= Integer.MAX_VALUE && y == Math.rint(y))) {
            throw new DataException(where + " is not a class number (a whole number from 0)");
        }
        if (config.classes() > 0 && y >= config.classes()) {
            throw new DataException(where + " is outside [0, " + config.classes() + "), the classes set by"
                    + " data.classes = " + config.classes());
        }
        return (int) y;
    }
}
