package dev.fisherpacknet.core.data;

import java.io.BufferedInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Reads labelled images from a pair of IDX files (the format of MNIST and Fashion-MNIST), raw or
 * gzip-compressed. Compression is detected from the gzip magic bytes rather than the file name, because
 * copies are often decompressed without being renamed (or the other way round).
 */
public final class IdxReader {

    /** IDX magic of an image file: unsigned bytes, 3 dimensions (count, rows, cols). */
    static final int IMAGE_MAGIC = 0x00000803;
    /**
     * IDX magic of an image file of 32-bit floats (big-endian), 3 dimensions: what {@link #writeFloatImages} writes
     * for data whose pixels are not bytes (P1's npm digits), read as they are, without scaling.
     */
    static final int FLOAT_IMAGE_MAGIC = 0x00000D03;
    /** IDX magic of a label file: unsigned bytes, 1 dimension (count). */
    static final int LABEL_MAGIC = 0x00000801;

    private static final int GZIP_MAGIC_0 = 0x1f;
    private static final int GZIP_MAGIC_1 = 0x8b;

    /** Base names of the four standard files, each found raw or with a {@code .gz} suffix. */
    public static final List<String> STANDARD_FILES = List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte",
            "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");

    private IdxReader() {
    }

    /**
     * Reads the standard four files of {@code dir} (MNIST's names, which Fashion-MNIST shares) as a training set
     * and a test set of {@code numClasses} classes.
     *
     * @param what names the folder in messages, e.g. {@code data.dir} or {@code the Fashion-MNIST folder}
     */
    public static Splits.TrainTest readFolder(Path dir, int numClasses, String what) {
        return readFolder(DataStore.LOCAL, DataPath.of(dir), numClasses, what);
    }

    /** {@link #readFolder(Path, int, String)} for a folder of any file system {@code store} reads. */
    public static Splits.TrainTest readFolder(DataStore store, DataPath dir, int numClasses, String what) {
        List<DataPath> files = standardFiles(store, dir, what);
        DataPath trainImages = files.get(0);
        DataPath testImages = files.get(2);
        Shaped train = readShaped(store, trainImages, files.get(1), numClasses);
        Shaped test = readShaped(store, testImages, files.get(3), numClasses);
        if (train.rows != test.rows || train.cols != test.cols) {
            throw new DataException("images file " + trainImages + " holds images of " + train.rows + "x" + train.cols
                    + " pixels but images file " + testImages + " holds images of " + test.rows + "x" + test.cols
                    + "; the training and the test images of " + what + " " + dir + " must come from the same data"
                    + " set, so put the four files of one data set together");
        }
        return new Splits.TrainTest(train.set, test.set);
    }

    /**
     * A folder the files are to be read from must exist and be listable and readable. Without the check, an
     * unreadable folder would look empty and be reported as lacking the files.
     */
    static void requireReadableDirectory(DataStore store, DataPath dir, String what) {
        boolean directory;
        boolean file;
        try {
            directory = store.isDirectory(dir);
            file = !directory && store.isFile(dir);
        } catch (IOException e) {
            throw new DataException(what + " " + dir + " cannot be reached: " + e.getMessage(), e);
        }
        if (!directory) {
            throw new DataException(what + " " + dir + (file ? " is a file, not a directory"
                    : " does not exist") + "; point it at the folder that holds the IDX files");
        }
        if (!dir.isLocal()) {
            return;
        }
        Path local = dir.local();
        if (!Files.isReadable(local) || !Files.isExecutable(local)) {
            throw new DataException(what + " " + dir + " cannot be read: permission denied; make it readable by this"
                    + " user (e.g. chmod u+rx " + dir + ") or point " + what + " at a copy you can read");
        }
    }

    /**
     * The standard files of {@code dir} in {@link #STANDARD_FILES} order, each raw or gzip'd.
     *
     * @param what names the folder in messages
     */
    public static List<DataPath> standardFiles(DataStore store, DataPath dir, String what) {
        requireReadableDirectory(store, dir, what);
        return STANDARD_FILES.stream().map(name -> standardFile(store, dir, name, what)).toList();
    }

    /**
     * What an images/labels pair declares, from their headers alone: for readers that read records by byte range.
     *
     * @param records    examples (images, and labels)
     * @param rows       rows of an image
     * @param cols       columns of an image
     * @param valueBytes bytes per pixel: 1 (unsigned bytes, scaled to [0, 1] when read) or 4 (floats, as they are)
     * @param compressed whether either file is gzip'd, so that a record cannot be reached by its offset
     */
    public record Shape(long records, int rows, int cols, int valueBytes, boolean compressed) {
        /** Bytes before the first image of an images file. */
        public static final long IMAGES_HEADER = 16;
        /** Bytes before the first label of a labels file. */
        public static final long LABELS_HEADER = 8;

        /** Features per example. */
        public int width() {
            return rows * cols;
        }
    }

    /**
     * Checks the headers of an images/labels pair (magic, dimensions, equal counts and, for raw files, that the
     * files are as long as their headers declare) without reading the records.
     *
     * @throws DataException naming the file at fault
     */
    public static Shape shape(Path images, Path labels) {
        return shape(DataStore.LOCAL, DataPath.of(images), DataPath.of(labels));
    }

    /** {@link #shape(Path, Path)} for files of any file system {@code store} reads. */
    public static Shape shape(DataStore store, DataPath images, DataPath labels) {
        Header imageHeader = header(store, images, IMAGE_MAGIC, "images",
                "an IDX image file: unsigned bytes, 3 dimensions");
        int[] imageDims = imageHeader.dims();
        int[] labelDims = header(store, labels, LABEL_MAGIC, "labels",
                "an IDX label file: unsigned bytes, 1 dimension").dims();
        if (labelDims[0] != imageDims[0]) {
            throw new DataException("images file " + images + " holds " + imageDims[0] + " images but labels file "
                    + labels + " holds " + labelDims[0] + " labels; pass the images and labels of the same split"
                    + " (e.g. train-images-idx3-ubyte with train-labels-idx1-ubyte)");
        }
        if (imageDims[0] == 0 || imageDims[1] == 0 || imageDims[2] == 0) {
            throw new DataException("images file " + images + " declares " + imageDims[0] + " images of "
                    + imageDims[1] + "x" + imageDims[2] + " pixels; the header is damaged, fetch the file again");
        }
        boolean compressed = isGzip(store, images) || isGzip(store, labels);
        long records = imageDims[0];
        if (!compressed) {
            requireLength(store, images, "images", Shape.IMAGES_HEADER,
                    records * imageDims[1] * imageDims[2] * imageHeader.valueBytes(),
                    records + " images of " + imageDims[1] + "x" + imageDims[2]);
            requireLength(store, labels, "labels", Shape.LABELS_HEADER, records, records + " labels");
        }
        return new Shape(records, imageDims[1], imageDims[2], imageHeader.valueBytes(), compressed);
    }

    /**
     * The labels of a labels file, checked against {@code numClasses}: what a driver reads of training data whose
     * images the executors read.
     */
    public static int[] readLabels(Path labels, int numClasses) {
        return readLabels(DataStore.LOCAL, DataPath.of(labels), numClasses);
    }

    /** {@link #readLabels(Path, int)} for a file of any file system {@code store} reads. */
    public static int[] readLabels(DataStore store, DataPath labels, int numClasses) {
        Idx lab = readIdx(store, labels, LABEL_MAGIC, "labels", "an IDX label file: unsigned bytes, 1 dimension");
        int[] y = new int[lab.dims[0]];
        for (int i = 0; i < y.length; i++) {
            y[i] = lab.data[i] & 0xff;
            if (y[i] >= numClasses) {
                throw new DataException("labels file " + labels + " has label " + y[i] + " at index " + i
                        + ", outside [0, " + numClasses + "); check that the file matches a dataset with "
                        + numClasses + " classes");
            }
        }
        return y;
    }

    /**
     * {@code file} itself if it is raw, else its decompressed copy in {@code cacheDir} (made once, published
     * atomically, named by the compressed file's SHA-256): readers of byte ranges need raw files.
     */
    public static Path rawCopy(Path file, Path cacheDir) {
        return rawCopy(DataStore.LOCAL, DataPath.of(file), cacheDir).local();
    }

    /**
     * {@link #rawCopy(Path, Path)} for a file of any file system {@code store} reads; the unpacked copy is always
     * local, in {@code cacheDir}.
     */
    public static DataPath rawCopy(DataStore store, DataPath file, Path cacheDir) {
        if (!isGzip(store, file)) {
            return file;
        }
        String name = file.name().replaceFirst("\\.gz$", "");
        String digest;
        try (InputStream in = store.open(file)) {
            digest = CacheFiles.sha256(in);
        } catch (IOException e) {
            throw new DataException("file " + file + " cannot be read: " + e.getMessage() + "; fetch the file again",
                    e);
        }
        Path dir = cacheDir.resolve("idx-raw").resolve(digest);
        Path copy = dir.resolve(name);
        if (Files.isRegularFile(copy)) {
            return DataPath.of(copy);
        }
        CacheFiles.createDirectories(dir);
        try {
            Path partial = Files.createTempFile(dir, name, ".partial");
            try (InputStream in = open(store, file)) {
                Files.copy(in, partial, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            Files.move(partial, copy, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return DataPath.of(copy);
        } catch (IOException e) {
            throw new DataException("cannot unpack " + file + " into " + dir + ": " + e.getMessage()
                    + "; make data.cache-dir writable or point data.dir at raw IDX files", e);
        }
    }

    /**
     * The feature values of an images file's bytes, as {@link #read} decodes them: unsigned bytes divided by 255,
     * or big-endian floats as they are.
     *
     * @param valueBytes 1 or 4, as {@link Shape#valueBytes}
     */
    public static float[] pixels(byte[] bytes, int valueBytes) {
        if (valueBytes == Float.BYTES) {
            float[] x = new float[bytes.length / Float.BYTES];
            java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.BIG_ENDIAN).asFloatBuffer().get(x);
            return x;
        }
        float[] x = new float[bytes.length];
        for (int k = 0; k < x.length; k++) {
            x[k] = pixel(bytes[k]);
        }
        return x;
    }

    /**
     * Writes {@code set}'s features as an IDX file of {@code rows} x {@code cols} images of 32-bit floats, which
     * {@link #read} reads back bit for bit.
     */
    public static void writeFloatImages(Path file, ImageSet set, int rows, int cols) throws IOException {
        if (rows * cols != set.width()) {
            throw new IllegalArgumentException(rows + "x" + cols + " images for " + set.width() + " features");
        }
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(
                new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 16))) {
            out.writeInt(FLOAT_IMAGE_MAGIC);
            out.writeInt(set.size());
            out.writeInt(rows);
            out.writeInt(cols);
            float[] row = new float[set.width()];
            for (int i = 0; i < set.size(); i++) {
                set.copyFeatures(i, 1, row, 0);
                for (float v : row) {
                    out.writeFloat(v);
                }
            }
        }
    }

    /** Writes {@code set}'s labels as an IDX label file (unsigned bytes: at most 256 classes). */
    public static void writeLabels(Path file, ImageSet set) throws IOException {
        if (set.numClasses() > 256) {
            throw new IllegalArgumentException("IDX labels are bytes; " + set.numClasses() + " classes do not fit");
        }
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(
                new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 16))) {
            out.writeInt(LABEL_MAGIC);
            out.writeInt(set.size());
            for (int i = 0; i < set.size(); i++) {
                out.writeByte(set.label(i));
            }
        }
    }

    /** A pixel's feature value: the unsigned byte divided by 255, as {@link #read} computes it. */
    public static float pixel(byte value) {
        return (value & 0xff) / 255f;
    }

    private static Header header(DataStore store, DataPath file, int expectedMagic, String role, String kind) {
        try (InputStream in = open(store, file)) {
            return dims(in, file, expectedMagic, role, kind);
        } catch (NoSuchFileException | FileNotFoundException e) {
            throw new DataException(role + " file " + file + " does not exist; check the data directory", e);
        } catch (AccessDeniedException e) {
            throw new DataException(role + " file " + file + " cannot be read: permission denied; make it"
                    + " readable by this user", e);
        } catch (IOException e) {
            throw new DataException(role + " file " + file + " cannot be read: " + e.getMessage()
                    + "; fetch the file again", e);
        }
    }

    /** Reads and checks an IDX header (magic, dimensions) from {@code in}, leaving it at the first data byte. */
    private static Header dims(InputStream in, DataPath file, int expectedMagic, String role, String kind)
            throws IOException {
        int numDims = expectedMagic & 0xff;
        byte[] header = in.readNBytes(4 + 4 * numDims);
        int magic = header.length >= 4 ? intAt(header, 0) : expectedMagic;
        if (header.length >= 4) {
            boolean floats = expectedMagic == IMAGE_MAGIC && magic == FLOAT_IMAGE_MAGIC;
            if (magic != expectedMagic && !floats) {
                throw new DataException(role + " file " + file + " starts with magic " + hex(magic)
                        + ", expected " + hex(expectedMagic) + " (" + kind + ")" + swapHint(magic, role));
            }
        }
        if (header.length < 4 + 4 * numDims) {
            throw new DataException(role + " file " + file + " is truncated: its IDX header needs "
                    + (4 + 4 * numDims) + " bytes, found " + header.length + "; fetch the file again");
        }
        int[] dims = new int[numDims];
        for (int d = 0; d < numDims; d++) {
            dims[d] = intAt(header, 4 + 4 * d);
            if (dims[d] < 0) {
                throw new DataException(role + " file " + file + " declares dimension " + d + " as "
                        + Integer.toUnsignedString(dims[d]) + ", which cannot be right; the header is"
                        + " damaged, fetch the file again");
            }
        }
        return new Header(magic, dims);
    }

    /** An IDX header: its magic (the value type and the number of dimensions) and the dimensions. */
    private record Header(int magic, int[] dims) {
        /** Bytes per value: 4 for floats, 1 for unsigned bytes. */
        int valueBytes() {
            return magic == FLOAT_IMAGE_MAGIC ? Float.BYTES : 1;
        }
    }

    private static boolean isGzip(DataStore store, DataPath file) {
        try (InputStream in = store.open(file)) {
            return in.read() == GZIP_MAGIC_0 && in.read() == GZIP_MAGIC_1;
        } catch (IOException e) {
            throw new DataException("file " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** The same message as a whole-file read gives for a file shorter than its header declares. */
    private static void requireLength(DataStore store, DataPath file, String role, long header, long expected,
                                      String unit) {
        try {
            long follow = store.size(file) - header;
            if (follow < expected) {
                throw new DataException(role + " file " + file + " is truncated: its header declares " + unit + " ("
                        + expected + " bytes after the header) but only " + follow + " bytes follow; fetch the file"
                        + " again");
            }
        } catch (IOException e) {
            throw new DataException(role + " file " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** Whether {@code dir} holds all four standard files, raw or gzip'd. */
    public static boolean holdsStandardFiles(Path dir) {
        return STANDARD_FILES.stream().allMatch(name -> find(DataStore.LOCAL, DataPath.of(dir), name) != null);
    }

    private static DataPath standardFile(DataStore store, DataPath dir, String name, String what) {
        DataPath file = find(store, dir, name);
        if (file == null) {
            throw new DataException(what + " " + dir + " holds neither " + name + " nor " + name + ".gz; "
                    + "it must hold the four standard IDX files");
        }
        return file;
    }

    private static DataPath find(DataStore store, DataPath dir, String name) {
        for (String candidate : List.of(name + ".gz", name)) {
            DataPath file = dir.child(candidate);
            try {
                if (store.isFile(file)) {
                    return file;
                }
            } catch (IOException e) {
                throw new DataException("file " + file + " cannot be reached: " + e.getMessage(), e);
            }
        }
        return null;
    }

    /**
     * Reads the images of {@code images} with the labels of {@code labels}, pixels scaled to [0, 1] by
     * dividing by 255 and {@code width = rows * cols}.
     *
     * @throws DataException naming the file at fault if either file is missing, unreadable, not of the
     *                       expected IDX type, truncated, or if the files disagree or a label is out of range
     */
    public static ImageSet read(Path images, Path labels, int numClasses) {
        return read(DataStore.LOCAL, DataPath.of(images), DataPath.of(labels), numClasses);
    }

    /** {@link #read(Path, Path, int)} for files of any file system {@code store} reads. */
    public static ImageSet read(DataStore store, DataPath images, DataPath labels, int numClasses) {
        return readShaped(store, images, labels, numClasses).set;
    }

    /** Images with the rows and columns their file declares. */
    private record Shaped(ImageSet set, int rows, int cols) {
    }

    private static Shaped readShaped(DataStore store, DataPath images, DataPath labels, int numClasses) {
        if (numClasses <= 0) {
            throw new IllegalArgumentException("numClasses must be positive, got " + numClasses);
        }
        Idx img = readIdx(store, images, IMAGE_MAGIC, "images", "an IDX image file: unsigned bytes, 3 dimensions");
        Idx lab = readIdx(store, labels, LABEL_MAGIC, "labels", "an IDX label file: unsigned bytes, 1 dimension");
        int count = img.dims[0];
        if (lab.dims[0] != count) {
            throw new DataException("images file " + images + " holds " + count + " images but labels file "
                    + labels + " holds " + lab.dims[0] + " labels; pass the images and labels of the same split"
                    + " (e.g. train-images-idx3-ubyte.gz with train-labels-idx1-ubyte.gz)");
        }
        int[] y = new int[count];
        for (int i = 0; i < count; i++) {
            y[i] = lab.data[i] & 0xff;
            if (y[i] >= numClasses) {
                throw new DataException("labels file " + labels + " has label " + y[i] + " at index " + i
                        + ", outside [0, " + numClasses + "); check that the file matches a dataset with "
                        + numClasses + " classes");
            }
        }
        if (count == 0) {
            throw new DataException("images file " + images + " holds no images; fetch the file again");
        }
        if (img.dims[1] == 0 || img.dims[2] == 0) {
            throw new DataException("images file " + images + " declares images of " + img.dims[1] + "x" + img.dims[2]
                    + " pixels; the header is damaged, fetch the file again");
        }
        int width = img.dims[1] * img.dims[2];
        float[] x = pixels(img.data, img.valueBytes);
        return new Shaped(new ImageSet(x, y, width, numClasses), img.dims[1], img.dims[2]);
    }

    /** The dimensions and payload of one IDX file. */
    private record Idx(int[] dims, byte[] data, int valueBytes) {
    }

    private static Idx readIdx(DataStore store, DataPath file, int expectedMagic, String role, String kind) {
        int numDims = expectedMagic & 0xff;
        try (InputStream in = open(store, file)) {
            Header header = dims(in, file, expectedMagic, role, kind);
            int[] dims = header.dims();
            long total = header.valueBytes();
            for (int dim : dims) {
                total *= dim;
            }
            // Arrays are int-indexed; a header this large is damaged, not a dataset we can hold.
            if (total > Integer.MAX_VALUE - 8) {
                throw new DataException(role + " file " + file + " declares " + total + " bytes of data, more"
                        + " than one array can hold; the header is damaged, fetch the file again");
            }
            byte[] data = in.readNBytes((int) total);
            if (data.length < total) {
                String unit = numDims == 3 ? dims[0] + " images of " + dims[1] + "x" + dims[2] : dims[0] + " labels";
                throw new DataException(role + " file " + file + " is truncated: its header declares " + unit
                        + " (" + total + " bytes after the header) but only " + data.length
                        + " bytes follow; fetch the file again");
            }
            return new Idx(dims, data, header.valueBytes());
        } catch (NoSuchFileException | FileNotFoundException e) {
            throw new DataException(role + " file " + file + " does not exist; check the data directory (Debian's"
                    + " dataset-fashion-mnist package installs Fashion-MNIST under /usr/share/datasets/fashion-mnist/)",
                    e);
        } catch (AccessDeniedException e) {
            throw new DataException(role + " file " + file + " cannot be read: permission denied; make it"
                    + " readable by this user", e);
        } catch (IOException e) {
            throw new DataException(role + " file " + file + " cannot be read: " + e.getMessage()
                    + " (a damaged gzip stream or an I/O error); fetch the file again", e);
        }
    }

    /** Opens {@code file}, transparently decompressing it when it starts with the gzip magic bytes. */
    private static InputStream open(DataStore store, DataPath file) throws IOException {
        if (store.isDirectory(file)) {
            throw new DataException(file + " is a directory, expected an IDX file; name the file itself");
        }
        InputStream raw = new BufferedInputStream(store.open(file), 1 << 16);
        try {
            raw.mark(2);
            int b0 = raw.read();
            int b1 = raw.read();
            raw.reset();
            if (b0 == GZIP_MAGIC_0 && b1 == GZIP_MAGIC_1) {
                return new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16);
            }
            return raw;
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    private static String swapHint(int magic, String role) {
        if (magic == LABEL_MAGIC || magic == IMAGE_MAGIC) {
            return "; it looks like the " + (role.equals("images") ? "labels" : "images")
                    + " file: pass the images file first and the labels file second";
        }
        return "; is it an IDX file?";
    }

    private static int intAt(byte[] b, int off) {
        return (b[off] & 0xff) << 24 | (b[off + 1] & 0xff) << 16 | (b[off + 2] & 0xff) << 8 | (b[off + 3] & 0xff);
    }

    private static String hex(int v) {
        return String.format("0x%08x", v);
    }
}
