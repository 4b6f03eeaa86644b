package dev.fisherpacknet.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fisherpacknet.core.config.IntervalMethod;
import dev.fisherpacknet.core.config.ReportConfig;
import dev.fisherpacknet.core.config.SweepConfig;
import dev.fisherpacknet.core.run.AccuracyMatrix;
import dev.fisherpacknet.core.run.RunResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AnalysisTest {

    private static double accPercent(List<RunResult> results, String score, double ratio, long seed) {
        return results.stream().filter(r -> r.config().prune().score().configName().equals(score)
                        && r.config().prune().ratio() == ratio && r.config().seed() == seed)
                .mapToDouble(r -> 100 * r.accuracy().acc()).findFirst().orElseThrow();
    }

    @Test
    void pairedDifferences_areSeedBySeedDifferencesOfAcc_withTheTInterval() {
        // given: 3 scores x 2 ratios x 3 seeds
        SweepConfig sweep = ReportFixtures.sweep("");
        List<RunResult> results = ReportFixtures.results(sweep);

        // when
        Analysis analysis = Analysis.of(ReportInput.of(sweep, results, ReportFixtures.environment()));

        // then: one facet; fisher and random each against magnitude at both ratios
        assertEquals(1, analysis.facets().size());
        FacetAnalysis facet = analysis.facets().get(0);
        assertEquals(List.of("fisher − magnitude", "random − magnitude"),
                List.copyOf(facet.differencesByComparison().keySet()));
        for (PairedDifference d : facet.differences()) {
            double[] expected = new double[3];
            for (int s = 1; s <= 3; s++) {
                expected[s - 1] = accPercent(results, d.comparison().first(), d.ratio(), s)
                        - accPercent(results, d.comparison().second(), d.ratio(), s);
            }
            double mean = (expected[0] + expected[1] + expected[2]) / 3;
            double ss = 0;
            for (double e : expected) {
                ss += (e - mean) * (e - mean);
            }
            double half = 4.302653 * Math.sqrt(ss / 2) / Math.sqrt(3);
            assertEquals(List.of(1L, 2L, 3L), d.seeds());
            assertEquals(mean, d.mean(), 1e-9);
            assertEquals(mean - half, d.ci().orElseThrow().lo(), 1e-5);
            assertEquals(mean + half, d.ci().orElseThrow().hi(), 1e-5);
        }
    }

    @Test
    void cells_areMeansOverSeedsPerScoreAndRatio() {
        SweepConfig sweep = ReportFixtures.sweep("");
        List<RunResult> results = ReportFixtures.results(sweep);
        FacetAnalysis facet = Analysis.of(ReportInput.of(sweep, results, ReportFixtures.environment()))
                .facets().get(0);

        assertEquals(List.of("fisher", "magnitude", "random"), facet.methods());
        assertEquals(List.of(0.5, 0.8), facet.ratios());
        for (String score : facet.methods()) {
            for (double ratio : facet.ratios()) {
                double expected = (accPercent(results, score, ratio, 1) + accPercent(results, score, ratio, 2)
                        + accPercent(results, score, ratio, 3)) / 3;
                Summary cell = facet.cell(Metric.ACC, score, ratio).orElseThrow();
                assertEquals(expected, cell.mean(), 1e-9);
                assertEquals(3, cell.n());
                assertTrue(cell.ci().orElseThrow().contains(expected));
                // the fixture keeps every earlier accuracy: no forgetting
                assertEquals(0.0, facet.cell(Metric.FORGETTING, score, ratio).orElseThrow().mean(), 0);
            }
        }
        // capacity of task t at ratio p is (1 - p) p^t of the trunk
        assertEquals(100 * 0.2 * 0.8 * 0.8, facet.capacity().get(0.8).get(2).mean(), 1e-9);
    }

    @Test
    void anotherSweepAxis_splitsTheRunsIntoFacets_andPairsOnlyWithinOne() {
        // given: learning rate is swept too
        SweepConfig sweep = ReportFixtures.sweep("training.learning-rate = [0.001, 0.01]\n");
        List<RunResult> results = ReportFixtures.results(sweep);

        // when
        Analysis analysis = Analysis.of(ReportInput.of(sweep, results, ReportFixtures.environment()));

        // then
        assertEquals(2, analysis.facets().size());
        assertEquals("training.learning-rate = 0.001", analysis.facets().get(0).label());
        assertEquals("training.learning-rate = 0.01", analysis.facets().get(1).label());
        for (FacetAnalysis facet : analysis.facets()) {
            assertEquals(18, facet.runs().size());
            assertTrue(facet.runs().stream().allMatch(m -> m.run().facets().equals(facet.values())));
            facet.differences().forEach(d -> assertEquals(3, d.n()));
        }
    }

    @Test
    void missingRun_pairsOnlyTheSeedsBothScoresRan() {
        // given: magnitude at p = 0.5 lacks seed 2
        SweepConfig sweep = ReportFixtures.sweep("");
        List<RunResult> results = new ArrayList<>(ReportFixtures.results(sweep));
        results.removeIf(r -> r.config().prune().score().configName().equals("magnitude")
                && r.config().prune().ratio() == 0.5 && r.config().seed() == 2);

        // when
        FacetAnalysis facet = Analysis.of(ReportInput.of(sweep, results, ReportFixtures.environment()))
                .facets().get(0);

        // then
        PairedDifference d = facet.differences().stream().filter(x -> x.ratio() == 0.5
                && x.comparison().first().equals("fisher")).findFirst().orElseThrow();
        assertEquals(List.of(1L, 3L), d.seeds());
        assertEquals(2, facet.cell(Metric.ACC, "magnitude", 0.5).orElseThrow().n());
    }

    @Test
    void oneSeed_givesDifferencesWithoutIntervals() {
        SweepConfig sweep = ReportFixtures.sweep("seed = 4\n");
        FacetAnalysis facet = Analysis.of(ReportFixtures.input(sweep)).facets().get(0);

        assertFalse(facet.differences().isEmpty());
        facet.differences().forEach(d -> {
            assertEquals(1, d.n());
            assertEquals(PairedDifference.Outcome.ONE_SEED, d.outcome());
        });
        assertTrue(facet.cell(Metric.ACC, "fisher", 0.5).orElseThrow().ci().isEmpty());
    }

    @Test
    void finetuneBaseline_givesForwardTransfer_andCanBeCompared() {
        // given: the fixture sweep plus a finetune run per seed (no ratio, no task records)
        SweepConfig sweep = ReportFixtures.sweep("");
        List<RunResult> results = ReportFixtures.results(sweep);
        List<ReportRun> runs = new ArrayList<>(results.stream().map(r -> ReportRun.of(r, sweep.axes())).toList());
        double n = Double.NaN;
        for (long seed = 1; seed <= 3; seed++) {
            double d = 0.95 + 0.01 * seed;
            runs.add(new ReportRun("finetune-s" + seed, "finetune", Double.NaN, seed, Map.of(),
                    new AccuracyMatrix(new double[][] {{d, n, n}, {0.5, d, n}, {0.4, 0.5, d}}), List.of(), 100));
        }
        ReportConfig settings = new ReportConfig(List.of(new ReportConfig.Comparison("fisher", "finetune")),
                IntervalMethod.T, 1000, 0.95);
        ReportInput input = new ReportInput("x", "x.conf", "", sweep.axes(), runs, ReportFixtures.environment(),
                settings);

        // when
        FacetAnalysis facet = Analysis.of(input).facets().get(0);

        // then: FWT of every pruned run is the mean over j >= 1 of R[j][j] - R_finetune[j][j] of its seed
        for (RunMetrics m : facet.runs()) {
            double d = 0.95 + 0.01 * m.run().seed();
            AccuracyMatrix r = m.run().accuracy();
            assertEquals(((r.get(1, 1) - d) + (r.get(2, 2) - d)) / 2, m.fwt(), 1e-12);
        }
        assertEquals(List.of("finetune"), facet.baselineMethods());
        assertEquals(3, facet.baselineCells().get(Metric.ACC).get("finetune").n());
        // the baseline is paired with fisher at every ratio, seed by seed
        for (PairedDifference d : facet.differences()) {
            assertEquals("fisher − finetune", d.comparison().label());
            assertEquals(3, d.n());
            double expected = 0;
            for (long seed = 1; seed <= 3; seed++) {
                double finetuneAcc = 100 * (0.4 + 0.5 + 0.95 + 0.01 * seed) / 3;
                expected += (accPercent(results, "fisher", d.ratio(), seed) - finetuneAcc) / 3;
            }
            assertEquals(expected, d.mean(), 1e-9);
        }
    }

    @Test
    void baseline_appliesToTheFacetsItsAxesAgreeWith() {
        ReportRun plain = new ReportRun("b", "finetune", Double.NaN, 1, Map.of(),
                new AccuracyMatrix(new double[][] {{1}}), List.of(), 1);
        ReportRun withRate = new ReportRun("b", "finetune", Double.NaN, 1, Map.of("training.learning-rate", "0.01"),
                new AccuracyMatrix(new double[][] {{1}}), List.of(), 1);
        Map<String, String> facet = Map.of("training.learning-rate", "0.001", "prune.scope", "layer");
        assertTrue(Analysis.appliesTo(plain, facet));
        assertFalse(Analysis.appliesTo(withRate, facet));
        assertTrue(Analysis.appliesTo(withRate, Map.of("training.learning-rate", "0.01")));
    }

    @Test
    void bootstrapSetting_givesReproducibleIntervalsAroundTheMean() {
        SweepConfig sweep = ReportFixtures.sweep("report { interval = bootstrap, bootstrap-samples = 500 }\n");
        FacetAnalysis a = Analysis.of(ReportFixtures.input(sweep)).facets().get(0);
        FacetAnalysis b = Analysis.of(ReportFixtures.input(sweep)).facets().get(0);
        assertEquals(a.differences(), b.differences());
        for (PairedDifference d : a.differences()) {
            assertEquals(IntervalMethod.BOOTSTRAP, d.method());
            double min = d.differences().stream().mapToDouble(Double::doubleValue).min().orElseThrow();
            double max = d.differences().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
            Optional<Interval> ci = d.ci();
            assertTrue(ci.orElseThrow().lo() >= min - 1e-12 && ci.get().hi() <= max + 1e-12, ci.toString());
        }
    }
}
