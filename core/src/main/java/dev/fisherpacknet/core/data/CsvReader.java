package dev.fisherpacknet.core.data;

import dev.fisherpacknet.core.config.CsvConfig;
import java.io.BufferedReader;
import java.io.FileNotFoundException;
import java.io.InputStreamReader;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Reads the user's own data from CSV files: one example per line, a label column holding a class number (0, 1,
 * ...) and any number of numeric feature columns, which are used as given (scale them to about [0, 1] as image
 * pixels are). Blank lines are skipped. A malformed file is rejected with a message naming the file, the line
 * and the problem: a ragged row, a value that is not a number, a label out of range, or no rows at all.
 */
public final class CsvReader {

    private CsvReader() {
    }

    /**
     * Reads every train/test pair of {@code config}. With several pairs (one per task), pair k's labels are
     * shifted past the classes of pairs 0..k-1 so that no two pairs share a class, and the result records each
     * pair's classes; with one pair, labels are kept as they are.
     *
     * @throws DataException naming the file, line and problem when a file is missing or malformed, when the files
     *                       disagree in their number of features, or when a pair holds fewer than two classes
     */
    public static Splits.TrainTest read(CsvConfig config) {
        return read(DataStore.LOCAL, config);
    }

    /** {@link #read(CsvConfig)} from any file system {@code store} reads. */
    public static Splits.TrainTest read(DataStore store, CsvConfig config) {
        if (config.files().isEmpty()) {
            throw new IllegalArgumentException("no CSV files to read");
        }
        List<Table> trains = new ArrayList<>();
        List<Table> tests = new ArrayList<>();
        List<List<Integer>> fileClasses = new ArrayList<>();
        Table first = null;
        int offset = 0;
        for (CsvConfig.FilePair pair : config.files()) {
            Table train = readTable(store, pair.train(), pair.trainKey(), config);
            Table test = readTable(store, pair.test(), pair.testKey(), config);
            for (Table table : List.of(train, test)) {
                if (first == null) {
                    first = table;
                } else if (table.width() != first.width()) {
                    throw new DataException(table.file() + " (" + table.key() + ") has " + table.width()
                            + " feature columns per row, but " + first.file() + " (" + first.key() + ") has "
                            + first.width() + "; every file of an experiment needs the same features");
                }
            }
            int classes = config.classes() > 0 ? config.classes() : Math.max(train.maxLabel(), test.maxLabel()) + 1;
            if (classes < 2) {
                throw new DataException(pair.train() + " and " + pair.test() + " hold only label 0; a task needs at"
                        + " least two classes (set data.classes if the other classes just have no examples here)");
            }
            trains.add(train.shifted(offset));
            tests.add(test.shifted(offset));
            fileClasses.add(IntStream.range(offset, offset + classes).boxed().toList());
            offset += classes;
        }
        return new Splits.TrainTest(concat(trains, offset), concat(tests, offset), fileClasses);
    }

    /** The rows of one file: features row-major, labels, and where they came from. */
    private record Table(DataPath file, String key, float[] features, int[] labels, int width, int maxLabel) {
        Table shifted(int offset) {
            int[] moved = labels.clone();
            for (int i = 0; i < moved.length; i++) {
                moved[i] += offset;
            }
            return new Table(file, key, features, moved, width, maxLabel + offset);
        }
    }

    private static ImageSet concat(List<Table> tables, int numClasses) {
        int rows = tables.stream().mapToInt(t -> t.labels().length).sum();
        int width = tables.get(0).width();
        float[] features = new float[rows * width];
        int[] labels = new int[rows];
        int n = 0;
        for (Table t : tables) {
            System.arraycopy(t.features(), 0, features, n * width, t.features().length);
            System.arraycopy(t.labels(), 0, labels, n, t.labels().length);
            n += t.labels().length;
        }
        return new ImageSet(features, labels, width, numClasses);
    }

    private static Table readTable(DataStore store, DataPath file, String key, CsvConfig format) {
        if (file.isLocal() && Files.isDirectory(file.local())) {
            throw new DataException("CSV file " + file + " (" + key + ") is a directory; name the file itself");
        }
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        try (BufferedReader in = new BufferedReader(new InputStreamReader(store.open(file), utf8), 1 << 16)) {
            return parse(in, file, key, format);
        } catch (NoSuchFileException | FileNotFoundException e) {
            throw new DataException("CSV file " + file + " (" + key + ") does not exist; a relative path is taken from"
                    + " the working directory, " + Path.of("").toAbsolutePath(), e);
        } catch (AccessDeniedException e) {
            throw new DataException("CSV file " + file + " (" + key + ") cannot be read: permission denied", e);
        } catch (CharacterCodingException e) {
            throw new DataException("CSV file " + file + " (" + key + ") is not UTF-8 text; save it as plain UTF-8"
                    + " (or ASCII) CSV", e);
        } catch (IOException e) {
            throw new DataException("CSV file " + file + " (" + key + ") cannot be read: " + e.getMessage(), e);
        }
    }

