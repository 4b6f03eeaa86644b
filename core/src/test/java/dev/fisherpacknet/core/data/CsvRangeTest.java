package dev.fisherpacknet.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CSV files read in byte ranges, as executors read them, against the whole-file reader. */
class CsvRangeTest {

    @TempDir
    Path dir;

    private static CsvConfig csv(Path train, Path test, int labelColumn, boolean header) {
        return new CsvConfig(List.of(new CsvConfig.FilePair(train, test, "data.train-file", "data.test-file")),
                labelColumn, header, 0);
    }

    /** A file with a byte-order mark, a header, blank lines, CRLF and LF endings and no final line break. */
    private Path awkwardFile(int rows, long seed) throws IOException {
        Random random = new Random(seed);
        StringBuilder text = new StringBuilder("\uFEFFa,b,label\r\n");
        for (int i = 0; i < rows; i++) {
            if (random.nextInt(7) == 0) {
                text.append(random.nextBoolean() ? "\n" : "  \r\n");
            }
            text.append(random.nextInt(1000) / 100f).append(',').append(-random.nextInt(50) / 7f).append(',')
                    .append(random.nextInt(4));
            text.append(i == rows - 1 ? "" : random.nextBoolean() ? "\r\n" : "\n");
        }
        return Files.writeString(dir.resolve("train-" + seed + ".csv"), text.toString(), StandardCharsets.UTF_8);
    }

    @Test
    void rangesThatTileAFile_readEveryRowOnce_inOrder_exactlyAsTheWholeFileReader() throws IOException {
        for (long seed = 1; seed <= 4; seed++) {
            Path train = awkwardFile(200, seed);
            CsvConfig config = csv(train, train, -1, true);
            ImageSet whole = CsvReader.read(config).train();
            DataPath file = DataPath.of(train);
            CsvReader.Layout layout = CsvReader.layout(DataStore.LOCAL, file, "data.train-file", config);
            long size = Files.size(train);
            for (long rangeBytes : new long[] {1, 2, 7, 64, 1000, size}) {
                List<Float> features = new ArrayList<>();
                List<Integer> labels = new ArrayList<>();
                for (long start = 0; start < size; start += rangeBytes) {
                    CsvReader.Block block = CsvReader.readRange(DataStore.LOCAL, file, "data.train-file", config,
                            layout, start, Math.min(size, start + rangeBytes));
                    for (float f : block.features()) {
                        features.add(f);
                    }
                    for (int y : block.labels()) {
                        labels.add(y);
                    }
                }
                assertEquals(whole.size(), labels.size(), "rows, ranges of " + rangeBytes + " bytes, seed " + seed);
                for (int i = 0; i < whole.size(); i++) {
                    assertEquals(whole.label(i), labels.get(i));
                    float[] row = new float[2];
                    whole.copyFeatures(i, 1, row, 0);
                    assertArrayEquals(row, new float[] {features.get(2 * i), features.get(2 * i + 1)});
                }
            }
        }
    }

    @Test
    void aBadRowInALaterRange_isReportedWithItsLineNumberInTheFile() throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            lines.add(i == 33 ? "1,x,3" : (i % 2) + ",0.5,0.25");
        }
        Path train = Files.write(dir.resolve("train.csv"), lines);
        CsvConfig config = csv(train, train, 0, false);
        DataPath file = DataPath.of(train);
        CsvReader.Layout layout = CsvReader.layout(DataStore.LOCAL, file, "data.train-file", config);
        long size = Files.size(train);

        DataException e = assertThrows(DataException.class, () -> CsvReader.readRange(DataStore.LOCAL, file,
                "data.train-file", config, layout, size / 2, size));

        assertTrue(e.getMessage().startsWith(train + ":34 (data.train-file): column 1 holds 'x'"), e.getMessage());
    }

    @Test
    void aRowOfAnotherWidthInARange_namesTheFirstDataRowItDiffersFrom() throws IOException {
        Path train = Files.write(dir.resolve("train.csv"), List.of("label,x,y", "0,1,2", "1,3,4", "0,5"));
        CsvConfig config = csv(train, train, 0, true);
        DataPath file = DataPath.of(train);
        CsvReader.Layout layout = CsvReader.layout(DataStore.LOCAL, file, "data.train-file", config);

        DataException e = assertThrows(DataException.class, () -> CsvReader.readRange(DataStore.LOCAL, file,
                "data.train-file", config, layout, 12, Files.size(train)));

        assertEquals(new CsvReader.Layout(3, 2, 10), layout);
        assertTrue(e.getMessage().contains(":4 (data.train-file): has 2 columns, but line 2 has 3"), e.getMessage());
    }
}
