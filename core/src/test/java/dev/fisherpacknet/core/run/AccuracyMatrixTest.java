package dev.fisherpacknet.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class AccuracyMatrixTest {

    /**
     * A lower-triangular matrix of accuracies that are multiples of 1/64, so that every sum and mean below is exact
     * in binary floating point and can be compared with equality.
     */
    private static double[][] handMade(int tasks, long seed) {
        Random random = new Random(seed);
        double[][] r = new double[tasks][tasks];
        for (int t = 0; t < tasks; t++) {
            for (int j = 0; j < tasks; j++) {
                r[t][j] = j <= t ? random.nextInt(65) / 64.0 : Double.NaN;
            }
        }
        return r;
    }

    @Test
    void acc_isTheMeanOfTheLastRow() {
        // given
        double[][] r = handMade(5, 1);
        double sum = 0;
        for (int j = 0; j < 5; j++) {
            sum += r[4][j];
        }

        // when
        double acc = new AccuracyMatrix(r).acc();

        // then
        assertEquals(sum / 5, acc, 0.0);
    }

    @Test
    void bwt_isTheMeanChangeOfEveryEarlierTaskFromRightAfterItToTheEnd() {
        // given: a hand-made matrix with forgetting and one with some backward transfer
        double[][] r = {
            {0.75, Double.NaN, Double.NaN},
            {0.5, 0.875, Double.NaN},
            {0.25, 1.0, 0.5}};

        // when
        double bwt = new AccuracyMatrix(r).bwt();

        // then: ((0.25 - 0.75) + (1.0 - 0.875)) / 2
        assertEquals(((0.25 - 0.75) + (1.0 - 0.875)) / 2, bwt, 0.0);
        assertEquals(-0.1875, bwt, 0.0);
    }

    @Test
    void bwt_onRandomMatrices_equalsTheDefinitionComputedDirectly() {
        for (int tasks = 2; tasks <= 6; tasks++) {
            // given
            double[][] r = handMade(tasks, tasks);
            double sum = 0;
            for (int j = 0; j < tasks - 1; j++) {
                sum += r[tasks - 1][j] - r[j][j];
            }

            // when
            AccuracyMatrix matrix = new AccuracyMatrix(r);

            // then
            assertEquals(sum / (tasks - 1), matrix.bwt(), 0.0, tasks + " tasks");
        }
    }

    @Test
    void bwt_ofASingleTask_isZero_andAccIsItsAccuracy() {
        // given
        AccuracyMatrix one = new AccuracyMatrix(new double[][] {{0.625}});

        // then
        assertEquals(0.0, one.bwt(), 0.0);
        assertEquals(0.625, one.acc(), 0.0);
        assertEquals(1, one.tasks());
    }

    @Test
    void bwt_withoutForgetting_isExactlyZero() {
        // given: every column constant below the diagonal
        double[][] r = {
            {0.8, Double.NaN, Double.NaN},
            {0.8, 0.3, Double.NaN},
            {0.8, 0.3, 0.9}};

        // then
        assertEquals(0.0, new AccuracyMatrix(r).bwt(), 0.0);
    }

    @Test
    void values_areCopiedInAndOut() {
        // given
        double[][] r = handMade(3, 9);
        AccuracyMatrix matrix = new AccuracyMatrix(r);
        double before = matrix.get(1, 0);

        // when
        r[1][0] = 42;
        matrix.values()[1][0] = 43;

        // then
        assertEquals(before, matrix.get(1, 0), 0.0);
    }

    @Test
    void equals_comparesContentsIncludingNaNs() {
        // given
        AccuracyMatrix a = new AccuracyMatrix(handMade(4, 3));
        AccuracyMatrix b = new AccuracyMatrix(handMade(4, 3));
        double[][] other = handMade(4, 3);
        other[3][3] = other[3][3] == 1.0 ? 0.0 : 1.0;

        // then
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, new AccuracyMatrix(other));
    }
}
