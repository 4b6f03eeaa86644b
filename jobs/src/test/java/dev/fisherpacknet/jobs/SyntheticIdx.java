package dev.fisherpacknet.jobs;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Writes a small, learnable, seeded data set as the four standard IDX files: 10 classes of 4x4 images, class c
 * brightening pixels c and c + 6 over a noisy background.
 */
public final class SyntheticIdx {
    public static final int SIDE = 4;

    private SyntheticIdx() {
    }

    /** Writes train and test files into {@code dir} and returns it. */
    public static Path write(Path dir, int train, int test, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        write(dir, "train", train, random);
        write(dir, "t10k", test, random);
        return dir;
    }

    private static void write(Path dir, String prefix, int n, SplittableRandom random) throws IOException {
        byte[] labels = new byte[n];
        byte[] pixels = new byte[n * SIDE * SIDE];
        for (int i = 0; i < n; i++) {
            int c = i % 10;
            labels[i] = (byte) c;
            for (int k = 0; k < SIDE * SIDE; k++) {
                int value = random.nextInt(90);
                if (k == c || k == c + 6) {
                    value += 150;
                }
                pixels[i * SIDE * SIDE + k] = (byte) value;
            }
        }
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(dir.resolve(prefix
                + "-images-idx3-ubyte")))) {
            out.writeInt(0x00000803);
            out.writeInt(n);
            out.writeInt(SIDE);
            out.writeInt(SIDE);
            out.write(pixels);
        }
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(dir.resolve(prefix
                + "-labels-idx1-ubyte")))) {
            out.writeInt(0x00000801);
            out.writeInt(n);
            out.write(labels);
        }
    }

    /**
     * Writes train and test files of {@code side} x {@code side} images, streamed, so that a training set larger
     * than the writing JVM's heap can be made: class c brightens a band of pixels from c * side / 10 on.
     */
    public static Path writeLarge(Path dir, int train, int test, int side, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        for (String prefix : List.of("train", "t10k")) {
            int n = prefix.equals("train") ? train : test;
            byte[] labels = new byte[n];
            byte[] image = new byte[side * side];
            try (DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(
                    Files.newOutputStream(dir.resolve(prefix + "-images-idx3-ubyte")), 1 << 20))) {
                out.writeInt(0x00000803);
                out.writeInt(n);
                out.writeInt(side);
                out.writeInt(side);
                for (int i = 0; i < n; i++) {
                    int c = random.nextInt(10);
                    labels[i] = (byte) c;
                    for (int k = 0; k < image.length; k++) {
                        int value = random.nextInt(60);
                        if (k / side >= c * side / 10 && k / side < c * side / 10 + 3) {
                            value += 180;
                        }
                        image[k] = (byte) value;
                    }
                    out.write(image);
                }
            }
            try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(
                    dir.resolve(prefix + "-labels-idx1-ubyte")))) {
                out.writeInt(0x00000801);
                out.writeInt(n);
                out.write(labels);
            }
        }
        return dir;
    }
}
