package dev.fisherpacknet.core.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.fisherpacknet.core.ConfigException;
import dev.fisherpacknet.core.config.ConfigLoader;
import dev.fisherpacknet.core.config.RunConfig;
import dev.fisherpacknet.core.data.ImageSet;
import dev.fisherpacknet.core.data.Task;
import dev.fisherpacknet.core.data.TaskStreams;
import dev.fisherpacknet.core.fisher.LocalFisherEstimator;
import dev.fisherpacknet.core.mask.MultiHeadModel;
import dev.fisherpacknet.core.mask.Ownership;
import dev.fisherpacknet.core.mask.SelectionScope;
import dev.fisherpacknet.core.mask.TopKSelector;
import dev.fisherpacknet.core.model.ParamLayout;
import dev.fisherpacknet.core.testing.SyntheticData;
import dev.fisherpacknet.core.train.LocalTaskTrainer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whole runs on a tiny synthetic stream (width 16, 4 classes, 300 train / 100 test examples, trunk 16-32-24), with
 * docs/PROTOCOL.md's invariants checked from what a {@link TaskObserver} sees after every task. Each configuration is
 * run once and shared by the tests that inspect it; the determinism test runs it a second time.
 */
class ContinualRunTest {

    private static final int WIDTH = 16;
    private static final int CLASSES = 4;
    private static final int BATCH = 32;
    private static final SyntheticData.TrainTest DATA = SyntheticData.trainTest(31, 300, 100, WIDTH, CLASSES);

    private static final String BASE = """
            seed = 7
            tasks.count = 3
            model.hidden = [32, 24]
            training { learning-rate = 0.01, epochs = 2, retrain-epochs = 1, batch-size = %d }
            prune.ratio = 0.6
            """.formatted(BATCH);
    private static final String SPLIT = """
            tasks { stream = split, count = 2, class-groups = [[0, 2], [3, 1]] }
            """;

    /** Every score under both scopes, the other Fisher label modes, and the split stream. */
    static Stream<String> configs() {
        List<String> configs = new ArrayList<>();
        for (String score : List.of("fisher", "fisher-saliency", "magnitude", "random")) {
            for (String scope : List.of("layer", "global")) {
                configs.add("prune { score = " + score + ", scope = " + scope + " }");
            }
        }
        configs.add("prune.score = fisher, fisher.labels = sampled");
        configs.add("prune.score = fisher-saliency, prune.scope = global, fisher.labels = exact");
        configs.add(SPLIT + "prune.score = fisher");
        configs.add(SPLIT + "prune { score = magnitude, scope = global }");
        return configs.stream();
    }

    /** What the observer saw right after task t. */
    private record Snapshot(int[] owners, float[] trunk, float[] head, int[] predictions) {
    }

    private record Recorded(RunConfig config, RunResult result, List<Task> tasks, List<Snapshot> after,
                            MultiHeadModel model, List<String> phases) {
        Snapshot before(int t) {
            return t == 0 ? null : after.get(t - 1);
        }

        boolean freeAtStart(int t, int i) {
            return t == 0 || after.get(t - 1).owners()[i] == Ownership.FREE;
        }
    }

    private static final Map<String, Recorded> RUNS = new ConcurrentHashMap<>();

    private static Recorded recorded(String variant) {
        return RUNS.computeIfAbsent(variant, ContinualRunTest::run);
    }

    private static RunConfig config(String variant) {
        return ConfigLoader.fromConfig(ConfigFactory.parseString(BASE + variant), "test").runs().get(0);
    }

    private static Recorded run(String variant) {
        RunConfig config = config(variant);
        ImageSet train = DATA.train();
        ImageSet test = DATA.test();
        List<Task> tasks = TaskStreams.build(config.tasks(), config.seed(), train, test);
        List<Snapshot> after = new ArrayList<>();
        List<String> phases = new ArrayList<>();
        MultiHeadModel[] model = new MultiHeadModel[1];
        TaskObserver observer = (t, m) -> {
            assertEquals(after.size(), t, "tasks are observed in order, once each");
            after.add(new Snapshot(m.ownership().toArray(), m.trunk(), m.head(t),
                    m.predict(t, tasks.get(t).testSet(test).getFeatures())));
            model[0] = m;
        };
        RunResult result = new ContinualRun(config, train, test, new LocalTaskTrainer(train, BATCH),
                new LocalFisherEstimator(train, BATCH)).run((t, phase) -> phases.add(t + ":" + phase), observer);
        return new Recorded(config, result, tasks, after, model[0], phases);
    }

    private static List<ParamLayout.Layer> trunkLayers(ParamLayout layout) {
        return layout.layers().subList(0, layout.trunkLayerCount());
    }

