package dev.fisherpacknet.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.fisherpacknet.core.config.ConfigLoader;
import dev.fisherpacknet.core.config.RunConfig;
import dev.fisherpacknet.core.data.Splits;
import dev.fisherpacknet.core.fisher.LocalFisherEstimator;
import dev.fisherpacknet.core.mask.ImportanceScore;
import dev.fisherpacknet.core.mask.MultiHeadModel;
import dev.fisherpacknet.core.model.ParamLayout;
import dev.fisherpacknet.core.testing.SyntheticData;
import dev.fisherpacknet.core.train.AveragedTrainer;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The diagnostics a run records at each selection, checked against what other runs really did: at task 0 every
 * run of a seed selects from the same network, so the Jaccard index the fisher run reports against magnitude must
 * equal the overlap of what the fisher run and the magnitude run actually kept.
 */
class SelectionDiagnosticsTest {

    private static final int BATCH = 16;
    private static final SyntheticData.TrainTest DATA = SyntheticData.trainTest(41, 160, 60, 12, 4);
    private static final Splits.TrainTest SPLIT = new Splits.TrainTest(DATA.train(), DATA.test(), List.of());

    private static final List<RunConfig> RUNS = ConfigLoader.fromConfig(ConfigFactory.parseString("""
            seed = 6
            tasks.count = 2
            model.hidden = [20, 16]
            training { learning-rate = 0.01, epochs = 2, retrain-epochs = 1, batch-size = 16 }
            prune { ratio = 0.7, score = [fisher, magnitude, fisher-saliency, random] }
            spark { workers = 1, partitions = 1, averaging-frequency = 1 }
            """), "test").runs();

    private record Ran(RunResult result, MultiHeadModel afterTaskZero, TaskZeroState taskZero) {
    }

    private static Ran run(RunConfig config) {
        MultiHeadModel[] first = new MultiHeadModel[1];
        TaskZeroCache cache = TaskZeroCache.inMemory();
        RunResult result = new ContinualRun(config, SPLIT, new AveragedTrainer(DATA.train(), BATCH, 1, 1),
                new LocalFisherEstimator(DATA.train(), BATCH, 1), cache)
                .run(ProgressListener.NONE, (t, model) -> {
                    if (t == 0) {
                        first[0] = model;
                    }
                });
        return new Ran(result, first[0], cache.find(TaskZeroKey.of(config)).orElseThrow());
    }

    private static Set<Integer> keptAtTaskZero(MultiHeadModel model, ParamLayout.Layer layer) {
        Set<Integer> kept = new HashSet<>();
        for (int i = layer.weightOffset(); i < layer.weightOffset() + layer.weightCount(); i++) {
            if (model.ownership().owner(i) == 0) {
                kept.add(i);
            }
        }
        return kept;
    }

    @Test
    void taskZeroJaccard_equalsTheOverlapOfWhatTheOtherScoresRunsKept() {
        // given: the four runs of one seed; task 0's ownership is assigned before anything later can change it
        List<Ran> ran = RUNS.stream().map(SelectionDiagnosticsTest::run).toList();
        Ran fisher = ran.get(0);
        ParamLayout layout = fisher.afterTaskZero().layout();

        for (int o = 1; o < ran.size(); o++) {
            ImportanceScore other = RUNS.get(o).prune().score();
            for (int l = 0; l < layout.trunkLayerCount(); l++) {
                final int layer = l;
                Set<Integer> a = keptAtTaskZero(fisher.afterTaskZero(), layout.layers().get(l));
                Set<Integer> b = keptAtTaskZero(ran.get(o).afterTaskZero(), layout.layers().get(l));
                Set<Integer> both = new HashSet<>(a);
                both.retainAll(b);
                Set<Integer> either = new HashSet<>(a);
                either.addAll(b);

                ScoreAgreement reported = fisher.result().tasks().get(0).agreements().stream()
                        .filter(x -> x.other() == other && x.layer() == layer).findFirst().orElseThrow();
                assertEquals(both.size() / (double) either.size(), reported.jaccard(), 1e-15, other + " layer " + l);
                assertEquals(layout.layers().get(l).weightCount(), reported.free());
                assertTrue(reported.spearman() >= -1 && reported.spearman() <= 1);
            }
        }
        // every run compares itself with the three other scores on every trunk layer, at every task
        for (Ran r : ran) {
            for (TaskRecord task : r.result().tasks()) {
                assertEquals(3 * layout.trunkLayerCount(), task.agreements().size());
            }
        }
    }

    @Test
    void weightSample_holdsTheTrainedTaskZeroWeightsTheirFisherAndTheRunsChoice() {
        Ran ran = run(RUNS.get(1));
        WeightSample sample = ran.result().tasks().get(0).sample();
        ParamLayout.Layer first = ran.afterTaskZero().layout().layers().get(0);

        assertEquals(Math.min(SelectionDiagnostics.WEIGHT_SAMPLE_SIZE, first.weightCount()), sample.size());
        int[] indices = sample.indices();
        for (int k = 0; k < sample.size(); k++) {
            int i = indices[k];
            assertTrue(i >= first.weightOffset() && i < first.weightOffset() + first.weightCount());
            assertTrue(k == 0 || indices[k - 1] < i, "ascending, no repeats");
            assertEquals(ran.taskZero().params()[i], sample.weights()[k]);
            assertEquals(ran.taskZero().fisherMean()[i], sample.fisher()[k]);
            assertEquals(ran.afterTaskZero().ownership().owner(i) == 0, sample.kept()[k]);
        }
        assertEquals(WeightSample.NONE, ran.result().tasks().get(1).sample());
    }

    @Test
    void theRunsResults_doNotDependOnItsObserver() {
        RunConfig config = RUNS.get(0);
        RunResult observed = run(config).result();
        RunResult unobserved = new ContinualRun(config, SPLIT, new AveragedTrainer(DATA.train(), BATCH, 1, 1),
                new LocalFisherEstimator(DATA.train(), BATCH, 1), TaskZeroCache.NONE, SelectionObserver.NONE)
                .run(ProgressListener.NONE, TaskObserver.NONE);

        assertEquals(observed.accuracy(), unobserved.accuracy());
        for (int t = 0; t < observed.tasks().size(); t++) {
            TaskRecord a = observed.tasks().get(t);
            TaskRecord b = unobserved.tasks().get(t);
            assertEquals(List.of(a.keptWeights(), a.fisherMassKept(), a.freeAtStart()),
                    List.of(b.keptWeights(), b.fisherMassKept(), b.freeAtStart()), "task " + t);
            assertEquals(List.of(), b.agreements());
            assertTrue(!a.agreements().isEmpty(), "the default observer records the other scores' choices");
        }
    }
}
