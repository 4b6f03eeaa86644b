package dev.fisherpacknet.core.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fisherpacknet.core.config.SweepConfig;
import dev.fisherpacknet.core.run.RunResult;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SummaryTableTest {

    @Test
    void cells_areMeanAndSampleSdOverSeedsPerScoreAndRatio() {
        // given: 3 seeds of each (score, ratio)
        SweepConfig sweep = ResultsWriterTest.sweep(3);
        List<RunResult> results = ResultsWriterTest.results(sweep, 3);

        // when
        Map<String, Map<Double, SummaryTable.Cell>> cells = SummaryTable.cells(results, true);

        // then: each cell against a direct computation over the runs that share score and ratio
        for (String score : List.of("fisher", "magnitude")) {
            for (double ratio : List.of(0.5, 0.9)) {
                double[] acc = results.stream()
                        .filter(r -> r.config().prune().score().configName().equals(score)
                                && r.config().prune().ratio() == ratio)
                        .mapToDouble(r -> 100 * r.accuracy().acc()).toArray();
                assertEquals(3, acc.length);
                double mean = (acc[0] + acc[1] + acc[2]) / 3;
                double sd = Math.sqrt(((acc[0] - mean) * (acc[0] - mean) + (acc[1] - mean) * (acc[1] - mean)
                        + (acc[2] - mean) * (acc[2] - mean)) / 2);
                SummaryTable.Cell cell = cells.get(score).get(ratio);
                assertEquals(mean, cell.mean(), 1e-9);
                assertEquals(sd, cell.sd(), 1e-9);
                assertEquals(3, cell.n());
            }
        }
    }

    @Test
    void markdown_showsEveryScoreRowAndRatioColumnWithFormattedCells() {
        SweepConfig sweep = ResultsWriterTest.sweep(3);
        List<RunResult> results = ResultsWriterTest.results(sweep, 3);
        String markdown = SummaryTable.markdown(results);
        assertTrue(markdown.contains("| score | p = 0.5 | p = 0.9 |"), markdown);
        SummaryTable.Cell cell = SummaryTable.cells(results, false).get("magnitude").get(0.9);
        String expected = String.format(Locale.ROOT, "%.2f ± %.2f", cell.mean(), cell.sd());
        assertTrue(markdown.contains(expected), expected + " missing from\n" + markdown);
        assertTrue(markdown.contains("12 runs"), markdown);
    }
}
