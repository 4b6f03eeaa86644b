package dev.fisherpacknet.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fisherpacknet.core.config.SweepConfig;
import dev.fisherpacknet.core.run.AccuracyMatrix;
import dev.fisherpacknet.core.run.RunResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which training procedure produced the runs: carried by every run, and counted in the report's header. */
class ReportTrainingTest {

    @Test
    void header_countsTheRunsOfEachTrainingProcedure_inBothPages() {
        // given: 18 runs of the fixture at each of 1 and 2 workers
        SweepConfig sweep = ReportFixtures.sweep("spark { workers = [1, 2], averaging-frequency = 5 }\n"
                + "model.init = xavier\n");

        // when
        ReportFixtures.Pages pages = ReportFixtures.pages(ReportFixtures.input(sweep));

        // then
        String sequential = "Training: sequential (one replica); Adam fresh per phase; init xavier — 18 runs";
        String averaged = "Training: parameter averaging, 2 workers every 5 minibatches; Adam fresh per phase;"
                + " init xavier — 18 runs";
        assertTrue(pages.markdown().contains("- " + sequential + "\n- " + averaged + "\n"), pages.markdown());
        assertTrue(pages.html().contains("<li>" + sequential + "</li>\n<li>" + averaged + "</li>"), pages.html());
        // in the header, before the answer
        assertTrue(pages.markdown().indexOf(sequential) < pages.markdown().indexOf("## Answer"));
    }

    @Test
    void header_ofASweepWithOneProcedure_isOneLine() {
        ReportFixtures.Pages pages = ReportFixtures.pages(ReportFixtures.input(
                ReportFixtures.sweep("training.optimizer-reset = task\n")));
        assertTrue(pages.markdown().contains("\nTraining: sequential (one replica); Adam fresh per task; init"
                + " fan-in-uniform — 18 runs.\n"), pages.markdown());
    }

    @Test
    void header_ofRunsWhoseTrainingIsNotRecorded_saysItIsUnknown() {
        List<ReportRun> runs = new ArrayList<>();
        for (long seed = 1; seed <= 2; seed++) {
            runs.add(new ReportRun("r" + seed, "fisher", 0.5, seed, Map.of(),
                    new AccuracyMatrix(new double[][] {{0.9}}), List.of(), 10));
        }
        runs.add(new ReportRun("r3", "fisher", 0.5, 3, Map.of(), new AccuracyMatrix(new double[][] {{0.9}}),
                List.of(), 10, new RunTraining("sequential (one replica); Adam fresh per phase; init xavier", 1, 5,
                        32)));
        SweepConfig sweep = ReportFixtures.sweep("");
        ReportFixtures.Pages pages = ReportFixtures.pages(new ReportInput("old", "old.conf", "", List.of("seed"), runs,
                ReportFixtures.environment(), sweep.report()));
        assertTrue(pages.markdown().contains("- Training: unknown (the result files predate the record of the"
                + " training procedure) — 2 runs\n- Training: sequential (one replica); Adam fresh per phase; init"
                + " xavier — 1 run\n"), pages.markdown());
    }

    @Test
    void reportRun_ofALiveResult_carriesItsConfigsTraining() {
        SweepConfig sweep = ReportFixtures.sweep("spark { workers = [1, 3], averaging-frequency = 7 }\n"
                + "training.batch-size = 16\n");
        for (RunResult r : ReportFixtures.results(sweep)) {
            RunTraining training = ReportRun.of(r, sweep.axes()).training();
            assertEquals(r.config().describeTraining(), training.description());
            assertEquals(r.config().spark().workers(), training.workers());
            assertEquals(7, training.averagingFrequency());
            assertEquals(16, training.batchSize());
            assertEquals(r.config().spark().workers() == 3 ? 3 * 7 * 16 : 0, training.examplesPerRound());
        }
    }
}