    private static IntStream weights(ParamLayout.Layer layer) {
        return IntStream.range(layer.weightOffset(), layer.weightOffset() + layer.weightCount());
    }

    private static IntStream biases(ParamLayout layout) {
        return trunkLayers(layout).stream().flatMapToInt(l -> IntStream.range(l.biasOffset(), l.biasOffset()
                + l.nOut()));
    }

    private static int bits(float f) {
        return Float.floatToIntBits(f);
    }

    // ---- zero forgetting ----

    @ParameterizedTest
    @MethodSource("configs")
    void run_afterTheLastTask_everyEarlierTaskPredictsAndHoldsItsWeightsBitIdentically(String variant) {
        // given
        Recorded run = recorded(variant);
        int count = run.tasks().size();
        MultiHeadModel last = run.model();
        float[] finalTrunk = last.trunk();
        int[] finalOwners = last.ownership().toArray();

        for (int j = 0; j < count; j++) {
            // when
            int[] predictions = last.predict(j, run.tasks().get(j).testSet(DATA.test()).getFeatures());

            // then
            Snapshot atJ = run.after().get(j);
            assertArrayEquals(atJ.predictions(), predictions, "task " + j + " predictions");
            assertArrayEquals(atJ.head(), last.head(j), "task " + j + " head");
            for (int i = 0; i < finalTrunk.length; i++) {
                if (finalOwners[i] != Ownership.FREE && finalOwners[i] <= j) {
                    assertEquals(bits(atJ.trunk()[i]), bits(finalTrunk[i]),
                            "trunk parameter " + i + " owned by task " + finalOwners[i]);
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("configs")
    void run_accuracyMatrix_hasNoForgettingAndBwtExactlyZero(String variant) {
        // given
        Recorded run = recorded(variant);

        // when
        AccuracyMatrix r = run.result().accuracy();

        // then
        int count = run.tasks().size();
        assertEquals(count, r.tasks());
        for (int t = 0; t < count; t++) {
            for (int j = 0; j < count; j++) {
                if (j <= t) {
                    assertEquals(r.get(j, j), r.get(t, j), 0.0, "R[" + t + "][" + j + "]");
                } else {
                    assertTrue(Double.isNaN(r.get(t, j)), "R[" + t + "][" + j + "] above the diagonal");
                }
            }
        }
        assertEquals(0.0, r.bwt(), 0.0);
    }

    @ParameterizedTest
    @MethodSource("configs")
    void run_accuracyOfEachTask_isItsObservedPredictionsAgainstItsTestLabels_andBeatsChance(String variant) {
        // given
        Recorded run = recorded(variant);

        for (int j = 0; j < run.tasks().size(); j++) {
            // when
            Task task = run.tasks().get(j);
            int[] truth = task.testLabels(DATA.test());
            int[] predicted = run.after().get(j).predictions();
            long correct = IntStream.range(0, truth.length).filter(n -> predicted[n] == truth[n]).count();

            // then: R[j][j] is the accuracy of what the observer saw, and the task was actually learnt
            assertEquals(correct / (double) truth.length, run.result().accuracy().get(j, j), 0.0);
            double chance = 1.0 / task.numClasses();
            assertTrue(run.result().accuracy().get(j, j) > chance + 0.2,
                    "task " + j + " accuracy " + run.result().accuracy().get(j, j) + " is near chance " + chance);
        }
    }

    // ---- ownership ----

    @ParameterizedTest
    @MethodSource("configs")
    void run_eachTask_ownsExactlyKeptCountOfTheWeightsFreeAtItsStart(String variant) {
        // given
        Recorded run = recorded(variant);
        ParamLayout layout = run.model().layout();
        double ratio = run.config().prune().ratio();

        for (int t = 0; t < run.tasks().size(); t++) {
            // when
            final int task = t;
            int[] owners = run.after().get(t).owners();

            // then
            if (run.config().prune().scope() == SelectionScope.LAYER) {
                for (ParamLayout.Layer layer : trunkLayers(layout)) {
                    int free = (int) weights(layer).filter(i -> run.freeAtStart(task, i)).count();
                    int owned = (int) weights(layer).filter(i -> owners[i] == task).count();
                    assertEquals(TopKSelector.keptCount(free, ratio), owned, "task " + t + ", layer at "
                            + layer.weightOffset());
                }
            } else {
                int free = (int) trunkLayers(layout).stream().flatMapToInt(ContinualRunTest::weights)
                        .filter(i -> run.freeAtStart(task, i)).count();
                int owned = (int) trunkLayers(layout).stream().flatMapToInt(ContinualRunTest::weights)
                        .filter(i -> owners[i] == task).count();
                assertEquals(TopKSelector.keptCount(free, ratio), owned, "task " + t);
            }
            TaskRecord record = run.result().tasks().get(t);
            int owned = (int) trunkLayers(layout).stream().flatMapToInt(ContinualRunTest::weights)
                    .filter(i -> owners[i] == task).count();
            assertEquals(owned, record.keptWeights(), "task " + t + " record");
            assertEquals(owned / (double) layout.trunkWeightCount(), record.capacityOwned(), 0.0);
        }
    }

    @ParameterizedTest
    @MethodSource("configs")
    void run_ownersNeverChange_andATaskTakesOnlyWeightsFreeAtItsStart(String variant) {
        // given
        Recorded run = recorded(variant);

        for (int t = 1; t < run.tasks().size(); t++) {
            // when
            int[] before = run.before(t).owners();
            int[] after = run.after().get(t).owners();

            // then
            for (int i = 0; i < after.length; i++) {
                if (before[i] != Ownership.FREE) {
                    assertEquals(before[i], after[i], "owner of parameter " + i + " changed at task " + t);
                } else {
                    assertTrue(after[i] == Ownership.FREE || after[i] == t,
                            "parameter " + i + " free at task " + t + " went to task " + after[i]);
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("configs")
    void run_weightsReleasedByATask_areExactlyPositiveZeroInTheTrunkAfterIt(String variant) {
        // given
        Recorded run = recorded(variant);
        ParamLayout layout = run.model().layout();

        for (int t = 0; t < run.tasks().size(); t++) {
            // when
            Snapshot after = run.after().get(t);

            // then
            final int task = t;
            int[] released = trunkLayers(layout).stream().flatMapToInt(ContinualRunTest::weights)
                    .filter(i -> run.freeAtStart(task, i) && after.owners()[i] == Ownership.FREE).toArray();
            assertTrue(released.length > 0, "task " + t + " released nothing at p > 0");
            for (int i : released) {
                assertEquals(0, bits(after.trunk()[i]), "released weight " + i + " of task " + t);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("configs")
    void run_trunkBiases_areOwnedByTaskZeroAndNeverChangeAfterIt(String variant) {
        // given
        Recorded run = recorded(variant);
        ParamLayout layout = run.model().layout();
        Snapshot first = run.after().get(0);

        // then
        biases(layout).forEach(b -> assertEquals(0, first.owners()[b], "owner of bias " + b));
        for (int t = 1; t < run.tasks().size(); t++) {
            Snapshot after = run.after().get(t);
            biases(layout).forEach(b -> {
                assertEquals(0, after.owners()[b], "owner of bias " + b);
                assertEquals(bits(first.trunk()[b]), bits(after.trunk()[b]), "bias " + b);
            });
        }
    }

    @ParameterizedTest
    @MethodSource("configs")
    void run_reportsEveryPhaseOfEveryTaskInOrder(String variant) {
        // given
        Recorded run = recorded(variant);

        // then
        List<String> expected = new ArrayList<>();
        for (int t = 0; t < run.tasks().size(); t++) {
            for (Phase phase : Phase.values()) {
                expected.add(t + ":" + phase);
            }
        }
        assertEquals(expected, run.phases());
    }

    @Test
    void run_splitStreamNamingAClassTheDataLacks_isRejectedBeforeAnyTraining() {
        // given: the data has classes 0..3
        RunConfig config = config("tasks { stream = split, count = 2, class-groups = [[0, 1], [2, 5]] }");
        List<String> phases = new ArrayList<>();

        // when
        ConfigException e = assertThrows(ConfigException.class,
                () -> new ContinualRun(config, DATA.train(), DATA.test(), new LocalTaskTrainer(DATA.train(), BATCH),
                        new LocalFisherEstimator(DATA.train(), BATCH))
                        .run((t, phase) -> phases.add(t + ":" + phase), TaskObserver.NONE));

        // then
        assertTrue(e.getMessage().startsWith("tasks.class-groups[1] names class 5, but the data have classes 0..3;"
                + " a split stream can only use classes the data have"), e.getMessage());
        assertEquals(List.of(), phases);
    }

    // ---- determinism ----

    @ParameterizedTest
    @MethodSource("configs")
    void run_twiceWithTheSameConfig_givesIdenticalAccuraciesWeightsAndOwners(String variant) {
        // given
        Recorded first = recorded(variant);

        // when
        Recorded second = run(variant);

        // then
        assertEquals(first.result().accuracy(), second.result().accuracy());
        assertArrayEquals(first.model().ownership().toArray(), second.model().ownership().toArray());
        assertTrue(Arrays.equals(first.model().trunk(), second.model().trunk()), "final trunks differ");
    }
}
