package dev.fisherpacknet.core.mask;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fisherpacknet.core.model.ModelConfig;
import dev.fisherpacknet.core.model.NetworkFactory;
import dev.fisherpacknet.core.model.ParamLayout;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class TopKSelectorTest {

    /** Trunk 10-9-8 (weight matrices of 90 and 72 entries) and a 4-way head. */
    private static final ParamLayout LAYOUT = ParamLayout.of(
            new NetworkFactory(new ModelConfig(List.of(9, 8), "relu"), 10, 1e-3).create(4, 1));

    /** Few distinct values, so that most scores tie with many others; includes both zeros and infinities. */
    private static final float[] POOL = {Float.NEGATIVE_INFINITY, -1.5f, -0f, 0f, 0.25f, 1f, 3f,
        Float.POSITIVE_INFINITY};

    private static float[] tiedScores(long seed) {
        Random random = new Random(seed);
        float[] scores = new float[LAYOUT.trunkLength()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = POOL[random.nextInt(POOL.length)];
        }
        return scores;
    }

    private static int[] trunkBiases() {
        return LAYOUT.layers().subList(0, LAYOUT.trunkLayerCount()).stream()
                .flatMapToInt(l -> IntStream.range(l.biasOffset(), l.biasOffset() + l.nOut())).toArray();
    }

    /**
     * About a third of the weights owned by task 0, with the highest possible score so that a selector that
     * forgot ownership would pick them; biases get the highest score too.
     */
    private static Ownership partlyOwned(float[] scores, long seed) {
        Random random = new Random(seed);
        Ownership ownership = new Ownership(LAYOUT.trunkLength());
        int[] owned = IntStream.range(0, LAYOUT.trunkLayerCount()).flatMap(l -> {
            ParamLayout.Layer layer = LAYOUT.layers().get(l);
            return IntStream.range(layer.weightOffset(), layer.weightOffset() + layer.weightCount());
        }).filter(i -> random.nextInt(3) == 0).toArray();
        ownership.assign(owned, 0);
        for (int i : owned) {
            scores[i] = Float.POSITIVE_INFINITY;
        }
        for (int b : trunkBiases()) {
            scores[b] = Float.POSITIVE_INFINITY;
        }
        return ownership;
    }

    /** Independent top-k: boxed candidates sorted by score descending (as numbers: -0 == 0), then index ascending. */
    private static int[] expectedTopK(float[] scores, IntStream candidates, int k) {
        Comparator<Integer> byScoreDescending = (a, b) -> scores[a] > scores[b] ? -1 : scores[a] < scores[b] ? 1 : 0;
        return candidates.boxed().sorted(byScoreDescending.thenComparing(Comparator.naturalOrder()))
                .limit(k).mapToInt(Integer::intValue).sorted().toArray();
    }

    private static IntStream freeWeightsOf(ParamLayout.Layer layer, Ownership ownership) {
        return IntStream.range(layer.weightOffset(), layer.weightOffset() + layer.weightCount())
                .filter(ownership::isFree);
    }

    private static IntStream allFreeTrunkWeights(Ownership ownership) {
        return LAYOUT.layers().subList(0, LAYOUT.trunkLayerCount()).stream()
                .flatMapToInt(l -> freeWeightsOf(l, ownership));
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, 0.25, 0.5, 0.7, 0.9, 0.99})
    void select_layerScope_keepsKeptCountPerMatrixEqualToIndependentSort(double ratio) {
        // given
        float[] scores = tiedScores(7);
        Ownership ownership = partlyOwned(scores, 8);

        // when
        int[] kept = TopKSelector.select(scores, ownership, LAYOUT, ratio, SelectionScope.LAYER);

        // then
        int[] expected = IntStream.range(0, LAYOUT.trunkLayerCount()).flatMap(l -> {
            ParamLayout.Layer layer = LAYOUT.layers().get(l);
            int free = (int) freeWeightsOf(layer, ownership).count();
            int[] layerKept = Arrays.stream(kept)
                    .filter(i -> i >= layer.weightOffset() && i < layer.weightOffset() + layer.weightCount())
                    .toArray();
            assertEquals(TopKSelector.keptCount(free, ratio), layerKept.length, "layer " + l);
            return IntStream.of(expectedTopK(scores, freeWeightsOf(layer, ownership),
                    TopKSelector.keptCount(free, ratio)));
        }).sorted().toArray();
        assertArrayEquals(expected, kept);
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, 0.25, 0.5, 0.7, 0.9, 0.99})
    void select_globalScope_keepsKeptCountOverAllTrunkWeightsEqualToIndependentSort(double ratio) {
        // given
        float[] scores = tiedScores(17);
        Ownership ownership = partlyOwned(scores, 18);
        int free = (int) allFreeTrunkWeights(ownership).count();

        // when
        int[] kept = TopKSelector.select(scores, ownership, LAYOUT, ratio, SelectionScope.GLOBAL);

        // then
        assertEquals(TopKSelector.keptCount(free, ratio), kept.length);
        assertArrayEquals(expectedTopK(scores, allFreeTrunkWeights(ownership), kept.length), kept);
    }

    @Test
    void select_globalScope_canKeepMoreOfOneMatrixThanTheOther() {
        // given: every weight of the first matrix outscores every weight of the second
        float[] scores = new float[LAYOUT.trunkLength()];
        ParamLayout.Layer first = LAYOUT.layers().get(0);
        Arrays.fill(scores, first.weightOffset(), first.weightOffset() + first.weightCount(), 1f);
        Ownership ownership = new Ownership(LAYOUT.trunkLength());

        // when
        int[] kept = TopKSelector.select(scores, ownership, LAYOUT, 0.5, SelectionScope.GLOBAL);

        // then: half of all 162 weights is 81, all taken from the 90 of the first matrix
        int total = LAYOUT.trunkWeightCount();
        assertEquals(TopKSelector.keptCount(total, 0.5), kept.length);
        assertTrue(Arrays.stream(kept).allMatch(i -> i >= first.weightOffset()
                && i < first.weightOffset() + first.weightCount()));
    }

    @ParameterizedTest
    @EnumSource(SelectionScope.class)
    void select_neverReturnsOwnedWeightsOrBiases(SelectionScope scope) {
        // given: owned weights and biases score +infinity, every other weight less
        float[] scores = tiedScores(27);
        Ownership ownership = partlyOwned(scores, 28);
        int[] biases = trunkBiases();

        // when
        int[] kept = TopKSelector.select(scores, ownership, LAYOUT, 0.2, scope);

        // then
        assertTrue(kept.length > 0);
        for (int i : kept) {
            assertTrue(ownership.isFree(i), "owned parameter " + i + " selected");
            assertTrue(Arrays.stream(biases).noneMatch(b -> b == i), "bias " + i + " selected");
        }
    }

    @Test
    void select_returnsDistinctIndicesInAscendingOrder() {
        // given
        float[] scores = tiedScores(37);
        Ownership ownership = partlyOwned(scores, 38);

        // when
        int[] kept = TopKSelector.select(scores, ownership, LAYOUT, 0.5, SelectionScope.GLOBAL);

        // then
        for (int n = 1; n < kept.length; n++) {
            assertTrue(kept[n - 1] < kept[n], "not strictly ascending at " + n);
        }
    }

    @Test
    void select_negativeAndPositiveZero_tieAndGoToTheLowerIndex() {
        // given: only zeros, alternating -0 and +0; as numbers they are all equal
        float[] scores = new float[LAYOUT.trunkLength()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = i % 2 == 0 ? -0f : 0f;
        }
        Ownership ownership = new Ownership(LAYOUT.trunkLength());

        // when
        int[] kept = TopKSelector.select(scores, ownership, LAYOUT, 0.5, SelectionScope.GLOBAL);

        // then: the lowest-indexed half of the trunk weights, whatever the sign of their zero
        assertArrayEquals(allFreeTrunkWeights(ownership).limit(kept.length).toArray(), kept);
    }

    @ParameterizedTest
    @EnumSource(SelectionScope.class)
    void select_withAllWeightsOwned_keepsNothing(SelectionScope scope) {
        // given
        float[] scores = tiedScores(47);
        Ownership ownership = new Ownership(LAYOUT.trunkLength());
        ownership.assign(allFreeTrunkWeights(ownership).toArray(), 0);

        // when
        int[] kept = TopKSelector.select(scores, ownership, LAYOUT, 0.5, scope);

        // then
        assertEquals(0, kept.length);
    }

    @ParameterizedTest
    @EnumSource(SelectionScope.class)
    void select_nanScoreOfAFreeWeight_isRejectedNamingTheParameter(SelectionScope scope) {
        // given
        float[] scores = tiedScores(57);
        Ownership ownership = new Ownership(LAYOUT.trunkLength());
        int victim = LAYOUT.layers().get(1).weightIndex(3, 2);
        scores[victim] = Float.NaN;

        // when
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TopKSelector.select(scores, ownership, LAYOUT, 0.5, scope));

        // then
        assertEquals("score of parameter " + victim + " is NaN", e.getMessage());
    }

    @Test
    void select_nanScoreOfABiasOrAnOwnedWeight_isIgnoredBecauseNeitherIsACandidate() {
        // given
        float[] scores = tiedScores(67);
        Ownership ownership = new Ownership(LAYOUT.trunkLength());
        int owned = LAYOUT.layers().get(0).weightIndex(0, 0);
        ownership.assign(new int[] {owned}, 0);
        float[] clean = scores.clone();
        scores[owned] = Float.NaN;
        scores[LAYOUT.layers().get(0).biasOffset()] = Float.NaN;

        // when
        int[] kept = TopKSelector.select(scores, ownership, LAYOUT, 0.5, SelectionScope.LAYER);

        // then
        assertArrayEquals(TopKSelector.select(clean, ownership, LAYOUT, 0.5, SelectionScope.LAYER), kept);
    }

    @Test
    void keptCount_atRatioZero_keepsEveryFreeWeight() {
        for (int free = 0; free <= 1000; free++) {
            assertEquals(free, TopKSelector.keptCount(free, 0.0));
        }
    }

    @Test
    void keptCount_ofNoFreeWeights_isZeroAtAnyRatio() {
        for (double ratio : new double[] {0.0, 0.1, 0.5, 0.9, 0.999}) {
            assertEquals(0, TopKSelector.keptCount(0, ratio));
        }
    }

    @Test
    void keptCount_releasesTheNearestWholeNumberToRatioTimesFree() {
        for (int free = 0; free <= 500; free++) {
            for (double ratio = 0.0; ratio < 1.0; ratio += 0.01) {
                // when
                int kept = TopKSelector.keptCount(free, ratio);

                // then
                int released = free - kept;
                assertTrue(kept >= 0 && kept <= free, "kept " + kept + " of " + free);
                assertTrue(Math.abs(released - ratio * free) <= 0.5 + 1e-9,
                        "released " + released + " of " + free + " at " + ratio);
            }
        }
    }

    @Test
    void keptCount_atDecimalRatiosOfRoundCounts_keepsTheExactComplement() {
        assertEquals(50, TopKSelector.keptCount(100, 0.5));
        assertEquals(10, TopKSelector.keptCount(100, 0.9));
        assertEquals(71, TopKSelector.keptCount(100, 0.29));
        assertEquals(160_000 - 112_000, TopKSelector.keptCount(160_000, 0.7));
    }
}
