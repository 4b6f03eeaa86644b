package dev.fisherpacknet.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fisherpacknet.core.data.CsvConfig.FilePair;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvReaderTest {

    @TempDir
    Path dir;

    private Path file(String name, String... lines) throws IOException {
        return Files.write(dir.resolve(name), List.of(lines));
    }

    private static CsvConfig csv(List<FilePair> pairs, int labelColumn, boolean header, int classes) {
        return new CsvConfig(pairs, labelColumn, header, classes);
    }

    private static FilePair pair(Path train, Path test) {
        return new FilePair(train, test, "data.train-file", "data.test-file");
    }

    /** Reads {@code train} and {@code test} with the label first, no header, classes inferred. */
    private static Splits.TrainTest read(Path train, Path test) {
        return CsvReader.read(csv(List.of(pair(train, test)), 0, false, 0));
    }

    private DataException rejectedTrain(String... lines) throws IOException {
        Path train = file("train.csv", lines);
        Path test = file("test.csv", "0,1,2", "1,3,4");
        return assertThrows(DataException.class, () -> read(train, test));
    }

    private static void assertMentions(Exception e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), () -> "expected \"" + part + "\" in: " + e.getMessage());
        }
    }

    // ---- reading ----

    @Test
    void read_randomTable_matchesTheValuesItWasWrittenFrom() throws IOException {
        // given: a seeded table, written with the label in column 2 of 6
        SplittableRandom random = new SplittableRandom(5);
        int rows = 50;
        int width = 5;
        float[] features = new float[rows * width];
        int[] labels = new int[rows];
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            labels[i] = i == 0 ? 3 : random.nextInt(3); // the largest label, 3, sets the classes: 4
            List<String> fields = new ArrayList<>();
            for (int k = 0; k < width; k++) {
                features[i * width + k] = (float) random.nextDouble(-2, 2);
                fields.add(Float.toString(features[i * width + k]));
            }
            fields.add(2, Integer.toString(labels[i]));
            lines.add(String.join(",", fields));
        }
        Path train = Files.write(dir.resolve("train.csv"), lines);
        Path test = file("test.csv", "1,2,0,3,4,5");

        // when
        Splits.TrainTest data = CsvReader.read(csv(List.of(pair(train, test)), 2, false, 0));

        // then
        assertEquals(new ImageSet(features, labels, width, 4), data.train());
        assertEquals(new ImageSet(new float[] {1, 2, 3, 4, 5}, new int[] {0}, width, 4), data.test());
        assertEquals(List.of(List.of(0, 1, 2, 3)), data.fileClasses());
    }

    @Test
    void read_withHeaderSpacesBlankLinesCrlfAndByteOrderMark_readsTheRows() throws IOException {
        // given
        Path train = dir.resolve("train.csv");
        Files.writeString(train, "\uFEFFlabel, x, y\r\n 1 , 0.5,-1e-1\r\n\r\n0,2,3\r\n   \r\n", StandardCharsets.UTF_8);
        Path test = file("test.csv", "label,x,y", "1,7,8");

        // when
        Splits.TrainTest data = CsvReader.read(csv(List.of(pair(train, test)), 0, true, 0));

        // then
        assertArrayEquals(new float[] {0.5f, -0.1f, 2, 3}, data.train().features());
        assertArrayEquals(new int[] {1, 0}, data.train().labels());
        assertEquals(2, data.train().numClasses());
    }

    @Test
    void read_labelInTheLastColumn_byNegativeIndex() throws IOException {
        // given
        Path train = file("train.csv", "0.1,0.2,1", "0.3,0.4,0");
        Path test = file("test.csv", "0.5,0.6,1");

        // when
        Splits.TrainTest data = CsvReader.read(csv(List.of(pair(train, test)), -1, false, 0));

        // then
        assertArrayEquals(new float[] {0.1f, 0.2f, 0.3f, 0.4f}, data.train().features());
        assertArrayEquals(new int[] {1, 0}, data.train().labels());
        assertArrayEquals(new int[] {1}, data.test().labels());
    }

    @Test
    void read_classesGiven_allowsClassesWithoutExamples() throws IOException {
        // when
        Splits.TrainTest data = CsvReader.read(csv(List.of(pair(file("a.csv", "0,1", "1,2"),
                file("b.csv", "1,3"))), 0, false, 5));

        // then
        assertEquals(5, data.train().numClasses());
        assertEquals(List.of(List.of(0, 1, 2, 3, 4)), data.fileClasses());
    }

    @Test
    void read_labelsWrittenAsWholeDecimals_areAccepted() throws IOException {
        // when
        Splits.TrainTest data = read(file("train.csv", "1.0,5", "0,6"), file("test.csv", "1,7"));

        // then
        assertArrayEquals(new int[] {1, 0}, data.train().labels());
    }

    @Test
    void read_severalPairs_shiftsEachPairsLabelsPastTheEarlierPairsClasses() throws IOException {
        // given: task 0 has classes 0..2 (one seen only in test), task 1 classes 0..1
        FilePair first = new FilePair(file("a-train.csv", "0,1", "1,2"), file("a-test.csv", "2,3"),
                "tasks.files[0].train", "tasks.files[0].test");
        FilePair second = new FilePair(file("b-train.csv", "1,4", "0,5"), file("b-test.csv", "0,6", "1,7"),
                "tasks.files[1].train", "tasks.files[1].test");

        // when
        Splits.TrainTest data = CsvReader.read(csv(List.of(first, second), 0, false, 0));

        // then
        assertArrayEquals(new float[] {1, 2, 4, 5}, data.train().features());
        assertArrayEquals(new int[] {0, 1, 3 + 1, 3 + 0}, data.train().labels());
        assertArrayEquals(new int[] {2, 3 + 0, 3 + 1}, data.test().labels());
        assertEquals(5, data.train().numClasses());
        assertEquals(List.of(List.of(0, 1, 2), List.of(3, 4)), data.fileClasses());
    }

    @Test
    void filesStream_makesOneTaskPerPair_withThePairsOwnLabelsAndExamples() throws IOException {
        // given
        FilePair first = new FilePair(file("a-train.csv", "0,1", "1,2"), file("a-test.csv", "2,3"),
                "tasks.files[0].train", "tasks.files[0].test");
        FilePair second = new FilePair(file("b-train.csv", "1,4", "0,5"), file("b-test.csv", "0,6", "1,7"),
                "tasks.files[1].train", "tasks.files[1].test");
        Splits.TrainTest data = CsvReader.read(csv(List.of(first, second), 0, false, 0));

        // when
        List<Task> tasks = TaskStreams.build(new TaskStreamConfig(TaskStreamKind.FILES, 2, List.of()), 1, data);

        // then: each task sees exactly its files, labelled as written there
        assertEquals(3, tasks.get(0).numClasses());
        assertEquals(2, tasks.get(1).numClasses());
        assertArrayEquals(new float[] {1, 2}, tasks.get(0).trainBatch(data.train(), new int[] {0, 1})
                .getFeatures().data().asFloat());
        assertArrayEquals(new float[] {4, 5}, tasks.get(1).trainBatch(data.train(), new int[] {0, 1})
                .getFeatures().data().asFloat());
        assertArrayEquals(new float[] {0, 1, 1, 0}, tasks.get(1).trainBatch(data.train(), new int[] {0, 1})
                .getLabels().data().asFloat());
        assertArrayEquals(new int[] {2}, tasks.get(0).testLabels(data.test()));
        assertArrayEquals(new int[] {0, 1}, tasks.get(1).testLabels(data.test()));
    }

    @Test
    void filesStream_withMoreTasksThanPairs_isRejected() throws IOException {
        // given
        Splits.TrainTest data = read(file("train.csv", "0,1", "1,2"), file("test.csv", "1,3"));

        // when
        var e = assertThrows(dev.fisherpacknet.core.ConfigException.class, () -> TaskStreams.build(
                new TaskStreamConfig(TaskStreamKind.FILES, 2, List.of()), 1, data));

        // then
        assertMentions(e, "tasks.count is 2, the data have 1 file pairs");
    }

    // ---- malformed files: file, line, problem ----

    @Test
    void raggedRow_namesFileLineAndBothWidths() throws IOException {
        // when
        DataException e = rejectedTrain("0,1,2", "1,3,4", "0,5");

        // then
        assertMentions(e, dir.resolve("train.csv") + ":3 (data.train-file): has 2 columns, but line 1 has 3");
    }

    @Test
    void nonNumericFeature_namesFileLineColumnAndValue() throws IOException {
        // when
        DataException e = rejectedTrain("0,1,2", "", "1,3,abc");

        // then
        assertMentions(e, dir.resolve("train.csv")
                + ":3 (data.train-file): column 2 holds 'abc', which is not a number");
        assertTrue(!e.getMessage().contains("header"), "only the first row can be a header");
    }

    @Test
    void undeclaredHeader_failsOnLineOne_andSaysHowToDeclareIt() throws IOException {
        // when
        DataException e = rejectedTrain("label,x,y", "0,1,2");

        // then
        assertMentions(e, "train.csv:1 (data.train-file): label 'label' in column 0 is not a number",
                "if line 1 is a header, set data.header = true");
    }

    @Test
    void emptyOrNonFiniteFeature_isRejected() throws IOException {
        assertMentions(rejectedTrain("0,1,2", "1,,4"), "train.csv:2", "column 1 is empty");
        assertMentions(rejectedTrain("0,1,NaN"), "train.csv:1", "column 2 holds 'NaN', which is not a finite number");
        assertMentions(rejectedTrain("0,1,1e99"), "column 2 holds '1e99', which is not a finite number");
    }

    @Test
    void labelThatIsNotAClassNumber_isRejected() throws IOException {
        assertMentions(rejectedTrain("0,1,2", "-1,3,4"), "train.csv:2", "label '-1' in column 0 is not a class number");
        assertMentions(rejectedTrain("0,1,2", "2.5,3,4"), "label '2.5' in column 0 is not a class number");
        assertMentions(rejectedTrain("0,1,2", ",3,4"), "train.csv:2", "label (empty) in column 0 is not a number");
    }

    @Test
    void labelAtOrAboveTheGivenClasses_isRejectedNamingTheLimit() throws IOException {
        // given
        Path train = file("train.csv", "0,1", "1,2", "3,3");
        Path test = file("test.csv", "1,3");

        // when
        DataException e = assertThrows(DataException.class,
                () -> CsvReader.read(csv(List.of(pair(train, test)), 0, false, 3)));

        // then
        assertMentions(e, "train.csv:3 (data.train-file): label '3' in column 0 is outside [0, 3), the classes set by"
                + " data.classes = 3");
    }

    @Test
    void emptyFile_orHeaderOnly_isRejected() throws IOException {
        // given
        Path empty = file("empty.csv");
        Path headerOnly = file("header.csv", "label,x");
        Path test = file("test.csv", "label,x", "1,3");

        // when
        DataException noRows = assertThrows(DataException.class, () -> read(empty, test));
        DataException onlyHeader = assertThrows(DataException.class,
                () -> CsvReader.read(csv(List.of(pair(headerOnly, test)), 0, true, 0)));

        // then
        assertMentions(noRows, "CSV file " + empty + " (data.train-file) has no data rows;");
        assertMentions(onlyHeader, "CSV file " + headerOnly + " (data.train-file) has no data rows below its header");
    }

    @Test
    void labelColumnBeyondTheRow_orOnlyOneColumn_isRejected() throws IOException {
        // given
        Path train = file("train.csv", "0,1,2");
        Path test = file("test.csv", "1,3,4");

        // when
        DataException beyond = assertThrows(DataException.class,
                () -> CsvReader.read(csv(List.of(pair(train, test)), 3, false, 0)));
        DataException single = rejectedTrain("0", "1");

        // then
        assertMentions(beyond, "train.csv:1 (data.train-file): data.label-column is 3 but the row has 3 columns");
        assertMentions(single, "train.csv:1", "has 1 column; a row needs a label and at least one feature");
    }

    @Test
    void trainAndTestOfDifferentWidths_areRejectedNamingBoth() throws IOException {
        // given
        Path train = file("train.csv", "0,1,2", "1,2,3");
        Path test = file("test.csv", "1,3");

        // when
        DataException e = assertThrows(DataException.class, () -> read(train, test));

        // then
        assertMentions(e, test + " (data.test-file) has 1 feature columns per row, but " + train
                + " (data.train-file) has 2");
    }

    @Test
    void onlyOneClass_isRejectedBecauseATaskNeedsTwo() throws IOException {
        // when
        DataException e = assertThrows(DataException.class,
                () -> read(file("train.csv", "0,1", "0,2"), file("test.csv", "0,3")));

        // then
        assertMentions(e, "hold only label 0; a task needs at least two classes");
    }

    @Test
    void missingFile_namesItsKeyAndTheWorkingDirectory() throws IOException {
        // given
        Path missing = dir.resolve("nope.csv");
        FilePair pair = new FilePair(file("train.csv", "0,1", "1,2"), missing, "tasks.files[0].train",
                "tasks.files[0].test");

        // when
        DataException e = assertThrows(DataException.class,
                () -> CsvReader.read(csv(List.of(pair), 0, false, 0)));

        // then
        assertMentions(e, "CSV file " + missing + " (tasks.files[0].test) does not exist",
                "relative path is taken from the working directory");
    }

    @Test
    void notUtf8_isRejected() throws IOException {
        // given
        Path train = dir.resolve("train.csv");
        Files.write(train, new byte[] {'0', ',', (byte) 0xff, (byte) 0xfe, '\n'});

        // when
        DataException e = assertThrows(DataException.class, () -> read(train, file("test.csv", "1,2")));

        // then
        assertMentions(e, train + " (data.train-file) is not UTF-8 text");
    }

    @Test
    void largeFile_isReadInFullAcrossBufferGrowth() throws IOException {
        // given: more rows than the initial buffer
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            lines.add(String.format(Locale.ROOT, "%d,%d,%d", i % 2, i, -i));
        }
        Path train = Files.write(dir.resolve("big.csv"), lines);

        // when
        ImageSet set = read(train, file("test.csv", "1,0,0")).train();

        // then
        assertEquals(3000, set.size());
        assertEquals(2999f, set.feature(2999, 0));
        assertEquals(-2999f, set.feature(2999, 1));
        assertEquals(1, set.label(2999));
    }
}
