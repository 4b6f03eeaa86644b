package dev.fisherpacknet.core.data;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Serializable;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntSupplier;
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
            rows.add(fields, lineNumber == rows.firstLine, format, new Where(file, key, lineNumber));
        }
        if (rows == null) {
            throw new DataException("CSV file " + file + " (" + key + ") has no data rows"
                    + (format.header() ? " below its header line" : "") + "; it needs one example per line: a label"
                    + " and its features, separated by commas");
        }
        return rows.table(file, key);
    }

    /**
     * Where a CSV file's data rows start and how wide they are: what the readers of its byte ranges need to know
     * before they start, read by the driver from the file's first lines.
     *
     * @param columns         columns of every row
     * @param firstLine       line number of the first data row
     * @param firstLineOffset byte offset of the first data row
     */
    public record Layout(int columns, int firstLine, long firstLineOffset) implements Serializable {
    }

    /**
     * The rows of a byte range of a CSV file.
     *
     * @param features features row-major, {@code width} per row
     * @param labels   labels as written in the file
     * @param width    features per row
     * @param maxLabel the largest label, -1 for no rows
     */
    public record Block(float[] features, int[] labels, int width, int maxLabel) implements Serializable {
        /** Rows in the block. */
        public int size() {
            return labels.length;
        }
    }

    /**
     * The layout of {@code file}, from its lines up to the first data row.
     *
     * @throws DataException as {@link #read} does for a file without data rows, a first row too narrow, or a label
     *                       column outside it
     */
    public static Layout layout(DataStore store, DataPath file, String key, CsvConfig format) {
        try (InputStream in = new BufferedInputStream(store.open(file), 1 << 16)) {
            LineReader lines = new LineReader(in, 0);
            for (int lineNumber = 1; lines.next(); lineNumber++) {
                String line = lines.text(file, key);
                if (lineNumber == 1 && line.startsWith("\uFEFF")) {
                    line = line.substring(1);
                }
                if ((lineNumber == 1 && format.header()) || line.isBlank()) {
                    continue;
                }
                String[] fields = line.split(",", -1);
                Rows.start(fields.length, lineNumber, format.labelColumn(), new Where(file, key, lineNumber));
                return new Layout(fields.length, lineNumber, lines.lineStart());
            }
        } catch (NoSuchFileException | FileNotFoundException e) {
            throw new DataException("CSV file " + file + " (" + key + ") does not exist; a relative path is taken from"
                    + " the working directory of the command that started the job", e);
        } catch (IOException e) {
            throw new DataException("CSV file " + file + " (" + key + ") cannot be read: " + e.getMessage(), e);
        }
        throw new DataException("CSV file " + file + " (" + key + ") has no data rows"
                + (format.header() ? " below its header line" : "") + "; it needs one example per line: a label"
                + " and its features, separated by commas");
    }

    /**
     * The rows that start in bytes {@code [start, end)} of {@code file}: the reader of one partition of a
     * distributed read. A row belongs to the range holding its first byte, so ranges that tile a file read each row
     * once. Rows are checked as {@link #read} checks them; a bad row's line number is counted from the file's start
     * for the message.
     *
     * @param layout what {@link #layout} found; every row must have its column count
     * @throws DataException naming the file, line and problem
     */
    public static Block readRange(DataStore store, DataPath file, String key, CsvConfig format, Layout layout,
                                  long start, long end) {
        Rows rows = new Rows(layout.columns(), layout.firstLine(),
                Rows.labelIndex(layout.columns(), format.labelColumn()));
        // Rows before the first data row (a header, blank lines) are nobody's.
        long from = Math.max(start, layout.firstLineOffset());
        if (from >= end) {
            return rows.block();
        }
        try (InputStream in = new BufferedInputStream(store.open(file, from == 0 ? 0 : from - 1), 1 << 16)) {
            LineReader lines = new LineReader(in, from == 0 ? 0 : from - 1);
            // A range starts with a row only if the byte before it ends a line; else that row is its predecessor's.
            if (from > 0 && !lines.skipPastLineBreak()) {
                return rows.block();
            }
            while (lines.positionBefore(end) && lines.next()) {
                long lineStart = lines.lineStart();
                String line = lines.text(file, key);
                if (line.isBlank()) {
                    continue;
                }
                rows.add(line.split(",", -1), lineStart == layout.firstLineOffset(), format,
                        new Where(file, key, () -> lineNumberAt(store, file, lineStart)));
            }
            return rows.block();
        } catch (NoSuchFileException | FileNotFoundException e) {
            throw new DataException("the executor on " + localHost() + " cannot see CSV file " + file + " (" + key
                    + "): an executor reads its rows itself, so the file must exist at this path on every machine of"
                    + " the cluster; put it on storage every node mounts at the same path, or on a distributed file"
                    + " system (hdfs://, s3a://)", e);
        } catch (IOException e) {
            throw new DataException("CSV file " + file + " (" + key + "): bytes " + start + ".." + (end - 1)
                    + " cannot be read on " + localHost() + ": " + e.getMessage(), e);
        }
    }

    private static String localHost() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "an unnamed host";
        }
    }

    /** The number of the line that starts at byte {@code offset}: one more than the line breaks before it. */
    private static int lineNumberAt(DataStore store, DataPath file, long offset) {
        try (InputStream in = new BufferedInputStream(store.open(file), 1 << 16)) {
            int line = 1;
            for (long pos = 0; pos < offset; pos++) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                if (b == '\n') {
                    line++;
                }
            }
            return line;
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * The lines of a byte stream, each with the offset where it starts. A line ends at {@code \n}, and a {@code \r}
     * before it is dropped; text is decoded as strict UTF-8.
     */
    private static final class LineReader {
        private final InputStream in;
        private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream(256);
        private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        private long position;
        private long lineStart;
        private boolean ended;

        LineReader(InputStream in, long position) {
            this.in = in;
            this.position = position;
        }

        /** Reads through the next line break; false if the stream ends first. */
        boolean skipPastLineBreak() throws IOException {
            int b;
            while ((b = in.read()) >= 0) {
                position++;
                if (b == '\n') {
                    return true;
                }
            }
            ended = true;
            return false;
        }

        boolean positionBefore(long end) {
            return !ended && position < end;
        }

        /** Reads the next line; false at the end of the stream. */
        boolean next() throws IOException {
            if (ended) {
                return false;
            }
            lineStart = position;
            line.reset();
            int b;
            while ((b = in.read()) >= 0 && b != '\n') {
                line.write(b);
            }
            position += line.size() + (b == '\n' ? 1 : 0);
            if (b < 0) {
                ended = true;
                return line.size() > 0;
            }
            return true;
        }

        long lineStart() {
            return lineStart;
        }

        String text(DataPath file, String key) {
            byte[] bytes = line.toByteArray();
            int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
            try {
                return utf8.decode(java.nio.ByteBuffer.wrap(bytes, 0, length)).toString();
            } catch (CharacterCodingException e) {
                throw new DataException("CSV file " + file + " (" + key + ") is not UTF-8 text; save it as plain"
                        + " UTF-8 (or ASCII) CSV", e);
            }
        }
    }

    /**
     * A file and line, for messages: {@code examples/train.csv:7 (data.train-file)}. A reader of a byte range does
     * not know its lines' numbers; it counts them only for a message.
     */
    private record Where(DataPath file, String key, IntSupplier line) {
        Where(DataPath file, String key, int line) {
            this(file, key, () -> line);
        }

        DataException fail(String problem) {
            return new DataException(file + ":" + line.getAsInt() + " (" + key + "): " + problem);
        }
    }

    /** The rows read so far, growing as a file is parsed. */
    private static final class Rows {
        private final int columns;
        final int firstLine;
        private final int labelIndex;
        private float[] features;
        private int[] labels;
        private int size;
        private int maxLabel = -1;

        Rows(int columns, int firstLine, int labelIndex) {
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
            int labelIndex = labelIndex(columns, labelColumn);
            if (labelIndex < 0 || labelIndex >= columns) {
                throw where.fail("data.label-column is " + labelColumn + " but the row has " + columns
                        + " columns (counted from 0; -1 is the last)");
            }
            return new Rows(columns, line, labelIndex);
        }

        static int labelIndex(int columns, int labelColumn) {
            return labelColumn >= 0 ? labelColumn : columns + labelColumn;
        }

        void add(String[] fields, boolean firstRow, CsvConfig format, Where where) {
            if (fields.length != columns) {
                throw where.fail("has " + fields.length + " columns, but line " + firstLine + " has " + columns
                        + "; every row needs the label and the same number of features");
            }
            if (size == labels.length) {
                labels = Arrays.copyOf(labels, size * 2);
                features = Arrays.copyOf(features, size * 2 * (columns - 1));
            }
            // A header line that was not declared fails here, on the first row: say how to declare it.
            String hint = firstRow && !format.header() ? "; if line " + firstLine + " is a header, set"
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

        Block block() {
            return new Block(Arrays.copyOf(features, size * (columns - 1)), Arrays.copyOf(labels, size), columns - 1,
                    maxLabel);
        }
    }
}
