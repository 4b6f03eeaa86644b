package dev.fisherpacknet.core.mask;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fisherpacknet.core.model.ModelConfig;
import dev.fisherpacknet.core.model.NetworkFactory;
import dev.fisherpacknet.core.model.ParamLayout;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ScoresAndOwnershipTest {

    private static final float[] THETA = {0.5f, -2f, 0f, -0f, 3e-3f, -7.25f};
    private static final double[] FISHER = {1.0, 0.25, 9.0, 4.0, 1e6, 0.0};

    @Test
    void fisher_isTheFisherDiagonalInFloat() {
        float[] s = Scores.compute(ImportanceScore.FISHER, THETA, FISHER, 0);
        for (int i = 0; i < THETA.length; i++) {
            assertEquals((float) FISHER[i], s[i], 0f);
        }
    }

    @Test
    void fisherSaliency_isFisherTimesThetaSquared() {
        float[] s = Scores.compute(ImportanceScore.FISHER_SALIENCY, THETA, FISHER, 0);
        for (int i = 0; i < THETA.length; i++) {
            assertEquals((float) (FISHER[i] * (double) THETA[i] * THETA[i]), s[i], 0f);
        }
    }

    @Test
    void magnitude_isTheAbsoluteValueAndIgnoresTheFisher() {
        float[] s = Scores.compute(ImportanceScore.MAGNITUDE, THETA, null, 0);
        for (int i = 0; i < THETA.length; i++) {
            assertEquals(Math.abs(THETA[i]), s[i], 0f);
        }
    }

    @Test
    void random_isUniformInZeroOneDeterministicPerSeedAndDiffersAcrossSeeds() {
        // given
        float[] theta = new float[10_000];

        // when
        float[] a = Scores.compute(ImportanceScore.RANDOM, theta, null, 5);
        float[] b = Scores.compute(ImportanceScore.RANDOM, theta, null, 5);
        float[] c = Scores.compute(ImportanceScore.RANDOM, theta, null, 6);

        // then
        assertArrayEquals(a, b);
        assertFalse(Arrays.equals(a, c));
        double mean = 0;
        for (float v : a) {
            assertTrue(v >= 0f && v <= 1f, "score " + v);
            mean += v / a.length;
        }
        assertEquals(0.5, mean, 0.02);
    }

    @Test
    void needsFisher_onlyForTheFisherScores() {
        assertTrue(ImportanceScore.FISHER.needsFisher());
        assertTrue(ImportanceScore.FISHER_SALIENCY.needsFisher());
        assertFalse(ImportanceScore.MAGNITUDE.needsFisher());
        assertFalse(ImportanceScore.RANDOM.needsFisher());
    }

    private static final ParamLayout LAYOUT = ParamLayout.of(
            new NetworkFactory(new ModelConfig(List.of(4, 3), "relu"), 5, 1e-3).create(2, 1));

    @Test
    void assign_ofAnOwnedParameter_isRejectedNamingBothTasks() {
        // given
        Ownership ownership = new Ownership(LAYOUT.trunkLength());
        ownership.assign(new int[] {3, 7}, 0);

        // when
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ownership.assign(new int[] {5, 7}, 1));

        // then
        assertEquals("parameter 7 is owned by task 0 and cannot be given to task 1", e.getMessage());
    }

    @Test
    void assignBiases_givesEveryFreeTrunkBiasAndNoWeight() {
        // given
        Ownership ownership = new Ownership(LAYOUT.trunkLength());

        // when
        ownership.assignBiases(LAYOUT, 0);

        // then
        int[] biases = LAYOUT.layers().subList(0, LAYOUT.trunkLayerCount()).stream()
                .flatMapToInt(l -> IntStream.range(l.biasOffset(), l.biasOffset() + l.nOut())).toArray();
        for (int i = 0; i < ownership.size(); i++) {
            final int p = i;
            boolean bias = Arrays.stream(biases).anyMatch(b -> b == p);
            assertEquals(bias ? 0 : Ownership.FREE, ownership.owner(i), "parameter " + i);
        }
        assertEquals(0, ownership.weightsOwnedBy(LAYOUT, 0));
    }

    @Test
    void weightsOwnedBy_countsTrunkWeightsOfThatTaskOnly() {
        // given
        Ownership ownership = new Ownership(LAYOUT.trunkLength());
        ParamLayout.Layer first = LAYOUT.layers().get(0);
        ParamLayout.Layer second = LAYOUT.layers().get(1);
        ownership.assign(new int[] {first.weightIndex(0, 0), first.weightIndex(4, 3), second.weightIndex(1, 2)}, 2);
        ownership.assign(new int[] {first.weightIndex(1, 1)}, 1);
        ownership.assignBiases(LAYOUT, 2);

        // then
        assertEquals(3, ownership.weightsOwnedBy(LAYOUT, 2));
        assertEquals(1, ownership.weightsOwnedBy(LAYOUT, 1));
        int[] copy = ownership.toArray();
        copy[0] = 99;
        assertEquals(2, ownership.owner(first.weightIndex(0, 0)));
    }
}
