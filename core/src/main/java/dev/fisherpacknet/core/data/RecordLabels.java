package dev.fisherpacknet.core.data;

import java.io.Serializable;

/**
 * The labels of base records without their features: 4 bytes per record where the features take 4 per pixel, which
 * is what a driver needs to plan tasks over training data that only the executors hold.
 *
 * @param labels     class label of each record, in {@code [0, numClasses)}
 * @param width      features per record
 * @param numClasses number of distinct classes
 */
public record RecordLabels(int[] labels, int width, int numClasses) implements LabelledRecords, Serializable {
    public RecordLabels {
        if (width <= 0 || numClasses <= 0) {
            throw new IllegalArgumentException("width and numClasses must be positive, got " + width + ", "
                    + numClasses);
        }
        LabelledRecords.requireLabelsBelow(labels, numClasses);
        labels = labels.clone();
    }

    @Override
    public int size() {
        return labels.length;
    }

    @Override
    public int label(int i) {
        return labels[i];
    }

    @Override
    public int[] labels() {
        return labels.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RecordLabels other && width == other.width && numClasses == other.numClasses
                && java.util.Arrays.equals(labels, other.labels);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(labels) * 31 + width;
    }

    @Override
    public String toString() {
        return "RecordLabels[" + size() + " records x " + width + ", " + numClasses + " classes]";
    }
}
