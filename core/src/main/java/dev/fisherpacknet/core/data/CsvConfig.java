package dev.fisherpacknet.core.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

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
