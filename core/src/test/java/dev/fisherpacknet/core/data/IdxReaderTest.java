package dev.fisherpacknet.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fisherpacknet.core.testing.ChildJvm;
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
    void shape_ofRawAndGzipFiles_isWhatTheirHeadersDeclare_andLabelsReadAlone() throws IOException {
        Raw raw = Raw.random(2, 13, 10);
        Path images = imagesFile("s-images", raw, false);
        Path labels = labelsFile("s-labels", raw, true);

        IdxReader.Shape shape = IdxReader.shape(images, labels);

        assertEquals(new IdxReader.Shape(13, ROWS, COLS, 1, true), shape);
        assertEquals(new IdxReader.Shape(13, ROWS, COLS, 1, false),
                IdxReader.shape(images, labelsFile("s-raw-labels", raw, false)));
        assertArrayEquals(IdxReader.read(images, labels, 10).labels(), IdxReader.readLabels(labels, 10));
    }

    @Test
    void shape_ofARawFileShorterThanItsHeaderSays_givesTheMessageOfAWholeRead() throws IOException {
        Raw raw = Raw.random(3, 10, 10);
        Path images = imagesFile("t-images", raw, false);
        Path labels = labelsFile("t-labels", raw, false);
        Files.write(images, Arrays.copyOf(Files.readAllBytes(images), 16 + 7));

        DataException fromShape = assertThrows(DataException.class, () -> IdxReader.shape(images, labels));
        DataException fromRead = assertThrows(DataException.class, () -> IdxReader.read(images, labels, 10));

        assertEquals(fromRead.getMessage(), fromShape.getMessage());
    }

    @Test
    void rawCopy_ofAGzipFile_isItsContentUnpackedOnce_andARawFileIsItself() throws IOException {
        Raw raw = Raw.random(4, 9, 10);
        Path gz = imagesFile("train-images-idx3-ubyte.gz", raw, true);
        Path plain = imagesFile("plain-images", raw, false);
        Path cache = dir.resolve("cache");

        Path copy = IdxReader.rawCopy(gz, cache);
        long written = Files.getLastModifiedTime(copy).toMillis();

        assertEquals("train-images-idx3-ubyte", copy.getFileName().toString());
        assertArrayEquals(Files.readAllBytes(plain), Files.readAllBytes(copy));
        assertEquals(copy, IdxReader.rawCopy(gz, cache));
        assertEquals(written, Files.getLastModifiedTime(copy).toMillis());
        assertEquals(plain, IdxReader.rawCopy(plain, cache));
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

    // ---- the folder of four files ----

    @Test
    void readFolder_withTrainAndTestImagesOfDifferentSizes_namesBothFilesAndSizes() throws IOException {
        // given: 3x3 training images but 4x3 test images
        Path folder = IdxFixtures.writeFolder(dir.resolve("mixed"), 20, 10, 1);
        Raw raw = Raw.random(2, 10, 10);
        Files.write(folder.resolve("t10k-images-idx3-ubyte"),
                idx(IdxReader.IMAGE_MAGIC, new int[] {10, ROWS, COLS}, raw.pixels()));

        // when
        DataException e = assertThrows(DataException.class, () -> IdxReader.readFolder(folder, 10, "data.dir"));

        // then
        assertEquals("images file " + folder.resolve("train-images-idx3-ubyte") + " holds images of 3x3 pixels but"
                + " images file " + folder.resolve("t10k-images-idx3-ubyte") + " holds images of 4x3; the training"
                + " and the test images of data.dir " + folder + " must come from the same data set, so put the four"
                + " files of one data set together", e.getMessage());
    }

    @Test
    void readFolder_withTestLabelsCountingOtherThanTheTestImages_namesBothFiles() throws IOException {
        // given
        Path folder = IdxFixtures.writeFolder(dir.resolve("counts"), 20, 10, 1);
        Files.write(folder.resolve("t10k-labels-idx1-ubyte"), idx(IdxReader.LABEL_MAGIC, new int[] {9}, new byte[9]));

        // when
        DataException e = assertThrows(DataException.class, () -> IdxReader.readFolder(folder, 10, "data.dir"));

        // then
        assertTrue(e.getMessage().startsWith("images file " + folder.resolve("t10k-images-idx3-ubyte")
                + " holds 10 images but labels file " + folder.resolve("t10k-labels-idx1-ubyte") + " holds 9 labels"),
                e.getMessage());
    }

    @Test
    void readFolder_withAFileInsteadOfAFolder_saysSo() throws IOException {
        // given
        Path file = Files.writeString(dir.resolve("data.txt"), "not a folder");

        // when
        DataException e = assertThrows(DataException.class, () -> IdxReader.readFolder(file, 10, "data.dir"));

        // then
        assertEquals("data.dir " + file + " is a file, not a directory; point it at the folder that holds the IDX"
                + " files", e.getMessage());
    }

    @Test
    void readFolder_missing_saysItDoesNotExist() {
        Path missing = dir.resolve("nowhere");
        DataException e = assertThrows(DataException.class, () -> IdxReader.readFolder(missing, 10, "data.dir"));
        assertEquals("data.dir " + missing + " does not exist; point it at the folder that holds the IDX files",
                e.getMessage());
    }

    @Test
    void read_withNoImages_saysTheFileIsEmpty() throws IOException {
        // given
        Path images = Files.write(dir.resolve("img"),
                idx(IdxReader.IMAGE_MAGIC, new int[] {0, ROWS, COLS}, new byte[0]));
        Path labels = Files.write(dir.resolve("lab"), idx(IdxReader.LABEL_MAGIC, new int[] {0}, new byte[0]));

        // when
        DataException e = assertThrows(DataException.class, () -> IdxReader.read(images, labels, 10));

        // then
        assertEquals("images file " + images + " holds no images; fetch the file again", e.getMessage());
    }

    @Test
    void readFolder_thatThisUserCannotRead_saysPermissionDeniedInsteadOfMissingFiles() throws Exception {
        // given: a complete folder with its permissions removed
        Path folder = IdxFixtures.writeFolder(dir.resolve("locked"), 20, 10, 1);
        Files.setPosixFilePermissions(folder, java.nio.file.attribute.PosixFilePermissions.fromString("---------"));
        try {
            // when: read by a process subject to permission bits (a child without root's override, if we are root)
            ChildJvm.Result result = ChildJvm.runAsOrdinaryUser(dir, LoadDataMain.class, "idx", folder.toString());

            // then
            assertEquals(2, result.status(), result.output());
            assertTrue(result.output().contains("error: data.dir " + folder + " cannot be read: permission denied;"
                    + " make it readable by this user (e.g. chmod u+rx " + folder + ")"), result.output());
        } finally {
            Files.setPosixFilePermissions(folder, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        }

        // and the same folder, readable again, is read by the same child
        ChildJvm.Result readable = ChildJvm.runAsOrdinaryUser(dir, LoadDataMain.class, "idx", folder.toString());
        assertEquals(0, readable.status(), readable.output());
        assertTrue(readable.output().contains("read 20 + 10"), readable.output());
    }
}
