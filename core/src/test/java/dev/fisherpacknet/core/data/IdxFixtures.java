package dev.fisherpacknet.core.data;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/** Writes small seeded data sets as the four standard IDX files, for tests of the folder readers and fetchers. */
final class IdxFixtures {
    /** Images are {@code SIDE x SIDE}. */
    static final int SIDE = 3;

    private IdxFixtures() {
    }

    /** Writes {@code train} training and {@code test} test images (labels cycling over 10 classes) into {@code dir}. */
    static Path writeFolder(Path dir, int train, int test, long seed) throws IOException {
        Files.createDirectories(dir);
        SplittableRandom random = new SplittableRandom(seed);
        write(dir, "train", train, random);
        write(dir, "t10k", test, random);
        return dir;
    }

    private static void write(Path dir, String prefix, int n, SplittableRandom random) throws IOException {
        byte[] pixels = new byte[n * SIDE * SIDE];
        for (int k = 0; k < pixels.length; k++) {
            pixels[k] = (byte) random.nextInt(256);
        }
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(dir.resolve(prefix
                + "-images-idx3-ubyte")))) {
            out.writeInt(IdxReader.IMAGE_MAGIC);
            out.writeInt(n);
            out.writeInt(SIDE);
            out.writeInt(SIDE);
            out.write(pixels);
        }
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(dir.resolve(prefix
                + "-labels-idx1-ubyte")))) {
            out.writeInt(IdxReader.LABEL_MAGIC);
            out.writeInt(n);
            for (int i = 0; i < n; i++) {
                out.writeByte(i % 10);
            }
        }
    }
}
