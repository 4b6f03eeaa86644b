package dev.fisherpacknet.core.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.fisherpacknet.core.config.ConfigLoader;
import dev.fisherpacknet.core.config.RunConfig;
import dev.fisherpacknet.core.data.Task;
import dev.fisherpacknet.core.data.TrainingExamples;
import dev.fisherpacknet.core.fisher.LocalFisherEstimator;
import dev.fisherpacknet.core.model.NetworkFactory;
import dev.fisherpacknet.core.testing.SyntheticData;
import dev.fisherpacknet.core.train.LocalTaskTrainer;
import dev.fisherpacknet.core.train.ParameterMask;
import dev.fisherpacknet.core.train.TaskTrainer;
import dev.fisherpacknet.core.train.TrainingState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;

/**
 * When Adam starts afresh: {@code training.optimizer-reset = phase} (the protocol's) gives every phase of a pruned run
 * a new Adam, {@code task} lets the retraining go on with the moments the training left.
 */
class OptimizerResetTest {

    private static final int BATCH = 32;
    private static final SyntheticData.TrainTest DATA = SyntheticData.trainTest(31, 200, 60, 12, 3);

    /** The Adam state each training phase started from. */
    private record PhaseStart(float[] updaterState, int iterationCount) {
        boolean fresh() {
            for (float v : updaterState) {
                if (v != 0f) {
                    return false;
                }
            }
            return iterationCount == 0;
        }
    }

    private static List<PhaseStart> phaseStarts(String reset) {
        RunConfig config = ConfigLoader.fromConfig(ConfigFactory.parseString("""
                seed = 3
                tasks.count = 2
                model.hidden = [16, 8]
                training { learning-rate = 0.01, epochs = 1, retrain-epochs = 1, batch-size = %d }
                training.optimizer-reset = %s
                prune { ratio = 0.5, score = magnitude }
                """.formatted(BATCH, reset)), "test").runs().get(0);
        List<PhaseStart> starts = new ArrayList<>();
        TaskTrainer local = new LocalTaskTrainer(DATA.train(), BATCH);
        TaskTrainer recording = new TaskTrainer() {
            @Override
            public void train(MultiLayerNetwork net, TrainingExamples task, ParameterMask mask, int epochs,
                              long seed) {
                TrainingState state = TrainingState.capture(net);
                starts.add(new PhaseStart(state.updaterState(), state.iterationCount()));
                local.train(net, task, mask, epochs, seed);
            }

            @Override
            public double loss(MultiLayerNetwork net, TrainingExamples task, int[] positions) {
                return local.loss(net, task, positions);
            }
        };
        new ContinualRun(config, DATA.train(), DATA.test(), recording, new LocalFisherEstimator(DATA.train(), BATCH))
                .run(ProgressListener.NONE, TaskObserver.NONE);
        return starts;
    }

    @Test
    void perPhase_everyTrainingAndRetrainingStartsWithZeroMomentsAndStepCountZero() {
        List<PhaseStart> starts = phaseStarts("phase");

        assertEquals(4, starts.size(), "train and retrain of 2 tasks");
        for (int p = 0; p < starts.size(); p++) {
            assertTrue(starts.get(p).fresh(), "phase " + p + " started with Adam state of step "
                    + starts.get(p).iterationCount());
        }
    }

    @Test
    void perTask_retrainingGoesOnWithTheTrainingsAdamState() {
        List<PhaseStart> starts = phaseStarts("task");

        assertTrue(starts.get(0).fresh());
        assertTrue(starts.get(2).fresh(), "a task starts with a new network and so a new Adam");
        // 200 examples at 32 a minibatch: 7 steps in the one training epoch
        assertEquals(7, starts.get(1).iterationCount());
        assertEquals(7, starts.get(3).iterationCount());
        assertTrue(!starts.get(1).fresh() && !starts.get(3).fresh());
    }

    @Test
    void resetOptimizer_makesTheNextStepsThoseOfANewNetworkWithTheSameParameters() {
        // given: a network that has taken some Adam steps
        RunConfig config = ConfigLoader.fromConfig(ConfigFactory.parseString(
                "model.hidden = [16, 8]\ntraining.learning-rate = 0.01"), "test").runs().get(0);
        NetworkFactory factory = new NetworkFactory(config.model(), 12, 0.01);
        MultiLayerNetwork used = factory.create(3, 5);
        TrainingExamples all = new Task(0, 3, IntStream.range(0, DATA.train().size()).toArray(), new int[0], null,
                new int[] {0, 1, 2});
        ParameterMask free = ParameterMask.of(used.params().dup().data().asFloat(), allTrue((int) used.numParams()));
        new LocalTaskTrainer(DATA.train(), BATCH).train(used, all, free, 2, 1);
        MultiLayerNetwork fresh = factory.create(3, 99);
        fresh.params().assign(used.params());

        // when: both train on, the used one after a reset
        TrainingState.resetOptimizer(used);
        ParameterMask stillFree = ParameterMask.of(used.params().dup().data().asFloat(),
                allTrue((int) used.numParams()));
        new LocalTaskTrainer(DATA.train(), BATCH).train(used, all, stillFree, 1, 2);
        new LocalTaskTrainer(DATA.train(), BATCH).train(fresh, all, stillFree, 1, 2);

        // then
        assertArrayEquals(fresh.params().dup().data().asFloat(), used.params().dup().data().asFloat());
        assertArrayEquals(fresh.getUpdater().getStateViewArray().dup().data().asFloat(),
                used.getUpdater().getStateViewArray().dup().data().asFloat());
    }

    private static boolean[] allTrue(int n) {
        boolean[] flags = new boolean[n];
        Arrays.fill(flags, true);
        return flags;
    }
}
