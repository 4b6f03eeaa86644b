package dev.fisherpacknet.core.data;

import java.util.List;

/**
 * What a run reads on the driver: the training records' labels (to plan its tasks), the test set (to evaluate) and,
 * for CSV data, the classes of each file pair. Where the training examples themselves live is the trainer's and the
 * Fisher estimator's business: in this JVM ({@link Splits.TrainTest}) or on executors.
 */
public interface RunData {

    /** The base training records: all of them with features, or only their labels. */
    LabelledRecords trainRecords();

    /** The base test examples. */
    ImageSet test();

    /** For CSV data, the classes of each train/test file pair; empty for other data. */
    List<List<Integer>> fileClasses();

    /**
     * Run data whose training examples the driver does not hold.
     *
     * @param trainRecords the training records' labels
     * @param test         the test examples
     * @param fileClasses  classes of each CSV file pair, empty for other data
     */
    record OnExecutors(RecordLabels trainRecords, ImageSet test, List<List<Integer>> fileClasses)
            implements RunData, java.io.Serializable {
        public OnExecutors {
            fileClasses = fileClasses.stream().map(List::copyOf).toList();
        }
    }
}
