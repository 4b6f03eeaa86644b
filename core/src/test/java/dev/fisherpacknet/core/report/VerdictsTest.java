package dev.fisherpacknet.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.fisherpacknet.core.config.IntervalMethod;
import dev.fisherpacknet.core.config.ReportConfig;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class VerdictsTest {
    private static final ReportConfig.Comparison SALIENCY = new ReportConfig.Comparison("fisher-saliency",
            "magnitude");

    private static PairedDifference difference(double ratio, double... diffs) {
        List<Long> seeds = IntStream.rangeClosed(1, diffs.length).mapToObj(i -> (long) i).toList();
        return new PairedDifference(SALIENCY, ratio, seeds, java.util.Arrays.stream(diffs).boxed().toList(),
                Statistics.mean(diffs), Statistics.tInterval(diffs, 0.95), 0.95, IntervalMethod.T);
    }

    @Test
    void sentence_intervalBelowZero_saysTheSecondIsBetter() {
        // mean -0.7, sd 0.2, half-width 4.302653 * 0.2 / sqrt(3) = 0.4968: [-1.197, -0.203]
        PairedDifference d = difference(0.7, -0.5, -0.7, -0.9);
        assertEquals("fisher-saliency − magnitude = −0.70 pp [−1.20, −0.20]: magnitude better",
                Verdicts.sentence(d));
        assertEquals(PairedDifference.Outcome.SECOND_BETTER, d.outcome());
    }

    @Test
    void sentence_intervalAboveZero_saysTheFirstIsBetter() {
        PairedDifference d = difference(0.5, 0.5, 0.7, 0.9);
        assertEquals("fisher-saliency − magnitude = +0.70 pp [+0.20, +1.20]: fisher-saliency better",
                Verdicts.sentence(d));
    }

    @Test
    void sentence_intervalContainingZero_saysNoSignificantDifference() {
        // mean 0.2; squared deviations 1.44 + 0.09 + 0.81 = 2.34, sd sqrt(1.17) = 1.0817, se 0.6245,
        // half-width 4.302653 * 0.6245 = 2.687: [-2.487, +2.887]
        PairedDifference d = difference(0.9, -1.0, 0.5, 1.1);
        assertEquals("fisher-saliency − magnitude = +0.20 pp [−2.49, +2.89]: no significant difference",
                Verdicts.sentence(d));
    }

    @Test
    void sentence_oneSeed_saysNoIntervalIsPossible() {
        PairedDifference d = difference(0.9, -1.4);
        assertEquals("fisher-saliency − magnitude = −1.40 pp (one seed): no interval is possible with one seed;"
                + " run more seeds to compare", Verdicts.sentence(d));
    }

    @Test
    void sentence_noSharedSeed_saysThereIsNothingToCompare() {
        PairedDifference d = new PairedDifference(SALIENCY, 0.5, List.of(), List.of(), Double.NaN,
                java.util.Optional.empty(), 0.95, IntervalMethod.T);
        assertEquals("fisher-saliency − magnitude: no seed has runs of both, nothing to compare",
                Verdicts.sentence(d));
    }

    @Test
    void sentence_differenceRoundingToZero_hasNoSign() {
        PairedDifference d = difference(0.5, -0.001, 0.001, -0.0005);
        assertEquals("fisher-saliency − magnitude = 0.00 pp [0.00, 0.00]: no significant difference",
                Verdicts.sentence(d));
    }

    @Test
    void overall_groupsRatiosByReading() {
        String overall = Verdicts.overall(List.of(difference(0.5, -1.0, 0.5, 1.1), difference(0.6, -0.5, -0.7, -0.9),
                difference(0.7, -0.5, -0.7, -0.9), difference(0.8, -2.0)));
        assertEquals("fisher-saliency − magnitude: no significant difference at p = 0.5; magnitude better at"
                + " p = 0.6, 0.7; no interval (one seed) at p = 0.8", overall);
    }
}
