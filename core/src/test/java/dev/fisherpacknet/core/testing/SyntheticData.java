package dev.fisherpacknet.core.testing;

import dev.fisherpacknet.core.data.ImageSet;
import java.util.Random;

/**
 * Seeded synthetic classification data for tests: each class has its own mean feature vector, and every example
 * is its class mean plus Gaussian noise, clamped to [0, 1] like pixel intensities. Labels cycle through the
 * classes, so every class is (almost) equally represented.
 */
public final class SyntheticData {
    /** Standard deviation of the per-feature noise: small against the spread of the class means. */
    public static final double NOISE = 0.15;

    private SyntheticData() {
    }

    /** A train set and a test set drawn around the same class means. */
    public record TrainTest(ImageSet train, ImageSet test) {
    }

    /** {@code n} examples of width {@code width} over {@code numClasses} classes, all drawn from {@code seed}. */
    public static ImageSet imageSet(long seed, int n, int width, int numClasses) {
        return sample(means(seed, width, numClasses), new Random(seed ^ 0x5DEECE66DL), n);
    }

    /** Train and test sets that share class means (drawn from {@code seed}) but not noise. */
    public static TrainTest trainTest(long seed, int nTrain, int nTest, int width, int numClasses) {
        float[][] means = means(seed, width, numClasses);
        return new TrainTest(sample(means, new Random(seed + 1), nTrain), sample(means, new Random(seed + 2), nTest));
    }

    private static float[][] means(long seed, int width, int numClasses) {
        Random random = new Random(seed);
        float[][] means = new float[numClasses][width];
        for (float[] mean : means) {
            for (int k = 0; k < width; k++) {
                mean[k] = 0.1f + 0.8f * random.nextFloat();
            }
        }
        return means;
    }

    private static ImageSet sample(float[][] means, Random random, int n) {
        int numClasses = means.length;
        int width = means[0].length;
        float[] features = new float[n * width];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % numClasses;
            for (int k = 0; k < width; k++) {
                double value = means[labels[i]][k] + NOISE * random.nextGaussian();
                features[i * width + k] = (float) Math.min(1.0, Math.max(0.0, value));
            }
        }
        return new ImageSet(features, labels, width, numClasses);
    }
}
