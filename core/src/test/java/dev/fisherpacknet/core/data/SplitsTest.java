package dev.fisherpacknet.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SplitsTest {

    private static final int WIDTH = 3;

    /** Random labels over {@code numClasses}; feature 0 of example i is i, so identities survive the split. */
    private static ImageSet indexed(long seed, int size, int numClasses) {
        Random rnd = new Random(seed);
        float[] features = new float[size * WIDTH];
        int[] labels = new int[size];
        for (int i = 0; i < size; i++) {
            features[i * WIDTH] = i;
            features[i * WIDTH + 1] = rnd.nextFloat();
            features[i * WIDTH + 2] = -i;
            labels[i] = rnd.nextInt(numClasses);
        }
        return new ImageSet(features, labels, WIDTH, numClasses);
    }

    /**
     * The split computed another way: group indices per class, cut each list at the decimal floor, then
     * merge by original index.
     */
    private static int[][] expectedSplit(ImageSet all, double fraction) {
        Map<Integer, List<Integer>> byClass = new TreeMap<>();
        for (int i = 0; i < all.size(); i++) {
            byClass.computeIfAbsent(all.label(i), c -> new ArrayList<>()).add(i);
        }
        List<Integer> train = new ArrayList<>();
        List<Integer> test = new ArrayList<>();
        for (List<Integer> indices : byClass.values()) {
            int cut = BigDecimal.valueOf(fraction).multiply(BigDecimal.valueOf(indices.size()))
                    .setScale(0, RoundingMode.FLOOR).intValueExact();
            train.addAll(indices.subList(0, cut));
            test.addAll(indices.subList(cut, indices.size()));
        }
        return new int[][] {
            train.stream().mapToInt(Integer::intValue).sorted().toArray(),
            test.stream().mapToInt(Integer::intValue).sorted().toArray()};
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, 0.29, 0.5, 0.8, 0.9, 1.0})
    void perClassPrefix_onSyntheticData_matchesIndependentComputation(double fraction) {
        // given
        ImageSet all = indexed(42, 1000, 10);
        int[][] expected = expectedSplit(all, fraction);

        // when
        Splits.TrainTest split = Splits.perClassPrefix(all, fraction);

        // then
        assertEquals(all.select(expected[0]), split.train());
        assertEquals(all.select(expected[1]), split.test());
    }

    @Test
    void perClassPrefix_withDecimalFraction_isNotRoundedDownByBinaryArithmetic() {
        // given: 100 examples of one class; 0.29 * 100 is 28.999999999999996 in doubles
        ImageSet all = new ImageSet(new float[100], new int[100], 1, 1);

        // when
        Splits.TrainTest split = Splits.perClassPrefix(all, 0.29);

        // then
        assertEquals(29, split.train().size());
        assertEquals(71, split.test().size());
    }

    @Test
    void perClassPrefix_withMissingClass_keepsOtherClasses() {
        // given: class 1 of 3 never occurs
        int[] labels = {0, 2, 0, 2, 0, 2, 2};
        ImageSet all = new ImageSet(new float[labels.length], labels, 1, 3);

        // when
        Splits.TrainTest split = Splits.perClassPrefix(all, 0.5);

        // then: floor(0.5 * 3) = 1 of class 0, floor(0.5 * 4) = 2 of class 2
        assertEquals(all.select(new int[] {0, 1, 3}), split.train());
        assertEquals(all.select(new int[] {2, 4, 5, 6}), split.test());
    }

    @ParameterizedTest
    @ValueSource(doubles = {-0.1, 1.01, Double.NaN})
    void perClassPrefix_withFractionOutsideUnitInterval_throwsNamingIt(double fraction) {
        // given
        ImageSet all = indexed(1, 10, 2);

        // when
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Splits.perClassPrefix(all, fraction));

        // then
        assertTrue(e.getMessage().contains("trainFraction") && e.getMessage().contains(String.valueOf(fraction)),
                e.getMessage());
    }

    @Test
    void perClassPrefix_isAPartitionInOrderOfAppearance() {
        // given
        ImageSet all = indexed(7, 500, 4);

        // when
        Splits.TrainTest split = Splits.perClassPrefix(all, 0.8);

        // then: feature 0 holds the original index; both halves ascend and together cover every index once
        int[] train = IntStream.range(0, split.train().size()).map(i -> (int) split.train().feature(i, 0)).toArray();
        int[] test = IntStream.range(0, split.test().size()).map(i -> (int) split.test().feature(i, 0)).toArray();
        assertTrue(IntStream.range(1, train.length).allMatch(i -> train[i - 1] < train[i]));
        assertTrue(IntStream.range(1, test.length).allMatch(i -> test[i - 1] < test[i]));
        assertEquals(IntStream.range(0, 500).boxed().toList(),
                IntStream.concat(IntStream.of(train), IntStream.of(test)).sorted().boxed().toList());
    }
}