    private static Table parse(BufferedReader in, DataPath file, String key, CsvConfig format) throws IOException {
        Rows rows = null;
        int lineNumber = 0;
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            lineNumber++;
            if (lineNumber == 1 && line.startsWith("\uFEFF")) {
                line = line.substring(1); // a byte-order mark, as some spreadsheet programs write
            }
            if ((lineNumber == 1 && format.header()) || line.isBlank()) {
                continue;
            }
            String[] fields = line.split(",", -1);
            if (rows == null) {
                rows = Rows.start(fields.length, lineNumber, format.labelColumn(), new Where(file, key, lineNumber));
            }
            rows.add(fields, lineNumber, format, new Where(file, key, lineNumber));
        }
        if (rows == null) {
            throw new DataException("CSV file " + file + " (" + key + ") has no data rows"
                    + (format.header() ? " below its header line" : "") + "; it needs one example per line: a label"
                    + " and its features, separated by commas");
        }
        return rows.table(file, key);
    }

    /** A file and line, for messages: {@code examples/train.csv:7 (data.train-file)}. */
    private record Where(DataPath file, String key, int line) {
        DataException fail(String problem) {
            return new DataException(file + ":" + line + " (" + key + "): " + problem);
        }
    }

    /** The rows read so far, growing as a file is parsed. */
    private static final class Rows {
        private final int columns;
        private final int firstLine;
        private final int labelIndex;
        private float[] features;
        private int[] labels;
        private int size;
        private int maxLabel = -1;

        private Rows(int columns, int firstLine, int labelIndex) {
            this.columns = columns;
            this.firstLine = firstLine;
            this.labelIndex = labelIndex;
            this.labels = new int[1024];
            this.features = new float[1024 * (columns - 1)];
        }

        static Rows start(int columns, int line, int labelColumn, Where where) {
            if (columns < 2) {
                throw where.fail("has " + columns + " column; a row needs a label and at least one feature,"
                        + " separated by commas");
            }
            int labelIndex = labelColumn >= 0 ? labelColumn : columns + labelColumn;
            if (labelIndex < 0 || labelIndex >= columns) {
                throw where.fail("data.label-column is " + labelColumn + " but the row has " + columns
                        + " columns (counted from 0; -1 is the last)");
            }
            return new Rows(columns, line, labelIndex);
        }

        void add(String[] fields, int line, CsvConfig format, Where where) {
            if (fields.length != columns) {
                throw where.fail("has " + fields.length + " columns, but line " + firstLine + " has " + columns
                        + "; every row needs the label and the same number of features");
            }
            if (size == labels.length) {
                labels = Arrays.copyOf(labels, size * 2);
                features = Arrays.copyOf(features, size * 2 * (columns - 1));
            }
            // A header line that was not declared fails here, on the first row: say how to declare it.
            String hint = line == firstLine && !format.header() ? "; if line " + line + " is a header, set"
                    + " data.header = true" : "";
            labels[size] = label(fields[labelIndex].strip(), format.classes(), where, hint);
            maxLabel = Math.max(maxLabel, labels[size]);
            int k = size * (columns - 1);
            for (int c = 0; c < columns; c++) {
                if (c != labelIndex) {
                    features[k++] = feature(fields[c].strip(), c, where, hint);
                }
            }
            size++;
        }

        private int label(String raw, int classes, Where where, String hint) {
            String column = "label " + (raw.isEmpty() ? "(empty)" : "'" + raw + "'") + " in column " + labelIndex;
            double value;
            try {
                value = Double.parseDouble(raw);
            } catch (NumberFormatException e) {
                throw where.fail(column + " is not a number" + hint);
            }
            if (!(value >= 0 && value <= Integer.MAX_VALUE && value == Math.rint(value))) {
                throw where.fail(column + " is not a class number (a whole number from 0)");
            }
            if (classes > 0 && value >= classes) {
                throw where.fail(column + " is outside [0, " + classes + "), the classes set by data.classes = "
                        + classes);
            }
            return (int) value;
        }

        private static float feature(String raw, int column, Where where, String hint) {
            if (raw.isEmpty()) {
                throw where.fail("column " + column + " is empty; every feature needs a number");
            }
            float value;
            try {
                value = Float.parseFloat(raw);
            } catch (NumberFormatException e) {
                throw where.fail("column " + column + " holds '" + raw + "', which is not a number" + hint);
            }
            if (!Float.isFinite(value)) {
                throw where.fail("column " + column + " holds '" + raw + "', which is not a finite number");
            }
            return value;
        }

        Table table(DataPath file, String key) {
            return new Table(file, key, Arrays.copyOf(features, size * (columns - 1)), Arrays.copyOf(labels, size),
                    columns - 1, maxLabel);
        }
    }
}
