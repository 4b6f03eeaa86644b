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
}
