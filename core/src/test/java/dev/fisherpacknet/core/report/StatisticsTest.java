package dev.fisherpacknet.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fisherpacknet.core.config.IntervalMethod;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StatisticsTest {

    @Test
    void tQuantile_equalsPrintedTableValues() {
        // Student t table values (two-sided 95% and others), to the 6 decimals tables print.
        assertEquals(12.706205, Statistics.tQuantile(0.975, 1), 1e-6);
        assertEquals(4.302653, Statistics.tQuantile(0.975, 2), 1e-6);
        assertEquals(2.776445, Statistics.tQuantile(0.975, 4), 1e-6);
        assertEquals(2.262157, Statistics.tQuantile(0.975, 9), 1e-6);
        assertEquals(2.015048, Statistics.tQuantile(0.95, 5), 1e-6);
        assertEquals(2.749996, Statistics.tQuantile(0.995, 30), 1e-6);
        // symmetry: the lower quantile is the negated upper one
        assertEquals(-4.302653, Statistics.tQuantile(0.025, 2), 1e-6);
    }

    @Test
    void tQuantile_badArguments_throw() {
        assertThrows(IllegalArgumentException.class, () -> Statistics.tQuantile(0.975, 0));
        assertThrows(IllegalArgumentException.class, () -> Statistics.tQuantile(1.0, 3));
    }

    @Test
    void meanAndSd_ofAHandExample() {
        double[] v = {2, 4, 4, 4, 5, 5, 7, 9};
        assertEquals(5.0, Statistics.mean(v), 0);
        // sum of squared deviations 32, over n - 1 = 7
        assertEquals(Math.sqrt(32.0 / 7), Statistics.sd(v), 1e-15);
        assertTrue(Double.isNaN(Statistics.sd(new double[] {1})));
    }

    @Test
    void tInterval_ofOneTwoThree_isMeanPlusMinusTTimesStandardError() {
        // mean 2, sd 1, se 1/sqrt(3), t_{0.975,2} = 4.302653: half-width 2.484138
        Interval ci = Statistics.tInterval(new double[] {1, 2, 3}, 0.95).orElseThrow();
        assertEquals(2 - 2.484138, ci.lo(), 1e-6);
        assertEquals(2 + 2.484138, ci.hi(), 1e-6);
    }

    @Test
    void tInterval_ninetyPercent_usesTheMatchingQuantile() {
        // t_{0.95,2} = 2.919986
        Interval ci = Statistics.tInterval(new double[] {1, 2, 3}, 0.90).orElseThrow();
        assertEquals(2 + 2.919986 / Math.sqrt(3), ci.hi(), 1e-6);
    }

    @Test
    void intervals_withOneValue_areEmpty() {
        assertTrue(Statistics.tInterval(new double[] {1.5}, 0.95).isEmpty());
        assertTrue(Statistics.bootstrapInterval(new double[] {1.5}, 0.95, 1000, 7).isEmpty());
    }

    @Test
    void bootstrap_ofIdenticalValues_isThatValue() {
        Interval ci = Statistics.bootstrapInterval(new double[] {-0.7, -0.7, -0.7}, 0.95, 500, 1).orElseThrow();
        assertEquals(-0.7, ci.lo(), 1e-12);
        assertEquals(-0.7, ci.hi(), 1e-12);
    }

    @Test
    void bootstrap_isDeterministicPerSeed_andStaysWithinTheValues() {
        double[] v = {0.3, -1.2, 0.8, 0.1, -0.4, 0.9};
        Interval a = Statistics.bootstrapInterval(v, 0.95, 2000, 42).orElseThrow();
        Interval b = Statistics.bootstrapInterval(v, 0.95, 2000, 42).orElseThrow();
        Interval c = Statistics.bootstrapInterval(v, 0.95, 2000, 43).orElseThrow();
        assertEquals(a, b);
        assertNotEquals(a, c);
        assertTrue(a.lo() >= -1.2 && a.hi() <= 0.9 && a.contains(Statistics.mean(v)), a.toString());
    }

    @Test
    void bootstrap_ofALargeNormalSample_agreesWithTheTInterval() {
        // given 400 draws from N(1, 2^2): the mean is close to normal, so both intervals estimate the same thing
        Random random = new Random(5);
        double[] v = new double[400];
        for (int i = 0; i < v.length; i++) {
            v[i] = 1 + 2 * random.nextGaussian();
        }

        // when
        Interval t = Statistics.tInterval(v, 0.95).orElseThrow();
        Interval boot = Statistics.bootstrapInterval(v, 0.95, 20_000, 11).orElseThrow();

        // then: same centre and width within a few percent of the width (about 0.39)
        double width = t.hi() - t.lo();
        assertEquals(t.lo(), boot.lo(), 0.05 * width);
        assertEquals(t.hi(), boot.hi(), 0.05 * width);
    }

    @Test
    void interval_dispatchesOnTheMethod() {
        double[] v = {1, 2, 3};
        assertEquals(Statistics.tInterval(v, 0.95),
                Statistics.interval(v, IntervalMethod.T, 0.95, 100, "anything"));
        Interval boot = Statistics.interval(v, IntervalMethod.BOOTSTRAP, 0.95, 1000, "x").orElseThrow();
        // a percentile bootstrap never leaves the range of the values
        assertTrue(boot.lo() >= 1 && boot.hi() <= 3, boot.toString());
    }

    @Test
    void quantile_interpolatesBetweenOrderStatistics() {
        double[] sorted = {1, 2, 3, 4};
        assertEquals(1.0, Statistics.quantile(sorted, 0), 0);
        assertEquals(2.5, Statistics.quantile(sorted, 0.5), 1e-15);
        assertEquals(4.0, Statistics.quantile(sorted, 1), 0);
        assertEquals(1.3, Statistics.quantile(sorted, 0.1), 1e-12);
    }
}
