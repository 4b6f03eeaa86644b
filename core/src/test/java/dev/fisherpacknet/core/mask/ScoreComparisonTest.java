package dev.fisherpacknet.core.mask;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fisherpacknet.core.model.ModelConfig;
import dev.fisherpacknet.core.model.NetworkFactory;
import dev.fisherpacknet.core.model.ParamLayout;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;
import org.junit.jupiter.api.Test;

class ScoreComparisonTest {

    /** Trunk 10-9-8 (weight matrices of 90 and 72 entries) and a 4-way head. */
    private static final ParamLayout LAYOUT = ParamLayout.of(
            new NetworkFactory(new ModelConfig(List.of(9, 8), "relu"), 10, 1e-3).create(4, 1));

    private static float[] scores(long seed, int distinct) {
        Random random = new Random(seed);
        float[] s = new float[LAYOUT.trunkLength()];
        for (int i = 0; i < s.length; i++) {
            s[i] = distinct > 0 ? random.nextInt(distinct) - distinct / 2 : (float) random.nextGaussian();
        }
        return s;
    }

    private static Ownership partlyOwned(long seed) {
        Random random = new Random(seed);
        Ownership ownership = new Ownership(LAYOUT.trunkLength());
        ownership.assign(IntStream.range(0, LAYOUT.trunkLength()).filter(i -> random.nextInt(3) == 0).toArray(), 0);
        return ownership;
    }

    /** The free weights of one layer, sorted by descending score then ascending index: the selector's order. */
    private static Set<Integer> keptBySort(float[] scores, Ownership ownership, ParamLayout.Layer layer, double ratio) {
        List<Integer> free = new ArrayList<>();
        for (int i = layer.weightOffset(); i < layer.weightOffset() + layer.weightCount(); i++) {
            if (ownership.isFree(i)) {
                free.add(i);
            }
        }
        free.sort(Comparator.comparingDouble((Integer i) -> -scores[i]).thenComparingInt(i -> i));
        return new HashSet<>(free.subList(0, TopKSelector.keptCount(free.size(), ratio)));
    }

    @Test
    void compare_layerScope_matchesSetsAndCorrelationsComputedIndependently() {
        for (long seed = 1; seed <= 6; seed++) {
            // given: heavily tied scores for even seeds, continuous ones for odd seeds, a third of weights owned
            float[] first = scores(seed, seed % 2 == 0 ? 5 : 0);
            float[] second = scores(seed + 100, seed % 2 == 0 ? 4 : 0);
            Ownership ownership = partlyOwned(seed);

            // when
            List<ScoreComparison.LayerAgreement> agreements = ScoreComparison.compare(first, second, ownership,
                    LAYOUT, 0.6, SelectionScope.LAYER);

            // then
            assertEquals(LAYOUT.trunkLayerCount(), agreements.size());
            for (int l = 0; l < LAYOUT.trunkLayerCount(); l++) {
                ParamLayout.Layer layer = LAYOUT.layers().get(l);
                Set<Integer> a = keptBySort(first, ownership, layer, 0.6);
                Set<Integer> b = keptBySort(second, ownership, layer, 0.6);
                Set<Integer> union = new HashSet<>(a);
                union.addAll(b);
                Set<Integer> both = new HashSet<>(a);
                both.retainAll(b);
                int[] free = IntStream.range(layer.weightOffset(), layer.weightOffset() + layer.weightCount())
                        .filter(ownership::isFree).toArray();
                double expectedRho = new SpearmansCorrelation().correlation(
                        IntStream.of(free).mapToDouble(i -> first[i]).toArray(),
                        IntStream.of(free).mapToDouble(i -> second[i]).toArray());

                ScoreComparison.LayerAgreement agreement = agreements.get(l);
                assertEquals(l, agreement.layer());
                assertEquals(free.length, agreement.free());
                assertEquals(both.size() / (double) union.size(), agreement.jaccard(), 1e-15, "layer " + l);
                assertEquals(expectedRho, agreement.spearman(), 1e-12, "layer " + l + " seed " + seed);
            }
        }
    }

    @Test
    void compare_sameScores_agreeFully_andReversedScores_correlateNegatively() {
        float[] scores = scores(9, 0);
        float[] reversed = new float[scores.length];
        for (int i = 0; i < scores.length; i++) {
            reversed[i] = -scores[i];
        }
        Ownership ownership = new Ownership(LAYOUT.trunkLength());

        for (ScoreComparison.LayerAgreement a : ScoreComparison.compare(scores, scores.clone(), ownership, LAYOUT,
                0.5, SelectionScope.GLOBAL)) {
            assertEquals(1.0, a.jaccard());
            assertEquals(1.0, a.spearman(), 1e-12);
        }
        for (ScoreComparison.LayerAgreement a : ScoreComparison.compare(scores, reversed, ownership, LAYOUT, 0.5,
                SelectionScope.LAYER)) {
            assertEquals(0.0, a.jaccard(), "disjoint halves");
            assertEquals(-1.0, a.spearman(), 1e-12);
        }
    }

    @Test
    void spearman_constantScore_isNaN_andRanksAverageTies() {
        assertTrue(Double.isNaN(ScoreComparison.spearman(new float[] {1, 1, 1}, new float[] {1, 2, 3})));
        assertEquals(List.of(1.0, 2.5, 2.5, 4.0), toList(ScoreComparison.ranks(new float[] {-2, 0f, -0f, 7})));
    }

    private static List<Double> toList(double[] values) {
        List<Double> list = new ArrayList<>();
        for (double v : values) {
            list.add(v);
        }
        return list;
    }
}
