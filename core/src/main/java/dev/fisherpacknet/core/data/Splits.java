package dev.fisherpacknet.core.data;

import java.util.List;
import java.util.Objects;

/** Train/test splits of an {@link ImageSet} that keep the examples' order, so a split is reproducible. */
public final class Splits {

    /**
     * Guards {@code floor(fraction * n)} against binary rounding: 0.29 * 100 is 28.999999999999996 in
     * doubles, and a user who writes 0.29 means 29 of 100. Far below any real fraction's granularity.
     */
    private static final double FLOOR_TOLERANCE = 1e-9;

    private Splits() {
    }

    /**
     * A training set and a test set drawn from the same examples.
     *
     * @param train       the training examples
     * @param test        the test examples
     * @param fileClasses for CSV data, the classes of each train/test file pair in the order read (labels of a
     *                    later pair are shifted past the earlier pairs' classes, so that pairs share none; this is
     *                    what {@code tasks.stream = files} makes its tasks of); empty for other data
     */
    public record TrainTest(ImageSet train, ImageSet test, List<List<Integer>> fileClasses)
            implements RunData, java.io.Serializable {
        public TrainTest {
            Objects.requireNonNull(train);
            Objects.requireNonNull(test);
            fileClasses = fileClasses.stream().map(List::copyOf).toList();
        }

        @Override
        public ImageSet trainRecords() {
            return train;
        }

        /** Data that do not come in several file pairs. */
        public TrainTest(ImageSet train, ImageSet test) {
            this(train, test, List.of());
        }
    }

    /**
     * For each class {@code c}, its first {@code floor(trainFraction * n_c)} examples (in order of appearance)
     * become training data and the rest test data; both sets keep the order of appearance. This is P1's split
     * (7,996 train / 2,004 test at 0.8). The floor tolerates binary rounding, so 0.29 of 100 is 29, not 28.
     *
     * @throws IllegalArgumentException if {@code trainFraction} is outside [0, 1]
     */
    public static TrainTest perClassPrefix(ImageSet all, double trainFraction) {
        if (!(trainFraction >= 0 && trainFraction <= 1)) {
            throw new IllegalArgumentException("trainFraction must be in [0, 1], got " + trainFraction);
        }
        int[] perClass = new int[all.numClasses()];
        for (int i = 0; i < all.size(); i++) {
            perClass[all.label(i)]++;
        }
        int[] trainQuota = new int[perClass.length];
        int trainSize = 0;
        for (int c = 0; c < perClass.length; c++) {
            trainQuota[c] = (int) Math.floor(trainFraction * perClass[c] + FLOOR_TOLERANCE);
            trainSize += trainQuota[c];
        }
        int[] trainIdx = new int[trainSize];
        int[] testIdx = new int[all.size() - trainSize];
        int[] seen = new int[perClass.length];
        int nTrain = 0;
        int nTest = 0;
        for (int i = 0; i < all.size(); i++) {
            int c = all.label(i);
            if (seen[c]++ < trainQuota[c]) {
                trainIdx[nTrain++] = i;
            } else {
                testIdx[nTest++] = i;
            }
        }
        return new TrainTest(all.select(trainIdx), all.select(testIdx));
    }
}
