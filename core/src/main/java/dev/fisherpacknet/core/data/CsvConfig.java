package dev.fisherpacknet.core.data;

import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import dev.fisherpacknet.core.ConfigException;
import dev.fisherpacknet.core.ConfigValues;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * CSV data ({@code data.source = csv}): which files to read and how their rows are laid out. Each row is one
 * example: a label column and any number of feature columns, the same number in every row of every file.
 *
 * @param files       one train/test pair for the permuted, split and rotated streams; one pair per task for
 *                    {@code tasks.stream = files}; empty for the other data sources
 * @param labelColumn column of the label, from 0; negative counts from the end (-1 is the last column)
 * @param header      whether the first line of every file is a header to skip
 * @param classes     classes of each pair's labels; 0 means the largest label in the pair + 1
 */
public record CsvConfig(List<FilePair> files, int labelColumn, boolean header, int classes)
        implements java.io.Serializable {

    /**
     * The table files and their layout. The files come from data.train-file and data.test-file, or, for
     * tasks.stream = files, one pair per entry of tasks.files; each key is accepted only where it is read.
     */
    static CsvConfig read(ConfigValues v, DataSource source) {
        int labelColumn = v.intValue("data.label-column");
        boolean header = v.bool("data.header");
        int classes = v.intAtLeast("data.classes", 0);
        if (classes == 1) {
            throw v.invalid("data.classes", "must be 0 (the largest label + 1) or at least 2");
        }
        Optional<String> trainFile = v.optionalString("data.train-file");
        Optional<String> testFile = v.optionalString("data.test-file");
        TaskStreamKind stream = v.choice("tasks.stream", TaskStreamKind.class);
        List<FilePair> taskFiles = taskFiles(v, "tasks.files");
        if (!taskFiles.isEmpty() && stream != TaskStreamKind.FILES) {
            throw new ConfigException("tasks.files is set " + v.where("tasks.files") + " but tasks.stream is "
                    + stream.configName() + " " + v.where("tasks.stream") + "; the files are read only by"
                    + " tasks.stream = files");
        }
        String fileKey = trainFile.isPresent() ? "data.train-file" : "data.test-file";
        boolean singleFiles = trainFile.isPresent() || testFile.isPresent();
        if (!source.readsUserTables()) {
            if (stream == TaskStreamKind.FILES) {
                throw new ConfigException("tasks.stream = files " + v.where("tasks.stream") + " reads the CSV files"
                        + " of tasks.files, so it needs data.source = csv (or parquet), got " + source.configName()
                        + " " + v.where("data.source"));
            }
            if (singleFiles) {
                throw new ConfigException(fileKey + " is set " + v.where(fileKey) + " but data.source is "
                        + source.configName() + " " + v.where("data.source") + "; CSV files are read only with"
                        + " data.source = csv (Parquet files with data.source = parquet)");
            }
            return NONE;
        }
        List<FilePair> files;
        if (stream == TaskStreamKind.FILES) {
            if (singleFiles) {
                throw new ConfigException(fileKey + " is set " + v.where(fileKey) + " but tasks.stream = files"
                        + " reads each task's files from tasks.files; remove data.train-file and data.test-file");
            }
            if (taskFiles.isEmpty()) {
                throw v.invalid("tasks.files", "must list one {train = \"...\", test = \"...\"} per task"
                        + " for tasks.stream = files");
            }
            files = taskFiles;
        } else {
            if (trainFile.isEmpty() || testFile.isEmpty()) {
                throw new ConfigException("data.source = " + source.configName() + " " + v.where("data.source")
                        + " needs data.train-file and data.test-file, the " + (source == DataSource.CSV ? "CSV"
                        : "Parquet") + " files of the training and the test examples (or"
                        + " tasks.stream = files with tasks.files, one pair per task)");
            }
            files = List.of(new FilePair(location(v, "data.train-file", trainFile.get()),
                    location(v, "data.test-file", testFile.get()), "data.train-file", "data.test-file"));
        }
        return new CsvConfig(files, labelColumn, header, classes);
    }

    /** The entries of tasks.files: each {train = "...", test = "..."}, and nothing else. */
    static List<FilePair> taskFiles(ConfigValues v, String path) {
        ConfigValue value = v.value(path);
        if (!(value instanceof ConfigList list)) {
            throw v.invalid(path, "must be a list of {train = \"...\", test = \"...\"} entries, one per task");
        }
        List<FilePair> pairs = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String entry = path + "[" + i + "]";
            if (!(list.get(i) instanceof ConfigObject object)) {
                throw new ConfigException(entry + " must be {train = \"train.csv\", test = \"test.csv\"}, got "
                        + ConfigValues.render(list.get(i)) + " " + ConfigValues.where(list.get(i)));
            }
            for (String key : object.keySet()) {
                if (!key.equals("train") && !key.equals("test")) {
                    throw new ConfigException(entry + " has unknown key '" + key + "' "
                            + ConfigValues.where(object.get(key)) + "; each entry has exactly train and test");
                }
            }
            pairs.add(new FilePair(location(v, entry + ".train", fileOf(object, entry, "train")),
                    location(v, entry + ".test", fileOf(object, entry, "test")), entry + ".train", entry + ".test"));
        }
        return pairs;
    }

    private static String fileOf(ConfigObject entry, String label, String key) {
        ConfigValue file = entry.get(key);
        if (file == null) {
            throw new ConfigException(label + " needs " + key + ", the CSV file of the task's " + key
                    + (key.equals("train") ? "ing" : "") + " examples " + ConfigValues.where(entry));
        }
        if (!(file.unwrapped() instanceof String name) || name.isBlank()) {
            throw new ConfigException(label + "." + key + " must be a file name, got " + ConfigValues.render(file)
                    + " " + ConfigValues.where(file));
        }
        return name;
    }

    /** A data location: a local path, or a URI of a Hadoop file system. */
    static DataPath location(ConfigValues v, String path, String value) {
        try {
            return DataPath.of(value);
        } catch (IllegalArgumentException e) {
            throw v.invalid(path, "must be a local path or a URI such as hdfs://namenode/data/train.csv: "
                    + e.getMessage());
        }
    }

    /** No CSV files: what every other data source carries. */
    public static final CsvConfig NONE = new CsvConfig(List.of(), 0, false, 0);

    public CsvConfig {
        files = List.copyOf(files);
        if (classes < 0 || classes == 1) {
            throw new IllegalArgumentException("classes must be 0 (inferred) or at least 2, got " + classes);
        }
    }

    /**
     * The training and test files of one data set (or of one task).
     *
     * @param train    the training examples
     * @param test     the test examples
     * @param trainKey the config key that named {@code train}, for messages ({@code data.train-file},
     *                 {@code tasks.files[2].train})
     * @param testKey  the config key that named {@code test}
     */
    public record FilePair(DataPath train, DataPath test, String trainKey, String testKey)
            implements java.io.Serializable {
        public FilePair {
            Objects.requireNonNull(train);
            Objects.requireNonNull(test);
            Objects.requireNonNull(trainKey);
            Objects.requireNonNull(testKey);
        }

        /** Local files. */
        public FilePair(Path train, Path test, String trainKey, String testKey) {
            this(DataPath.of(train), DataPath.of(test), trainKey, testKey);
        }
    }
}
