package dev.fisherpacknet.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {

    private static final int ROWS = 4;
    private static final int COLS = 3;

    @TempDir
    Path dir;

    /** Random pixels and labels, kept as raw bytes so the expected values are computed independently. */
    private record Raw(byte[] pixels, byte[] labels) {
        static Raw random(long seed, int count, int numClasses) {
            Random rnd = new Random(seed);
            byte[] pixels = new byte[count * ROWS * COLS];
            rnd.nextBytes(pixels);
            pixels[0] = (byte) 0xff; // the extremes must map to exactly 1 and 0
            pixels[1] = 0;
            byte[] labels = new byte[count];
            for (int i = 0; i < count; i++) {
                labels[i] = (byte) rnd.nextInt(numClasses);
            }
            return new Raw(pixels, labels);
        }
    }

    private static byte[] idx(int magic, int[] dims, byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(magic);
            for (int d : dims) {
                out.writeInt(d);
            }
            out.write(data);
        }
        return bytes.toByteArray();
    }

    private static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(raw);
        }
        return bytes.toByteArray();
    }

    private Path write(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    private Path imagesFile(String name, Raw raw, boolean gzip) throws IOException {
        byte[] b = idx(IdxReader.IMAGE_MAGIC, new int[] {raw.labels.length, ROWS, COLS}, raw.pixels);
        return write(name, gzip ? gzip(b) : b);
    }

    private Path labelsFile(String name, Raw raw, boolean gzip) throws IOException {
        byte[] b = idx(IdxReader.LABEL_MAGIC, new int[] {raw.labels.length}, raw.labels);
        return write(name, gzip ? gzip(b) : b);
    }

    private static void assertMatches(Raw raw, ImageSet set, int numClasses) {
        assertEquals(ROWS * COLS, set.width());
        assertEquals(numClasses, set.numClasses());
        assertEquals(raw.labels.length, set.size());
        float[] expected = new float[raw.pixels.length];
        for (int k = 0; k < expected.length; k++) {
            expected[k] = Byte.toUnsignedInt(raw.pixels[k]) / 255f;
        }
        assertArrayEquals(expected, set.features());
        assertEquals(1f, set.feature(0, 0));
        assertEquals(0f, set.feature(0, 1));
        int[] labels = new int[raw.labels.length];
        Arrays.setAll(labels, i -> raw.labels[i]);
        assertArrayEquals(labels, set.labels());
    }

    @Test
    void read_rawFiles_roundTripsPixelsAndLabels() throws IOException {
        // given
        Raw raw = Raw.random(1, 17, 10);
        Path images = imagesFile("images-idx3-ubyte", raw, false);
        Path labels = labelsFile("labels-idx1-ubyte", raw, false);

        // when
        ImageSet set = IdxReader.read(images, labels, 10);

        // then
        assertMatches(raw, set, 10);
    }

    @Test
    void read_gzipFiles_roundTripsPixelsAndLabels() throws IOException {
        // given
        Raw raw = Raw.random(2, 23, 10);
        Path images = imagesFile("images-idx3-ubyte.gz", raw, true);
        Path labels = labelsFile("labels-idx1-ubyte.gz", raw, true);

        // when
        ImageSet set = IdxReader.read(images, labels, 10);

        // then
        assertMatches(raw, set, 10);
    }

    @Test
    void read_detectsGzipByMagicBytes_notByFileName() throws IOException {
        // given: gzip content without .gz, raw content with .gz
        Raw raw = Raw.random(3, 5, 3);
        Path images = imagesFile("images-idx3-ubyte", raw, true);
        Path labels = labelsFile("labels-idx1-ubyte.gz", raw, false);

        // when
        ImageSet set = IdxReader.read(images, labels, 3);

        // then
        assertMatches(raw, set, 3);
    }

    @Test
    void read_withSwappedFiles_namesFileAndBothMagicsInHex() throws IOException {
        // given
        Raw raw = Raw.random(4, 5, 10);
        Path images = imagesFile("images", raw, false);
        Path labels = labelsFile("labels", raw, false);

        // when
        DataException e = assertThrows(DataException.class, () -> IdxReader.read(labels, images, 10));

        // then
        assertTrue(e.getMessage().contains(labels.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("0x00000801"), e.getMessage());
        assertTrue(e.getMessage().contains("0x00000803"), e.getMessage());
        assertTrue(e.getMessage().contains("images file first"), e.getMessage());
    }

    @Test
    void read_withWrongLabelMagic_namesLabelFileAndBothMagics() throws IOException {
        // given
        Raw raw = Raw.random(5, 5, 10);
        Path images = imagesFile("images", raw, false);
        Path labels = write("labels", idx(0xcafebabe, new int[] {5}, raw.labels));

        // when
        DataException e = assertThrows(DataException.class, () -> IdxReader.read(images, labels, 10));

        // then
        assertTrue(e.getMessage().contains(labels.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("0xcafebabe"), e.getMessage());
        assertTrue(e.getMessage().contains("0x00000801"), e.getMessage());
    }

    @Test
    void read_withTruncatedImages_namesFileAndExpectedAndFoundBytes() throws IOException {
        // given: 10 images declared, 7 bytes of pixels present
        Raw raw = Raw.random(6, 10, 10);
        Path images = write("images.gz", gzip(idx(IdxReader.IMAGE_MAGIC, new int[] {10, ROWS, COLS},
                Arrays.copyOf(raw.pixels, 7))));
        Path labels = labelsFile("labels", raw, false);

        // when
        DataException e = assertThrows(DataException.class, () -> IdxReader.read(images, labels, 10));

        // then
        assertTrue(e.getMessage().contains(images.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        assertTrue(e.getMessage().contains(String.valueOf(10 * ROWS * COLS)), e.getMessage());
        assertTrue(e.getMessage().contains("only 7 bytes"), e.getMessage());
    }

    @Test
    void read_withTruncatedLabels_namesFileAndExpectedAndFoundBytes() throws IOException {
        // given
        Raw raw = Raw.random(7, 10, 10);
        Path images = imagesFile("images", raw, false);
        Path labels = write("labels", idx(IdxReader.LABEL_MAGIC, new int[] {10}, Arrays.copyOf(raw.labels, 4)));

        // when
        DataException e = assertThrows(DataException.class, () -> IdxReader.read(images, labels, 10));

        // then
        assertTrue(e.getMessage().contains(labels.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("10 labels"), e.getMessage());
        assertTrue(e.getMessage().contains("only 4 bytes"), e.getMessage());
    }

    @Test
    void read_withTruncatedHeader_namesFileAndHeaderBytes() throws IOException {
        // given: magic and one of three dimensions only
        Raw raw = Raw.random(8, 3, 10);
        Path images = write("images", Arrays.copyOf(idx(IdxReader.IMAGE_MAGIC, new int[] {3, ROWS, COLS},
                new byte[0]), 8));
        Path labels = labelsFile("labels", raw, false);

        // when
        DataException e = assertThrows(DataException.class, () -> IdxReader.read(images, labels, 10));

        // then
        assertTrue(e.getMessage().contains(images.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("needs 16 bytes, found 8"), e.getMessage());
    }

    @Test
    void read_withDifferentCounts_namesBothFilesAndCounts() throws IOException {
        // given
        Raw raw = Raw.random(9, 6, 10);
        Path images = imagesFile("images", raw, false);
        Path labels = write("labels", idx(IdxReader.LABEL_MAGIC, new int[] {5}, Arrays.copyOf(raw.labels, 5)));

        // when
        DataException e = assertThrows(DataException.class, () -> IdxReader.read(images, labels, 10));

        // then
        assertTrue(e.getMessage().contains(images + " holds 6 images"), e.getMessage());
        assertTrue(e.getMessage().contains(labels + " holds 5 labels"), e.getMessage());
    }

    @Test
    void read_withLabelOutOfRange_namesFileIndexAndValue() throws IOException {
        // given
        Raw raw = Raw.random(10, 6, 3);
        raw.labels[4] = 7;
        Path images = imagesFile("images", raw, false);
        Path labels = labelsFile("labels", raw, true);

        // when
        DataException e = assertThrows(DataException.class, () -> IdxReader.read(images, labels, 3));

        // then
        assertTrue(e.getMessage().contains(labels.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("label 7 at index 4"), e.getMessage());
        assertTrue(e.getMessage().contains("[0, 3)"), e.getMessage());
    }

    @Test
    void read_withMissingFile_namesFile() throws IOException {
        // given
        Raw raw = Raw.random(11, 2, 10);
        Path images = dir.resolve("no-such-images.gz");
        Path labels = labelsFile("labels", raw, false);

        // when
        DataException e = assertThrows(DataException.class, () -> IdxReader.read(images, labels, 10));

        // then
        assertTrue(e.getMessage().contains(images.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void read_withDirectoryInsteadOfFile_namesDirectory() throws IOException {
        // given
        Raw raw = Raw.random(12, 2, 10);
        Path labels = labelsFile("labels", raw, false);

        // when
        DataException e = assertThrows(DataException.class, () -> IdxReader.read(dir, labels, 10));

        // then
        assertTrue(e.getMessage().contains(dir + " is a directory"), e.getMessage());
    }

    @Test
    void read_withDamagedGzip_namesFile() throws IOException {
        // given: a gzip stream cut in half
        Raw raw = Raw.random(13, 50, 10);
        byte[] gz = gzip(idx(IdxReader.IMAGE_MAGIC, new int[] {50, ROWS, COLS}, raw.pixels));
        Path images = write("images.gz", Arrays.copyOf(gz, gz.length / 2));
        Path labels = labelsFile("labels", raw, false);

        // when
        DataException e = assertThrows(DataException.class, () -> IdxReader.read(images, labels, 10));

        // then
        assertTrue(e.getMessage().contains(images.toString()), e.getMessage());
    }
}
