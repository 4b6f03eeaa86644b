package dev.fisherpacknet.core.data;

import java.io.Serializable;
import java.util.Arrays;

/**
 * A labelled set of examples stored row-major in one float array (example {@code i} occupies
 * {@code features[i * width .. (i + 1) * width)}). Immutable: arrays are copied in and never handed out
 * for writing, so one instance can be broadcast to executors and shared by threads.
 *
 * @param features row-major example features, {@code size() * width} values
 * @param labels   class label of each example, in {@code [0, numClasses)}
 * @param width    features per example (784 for 28x28 images)
 * @param numClasses number of distinct classes the labels are drawn from
 */
public record ImageSet(float[] features, int[] labels, int width, int numClasses) implements Serializable {

    public ImageSet {
        if (width <= 0) {
            throw new IllegalArgumentException("width must be positive, got " + width);
        }
        if (features.length != (long) labels.length * width) {
            throw new IllegalArgumentException("features hold " + features.length + " values, expected "
                    + labels.length + " examples x " + width);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new IllegalArgumentException("label of example " + i + " is " + labels[i]
                        + ", outside [0, " + numClasses + ")");
            }
        }
        features = features.clone();
        labels = labels.clone();
    }

    /** Number of examples. */
    public int size() {
        return labels.length;
    }

    /** Label of example {@code i}. */
    public int label(int i) {
        return labels[i];
    }

    /** Copies example {@code i}'s features into {@code dest} at {@code offset}. */
    public void copyFeatures(int i, float[] dest, int offset) {
        System.arraycopy(features, i * width, dest, offset, width);
    }

    /** Feature {@code k} of example {@code i}. */
    public float feature(int i, int k) {
        return features[i * width + k];
    }

    /** The examples at {@code indices}, in that order. */
    public ImageSet select(int[] indices) {
        float[] f = new float[indices.length * width];
        int[] l = new int[indices.length];
        for (int n = 0; n < indices.length; n++) {
            copyFeatures(indices[n], f, n * width);
            l[n] = labels[indices[n]];
        }
        return new ImageSet(f, l, width, numClasses);
    }

    @Override
    public float[] features() {
        return features.clone();
    }

    @Override
    public int[] labels() {
        return labels.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImageSet other && width == other.width && numClasses == other.numClasses
                && Arrays.equals(labels, other.labels) && Arrays.equals(features, other.features);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(labels) + Arrays.hashCode(features);
    }

    @Override
    public String toString() {
        return "ImageSet[" + size() + " examples x " + width + ", " + numClasses + " classes]";
    }
}
