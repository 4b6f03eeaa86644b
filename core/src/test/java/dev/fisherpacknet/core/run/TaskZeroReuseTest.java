package dev.fisherpacknet.core.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.fisherpacknet.core.config.ConfigLoader;
import dev.fisherpacknet.core.config.RunConfig;
import dev.fisherpacknet.core.data.Splits;
import dev.fisherpacknet.core.fisher.LocalFisherEstimator;
import dev.fisherpacknet.core.mask.MultiHeadModel;
import dev.fisherpacknet.core.testing.SyntheticData;
import dev.fisherpacknet.core.train.AveragedTrainer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Task 0's dense training and Fisher pass are computed once per seed and reused by the other grid points: the
 * reusing run must end exactly where a run that trained task 0 itself ends.
 */
class TaskZeroReuseTest {

    private static final int BATCH = 16;
    private static final SyntheticData.TrainTest DATA = SyntheticData.trainTest(37, 200, 80, 12, 4);
    private static final Splits.TrainTest SPLIT = new Splits.TrainTest(DATA.train(), DATA.test(), List.of());

    private static final String GRID = """
            seed = [3, 4]
            tasks.count = 3
            model.hidden = [20, 16]
            training { learning-rate = 0.01, epochs = 2, retrain-epochs = 1, batch-size = %d }
            prune { ratio = [0.5, 0.8], score = [fisher-saliency, magnitude] }
            spark { workers = 2, partitions = 3, averaging-frequency = 2 }
            """.formatted(BATCH);

    private static final List<RunConfig> RUNS = ConfigLoader.fromConfig(ConfigFactory.parseString(GRID), "test")
            .runs();

    private record Ran(RunResult result, MultiHeadModel model, List<String> phases) {
    }

    private static Ran run(RunConfig config, TaskZeroCache cache) {
        List<String> phases = new ArrayList<>();
        MultiHeadModel[] last = new MultiHeadModel[1];
        RunResult result = new ContinualRun(config, SPLIT,
                new AveragedTrainer(DATA.train(), BATCH, config.spark().workers(), config.spark().averagingFrequency()),
                new LocalFisherEstimator(DATA.train(), BATCH, config.spark().partitions()), cache)
                .run((t, phase) -> phases.add(t + ":" + phase), (t, model) -> last[0] = model);
        return new Ran(result, last[0], phases);
    }

    @Test
    void everyGridPoint_reusingItsSeedsTaskZero_endsBitIdenticalToComputingItself() {
        TaskZeroCache cache = TaskZeroCache.inMemory();
        for (RunConfig config : RUNS) {
            // when
            Ran fresh = run(config, TaskZeroCache.NONE);
            Ran shared = run(config, cache);

            // then
            assertEquals(fresh.result().accuracy(), shared.result().accuracy(), config.id());
            assertArrayEquals(fresh.model().ownership().toArray(), shared.model().ownership().toArray());
            assertTrue(Arrays.equals(fresh.model().trunk(), shared.model().trunk()), config.id() + " trunk");
            for (int t = 0; t < 3; t++) {
                assertTrue(Arrays.equals(fresh.model().head(t), shared.model().head(t)), config.id() + " head " + t);
                assertEquals(fresh.result().tasks().get(t).fisherMassKept(),
                        shared.result().tasks().get(t).fisherMassKept());
            }
        }
    }

    @Test
    void onlyTheFirstRunOfASeed_trainsTaskZero_theOthersSkipItsTrainingAndFisher() {
        TaskZeroCache cache = TaskZeroCache.inMemory();
        Map<Long, Integer> seen = new java.util.HashMap<>();
        for (RunConfig config : RUNS) {
            Ran ran = run(config, cache);
            boolean first = seen.merge(config.seed(), 1, Integer::sum) == 1;

            assertEquals(first, ran.phases().contains("0:TRAIN"), config.id());
            assertEquals(first, ran.phases().contains("0:FISHER"), config.id());
            assertTrue(ran.phases().contains("1:TRAIN") && ran.phases().contains("0:RETRAIN"), config.id());
            if (!first) {
                assertEquals(0L, ran.result().tasks().get(0).millisByPhase().get(Phase.TRAIN));
            }
        }
    }

    @Test
    void prepareTaskZero_equalsTheStateARunLeavesInTheCache() {
        RunConfig config = RUNS.get(0);
        TaskZeroCache cache = TaskZeroCache.inMemory();
        run(config, cache);

        TaskZeroState stored = cache.find(TaskZeroKey.of(config)).orElseThrow();
        TaskZeroState prepared = new ContinualRun(config, SPLIT,
                new AveragedTrainer(DATA.train(), BATCH, 2, 2), new LocalFisherEstimator(DATA.train(), BATCH, 3))
                .prepareTaskZero();

        assertArrayEquals(stored.params(), prepared.params());
        assertArrayEquals(stored.updaterState(), prepared.updaterState());
        assertArrayEquals(stored.fisherMean(), prepared.fisherMean());
        assertEquals(stored.iterationCount(), prepared.iterationCount());
        assertNotEquals(0, prepared.iterationCount());
    }

    @Test
    void keys_ignoreThePruningSettings_butNotTheSeed() {
        assertEquals(TaskZeroKey.of(RUNS.get(0)), TaskZeroKey.of(RUNS.get(3)));
        assertNotEquals(TaskZeroKey.of(RUNS.get(0)), TaskZeroKey.of(RUNS.get(4)));
    }
}
