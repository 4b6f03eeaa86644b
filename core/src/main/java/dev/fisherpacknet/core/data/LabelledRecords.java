package dev.fisherpacknet.core.data;

/**
 * Base records as far as a task stream needs them: how many, how wide, and their labels. An {@link ImageSet} is
 * one; {@link RecordLabels} is one without the features, for a driver whose executors hold the examples.
 */
public interface LabelledRecords {

    /** Number of records. */
    int size();

    /** Features per record. */
    int width();

    /** Number of distinct classes the labels are drawn from. */
    int numClasses();

    /** Label of record {@code i}. */
    int label(int i);

    /** Checks that every label is in {@code [0, numClasses)}. */
    static void requireLabelsBelow(int[] labels, int numClasses) {
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new IllegalArgumentException("label of example " + i + " is " + labels[i]
                        + ", outside [0, " + numClasses + ")");
            }
        }
    }
}
