package dev.fisherpacknet.core.fisher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ExactFisherSumTest {

    /** Partials of very different magnitudes per parameter, as Fisher sums are: 1e-30 to 1e6, some exact zeros. */
    private static List<FisherDiagonal> partials(int count, int params, long seed) {
        Random random = new Random(seed);
        List<FisherDiagonal> partials = new ArrayList<>();
        for (int p = 0; p < count; p++) {
            double[] sum = new double[params];
            for (int i = 0; i < params; i++) {
                sum[i] = i % 7 == 0 ? 0 : random.nextDouble() * Math.pow(10, random.nextInt(37) - 30);
            }
            partials.add(new FisherDiagonal(sum, 10 + p));
        }
        return partials;
    }

    /** Combines in a tree of random shape, as treeAggregate may, after the maxima pass. */
    private static FisherDiagonal inRandomOrder(List<FisherDiagonal> partials, Random random) {
        double[] maxima = ExactFisherSum.EMPTY_MAXIMA;
        List<FisherDiagonal> shuffled = new ArrayList<>(partials);
        Collections.shuffle(shuffled, random);
        for (FisherDiagonal partial : shuffled) {
            maxima = ExactFisherSum.maxima(maxima, partial);
        }
        ExactFisherSum.Scale scale = ExactFisherSum.Scale.of(maxima, partials.size());
        List<ExactFisherSum.Fixed> level = new ArrayList<>();
        Collections.shuffle(shuffled, random);
        for (FisherDiagonal partial : shuffled) {
            level.add(ExactFisherSum.Fixed.of(partial, scale));
        }
        while (level.size() > 1) {
            ExactFisherSum.Fixed a = level.remove(random.nextInt(level.size()));
            ExactFisherSum.Fixed b = level.remove(random.nextInt(level.size()));
            level.add(random.nextBoolean() ? a.plus(b) : b.plus(a).plus(ExactFisherSum.Fixed.EMPTY));
        }
        return level.get(0).toDiagonal(scale);
    }

    @Test
    void sum_inAnyOrderAndTreeShape_isBitIdenticalToThePartitionOrderSum() {
        List<FisherDiagonal> partials = partials(13, 500, 1);
        FisherDiagonal expected = ExactFisherSum.of(partials);
        Random random = new Random(2);
        for (int trial = 0; trial < 20; trial++) {
            FisherDiagonal actual = inRandomOrder(partials, random);
            assertArrayEquals(expected.sum(), actual.sum(), "trial " + trial);
            assertEquals(expected.count(), actual.count());
        }
    }

    @Test
    void sum_isWithinTheStatedBoundOfTheExactDecimalSum_whereAPlainDoubleSumDependsOnOrder() {
        for (int count : new int[] {1, 2, 8, 64}) {
            List<FisherDiagonal> partials = partials(count, 300, count);
            double[] total = ExactFisherSum.of(partials).sum();
            // 2^(2 ceil(log2 P) - 61), and the final rounding to double
            int headroom = 32 - Integer.numberOfLeadingZeros(count - 1);
            double bound = Math.scalb(1.0, 2 * headroom - 61) + Math.ulp(1.0);
            for (int i = 0; i < total.length; i++) {
                BigDecimal exact = BigDecimal.ZERO;
                for (FisherDiagonal partial : partials) {
                    exact = exact.add(new BigDecimal(partial.sum()[i]));
                }
                if (exact.signum() == 0) {
                    assertEquals(0.0, total[i]);
                    continue;
                }
                double relative = exact.subtract(new BigDecimal(total[i])).abs()
                        .divide(exact, MathContext.DECIMAL64).doubleValue();
                assertTrue(relative <= bound, count + " partials, parameter " + i + ": relative error " + relative);
            }
        }
        // The control: plain double addition in two orders differs somewhere, which is why the integers are needed.
        List<FisherDiagonal> partials = partials(64, 300, 64);
        FisherDiagonal forward = FisherDiagonal.EMPTY;
        FisherDiagonal backward = FisherDiagonal.EMPTY;
        for (int p = 0; p < partials.size(); p++) {
            forward = forward.plus(partials.get(p));
            backward = backward.plus(partials.get(partials.size() - 1 - p));
        }
        assertNotEquals(java.util.Arrays.toString(forward.sum()), java.util.Arrays.toString(backward.sum()));
    }

    @Test
    void sum_ofANonFinitePartial_isNaNForThatParameterOnly() {
        List<FisherDiagonal> partials = partials(3, 5, 4);
        double[] bad = partials.get(1).sum();
        bad[2] = Double.POSITIVE_INFINITY;
        partials.set(1, new FisherDiagonal(bad, partials.get(1).count()));

        double[] total = ExactFisherSum.of(partials).sum();

        assertTrue(Double.isNaN(total[2]));
        assertTrue(Double.isFinite(total[1]) && Double.isFinite(total[3]));
    }

    @Test
    void sum_ofEmptyPartials_countsTheirExamplesAndAddsNothing() {
        List<FisherDiagonal> partials = new ArrayList<>(partials(2, 4, 5));
        partials.add(new FisherDiagonal(new double[4], 0));

        FisherDiagonal total = ExactFisherSum.of(partials);

        assertEquals(21, total.count());
        assertArrayEquals(ExactFisherSum.of(partials.subList(0, 2)).sum(), total.sum(), 0.0);
    }
}
