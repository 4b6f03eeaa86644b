package dev.fisherpacknet.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fisherpacknet.core.run.AccuracyMatrix;
import dev.fisherpacknet.core.run.Phase;
import dev.fisherpacknet.core.run.TaskRecord;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsTest {
    private static final double N = Double.NaN;

    /** A run that forgets: task 0 peaks after task 1, then drops; task 1 recovers; task 2 is last. */
    private static final AccuracyMatrix FORGETFUL = new AccuracyMatrix(new double[][] {
        {0.90, N, N, N},
        {0.95, 0.80, N, N},
        {0.70, 0.60, 0.85, N},
        {0.75, 0.82, 0.65, 0.88}});

    private static void assertListEquals(List<Double> expected, List<Double> actual) {
        assertEquals(expected.size(), actual.size(), actual.toString());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), actual.get(i), 1e-12, "element " + i + " of " + actual);
        }
    }

    @Test
    void forgetting_isTheBestEarlierAccuracyMinusTheFinalOne() {
        // j=0: max(0.90, 0.95, 0.70) - 0.75 = 0.20; j=1: max(0.80, 0.60) - 0.82 = -0.02; j=2: 0.85 - 0.65 = 0.20
        assertListEquals(List.of(0.20, -0.02, 0.20), Metrics.forgettingPerTask(FORGETFUL));
        assertEquals(0.38 / 3, Metrics.averageForgetting(FORGETFUL), 1e-12);
    }

    @Test
    void forgetting_differsFromBwt_whichComparesWithTheFirstAccuracyOnly() {
        // BWT: ((0.75-0.90) + (0.82-0.80) + (0.65-0.85)) / 3 = -0.11
        assertEquals(-0.11, FORGETFUL.bwt(), 1e-12);
        assertTrue(Metrics.averageForgetting(FORGETFUL) > -FORGETFUL.bwt());
    }

    @Test
    void forgetting_underOwnership_isZero_andEmptyForOneTask() {
        AccuracyMatrix owned = new AccuracyMatrix(new double[][] {{0.9, N, N}, {0.9, 0.8, N}, {0.9, 0.8, 0.7}});
        assertListEquals(List.of(0.0, 0.0), Metrics.forgettingPerTask(owned));
        AccuracyMatrix single = new AccuracyMatrix(new double[][] {{0.9}});
        assertTrue(Metrics.forgettingPerTask(single).isEmpty());
        assertEquals(0.0, Metrics.averageForgetting(single), 0);
    }

    @Test
    void learningAccuracy_isTheDiagonal() {
        assertListEquals(List.of(0.90, 0.80, 0.85, 0.88), Metrics.learningAccuracyPerTask(FORGETFUL));
        assertEquals((0.90 + 0.80 + 0.85 + 0.88) / 4, Metrics.learningAccuracy(FORGETFUL), 1e-12);
    }

    @Test
    void forwardTransfer_comparesDiagonalsFromTaskOneOn() {
        AccuracyMatrix reference = new AccuracyMatrix(new double[][] {
            {0.99, N, N, N}, {0.5, 0.90, N, N}, {0.5, 0.5, 0.80, N}, {0.5, 0.5, 0.5, 0.90}});
        // j=1: 0.80-0.90; j=2: 0.85-0.80; j=3: 0.88-0.90; task 0 left out
        assertListEquals(List.of(-0.10, 0.05, -0.02), Metrics.forwardTransferPerTask(FORGETFUL, reference));
        assertEquals(-0.07 / 3, Metrics.forwardTransfer(FORGETFUL, reference), 1e-12);
    }

    @Test
    void forwardTransfer_ofRunsWithDifferentTaskCounts_isRejected() {
        AccuracyMatrix two = new AccuracyMatrix(new double[][] {{0.9, N}, {0.9, 0.8}});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Metrics.forwardTransferPerTask(FORGETFUL, two));
        assertTrue(e.getMessage().contains("4 and 2 tasks"), e.getMessage());
    }

    @Test
    void fisherMassAndKeptShare_areMeansOverTasks() {
        List<TaskRecord> tasks = List.of(
                new TaskRecord(0, 1.0, 0.5, 500, 0.9, Map.of(Phase.TRAIN, 1L)),
                new TaskRecord(1, 0.5, 0.25, 250, 0.7, Map.of(Phase.TRAIN, 1L)),
                new TaskRecord(2, 0.25, 0.125, 125, Double.NaN, Map.of(Phase.TRAIN, 1L)));
        // NaN (no Fisher mass, e.g. an all-zero Fisher) is left out of the mean
        assertEquals(0.8, Metrics.meanFisherMassKept(tasks), 1e-12);
        assertEquals(0.5, Metrics.meanKeptShareOfFree(tasks), 1e-12);
        assertTrue(Double.isNaN(Metrics.meanFisherMassKept(List.of())));
    }
}
