package dev.fisherpacknet.core.data;

import java.io.Serializable;
import java.util.Arrays;

/**
 * A labelled set of examples stored row-major in one float array (example {@code i} occupies
 * {@code features[i * width .. (i + 1) * width)}). Immutable: arrays are copied in (or, by {@link #adopt}, taken
 * over from a reader that keeps no reference) and never handed out for writing, so one instance can be broadcast to
 * executors and shared by threads. A class rather than a record so that a shard of a gigabyte is not copied on the
 * way in.
 */
public final class ImageSet implements LabelledRecords, Serializable {
    private static final long serialVersionUID = 1L;

    private final float[] features;
    private final int[] labels;
    private final int width;
    private final int numClasses;

    /**
     * @param features   row-major example features, {@code size() * width} values; copied
     * @param labels     class label of each example, in {@code [0, numClasses)}; copied
     * @param width      features per example (784 for 28x28 images)
     * @param numClasses number of distinct classes the labels are drawn from
     */
    public ImageSet(float[] features, int[] labels, int width, int numClasses) {
        this(features.clone(), labels.clone(), width, numClasses, true);
    }

    /**
     * A set over arrays the caller hands over and never touches again: no copy, for readers of large shards.
     */
    public static ImageSet adopt(float[] features, int[] labels, int width, int numClasses) {
        return new ImageSet(features, labels, width, numClasses, true);
    }

    private ImageSet(float[] features, int[] labels, int width, int numClasses, boolean adopted) {
        if (width <= 0) {
            throw new IllegalArgumentException("width must be positive, got " + width);
        }
        if (features.length != (long) labels.length * width) {
            throw new IllegalArgumentException("features hold " + features.length + " values, expected "
                    + labels.length + " examples x " + width);
        }
        LabelledRecords.requireLabelsBelow(labels, numClasses);
        this.features = features;
        this.labels = labels;
        this.width = width;
        this.numClasses = numClasses;
    }

    /** Number of examples. */
    @Override
    public int size() {
        return labels.length;
    }

    /** Label of example {@code i}. */
    @Override
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
        return adopt(f, l, width, numClasses);
    }

    /** A copy of the row-major features. */
    public float[] features() {
        return features.clone();
    }

    /** A copy of the labels. */
    public int[] labels() {
        return labels.clone();
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public int numClasses() {
        return numClasses;
    }

    /** Copies examples {@code [from, from + count)}'s features into {@code dest} at {@code offset}. */
    public void copyFeatures(int from, int count, float[] dest, int offset) {
        System.arraycopy(features, from * width, dest, offset, count * width);
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
