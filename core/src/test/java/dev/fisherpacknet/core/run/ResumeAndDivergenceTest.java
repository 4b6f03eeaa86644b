package dev.fisherpacknet.core.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.fisherpacknet.core.config.ConfigLoader;
import dev.fisherpacknet.core.config.RunConfig;
import dev.fisherpacknet.core.data.Splits;
import dev.fisherpacknet.core.fisher.LocalFisherEstimator;
import dev.fisherpacknet.core.mask.MultiHeadModel;
import dev.fisherpacknet.core.testing.SyntheticData;
import dev.fisherpacknet.core.train.AveragedTrainer;
import dev.fisherpacknet.core.train.TaskTrainer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A run resumed from the checkpoint after any of its tasks ends bit-identical to the run that never stopped; and a
 * run that produces NaN or infinity stops with the task and phase where it happened.
 */
class ResumeAndDivergenceTest {
    private static final int BATCH = 16;
    private static final SyntheticData.TrainTest DATA = SyntheticData.trainTest(41, 200, 80, 12, 4);
    private static final Splits.TrainTest SPLIT = new Splits.TrainTest(DATA.train(), DATA.test(), List.of());

    private static RunConfig config(String extra) {
        return ConfigLoader.fromConfig(ConfigFactory.parseString("""
                seed = 5
                tasks.count = 3
                model.hidden = [20, 16]
                training { learning-rate = 0.01, epochs = 2, retrain-epochs = 1, batch-size = %d }
                prune { ratio = 0.6, score = fisher-saliency }
                spark { workers = 2, partitions = 2, averaging-frequency = 2 }
                %s
                """.formatted(BATCH, extra)), "test").runs().get(0);
    }

    private static ContinualRun continual(RunConfig config, TaskTrainer trainer) {
        return new ContinualRun(config, SPLIT, trainer, new LocalFisherEstimator(DATA.train(), BATCH, 2));
    }

    private static TaskTrainer averaged(RunConfig config) {
        return new AveragedTrainer(DATA.train(), BATCH, config.spark().workers(), config.spark().averagingFrequency());
    }

    @Test
    void resumedFromEveryCheckpoint_endsBitIdenticalToTheUninterruptedRun() {
        // given: the uninterrupted run and its checkpoint after every task
        RunConfig config = config("");
        List<RunCheckpoint> checkpoints = new ArrayList<>();
        RunResult whole = continual(config, averaged(config)).run(ProgressListener.NONE, TaskObserver.NONE, null,
                checkpoints::add);
        assertEquals(3, checkpoints.size());
        RunCheckpoint last = checkpoints.get(2);

        for (int k = 0; k < 2; k++) {
            // when: a fresh run object goes on from the checkpoint after task k
            List<Integer> phasesSeen = new ArrayList<>();
            List<RunCheckpoint> resumedCheckpoints = new ArrayList<>();
            RunResult resumed = continual(config, averaged(config)).run((t, phase) -> phasesSeen.add(t),
                    TaskObserver.NONE, checkpoints.get(k), resumedCheckpoints::add);

            // then: only the later tasks ran, and everything but wall times is identical
            assertEquals(k + 1, phasesSeen.stream().mapToInt(Integer::intValue).min().orElseThrow(), "first task run");
            assertEquals(whole.accuracy(), resumed.accuracy(), "R after resuming from task " + k);
            assertEquals(withoutTimes(whole.tasks()), withoutTimes(resumed.tasks()));
            assertEquals(whole.tasks().subList(0, k + 1), resumed.tasks().subList(0, k + 1),
                    "records of the tasks before the checkpoint, timings included, are the checkpoint's");
            RunCheckpoint end = resumedCheckpoints.get(resumedCheckpoints.size() - 1);
            assertArrayEquals(last.trunk(), end.trunk());
            assertArrayEquals(last.owners(), end.owners());
            for (int j = 0; j < 3; j++) {
                assertArrayEquals(last.heads().get(j), end.heads().get(j), "head " + j);
            }
        }
    }

    @Test
    void checkpoint_restoresTheModelItCaptured() {
        RunConfig config = config("");
        MultiHeadModel[] model = new MultiHeadModel[1];
        List<RunCheckpoint> checkpoints = new ArrayList<>();
        continual(config, averaged(config)).run(ProgressListener.NONE, (t, m) -> model[0] = m, null,
                checkpoints::add);

        MultiHeadModel restored = checkpoints.get(2).restore(new dev.fisherpacknet.core.model.NetworkFactory(
                config.model(), DATA.train().width(), config.training().learningRate()));

        assertArrayEquals(model[0].trunk(), restored.trunk());
        assertArrayEquals(model[0].ownership().toArray(), restored.ownership().toArray());
        for (int j = 0; j < 3; j++) {
            assertArrayEquals(model[0].predict(j, testFeatures()), restored.predict(j, testFeatures()),
                    "predictions of task " + j);
        }
    }

    @Test
    void hugeLearningRateOnSoftplus_divergesInTheLossAtTask0Training() {
        // given: Adam with steps of 10 on softplus activations: the loss turns NaN within the first epoch
        RunConfig config = config("training.learning-rate = 10, model.activation = softplus");

        // when
        DivergenceException e = assertThrows(DivergenceException.class,
                () -> continual(config, averaged(config)).run(ProgressListener.NONE, TaskObserver.NONE));

        // then
        assertEquals(0, e.task());
        assertEquals(Phase.TRAIN, e.phase());
        assertEquals("run " + config.id() + " diverged at task 0 (train): the loss on the task's first 16 training"
                + " examples is NaN; try a smaller training.learning-rate", e.getMessage());
    }

    @Test
    void hugeLearningRateOnCube_divergesInTheFisherDiagonal() {
        // given: on cubed activations the loss and the parameters stay finite, but squared gradients overflow
        RunConfig config = config("training.learning-rate = 10, model.activation = cube");

        // when
        DivergenceException e = assertThrows(DivergenceException.class,
                () -> continual(config, averaged(config)).run(ProgressListener.NONE, TaskObserver.NONE));

        // then
        assertEquals(0, e.task());
        assertEquals(Phase.FISHER, e.phase());
        assertTrue(e.reason().matches("the Fisher diagonal holds (NaN|Infinity) at parameter \\d+"), e.reason());
    }

    @Test
    void lossOverflowingWithFiniteParameters_isCaughtAsDivergence() {
        // given: a trainer whose task-1 "training" leaves every parameter finite but so large that the activations
        // overflow to infinity, and the softmax and loss turn NaN
        RunConfig config = config("");
        TaskTrainer normal = averaged(config);
        TaskTrainer overflowing = new TaskTrainer() {
            @Override
            public void train(org.deeplearning4j.nn.multilayer.MultiLayerNetwork net,
                              dev.fisherpacknet.core.data.TrainingExamples task,
                              dev.fisherpacknet.core.train.ParameterMask mask, int epochs, long seed) {
                if (task instanceof dev.fisherpacknet.core.data.Task t && t.index() == 1) {
                    float[] params = net.params().dup().data().asFloat();
                    Arrays.fill(params, 1e30f);
                    net.params().assign(org.nd4j.linalg.factory.Nd4j.create(params, new long[] {1, params.length},
                            org.nd4j.linalg.api.buffer.DataType.FLOAT));
                } else {
                    normal.train(net, task, mask, epochs, seed);
                }
            }

            @Override
            public double loss(org.deeplearning4j.nn.multilayer.MultiLayerNetwork net,
                               dev.fisherpacknet.core.data.TrainingExamples task, int[] positions) {
                return normal.loss(net, task, positions);
            }
        };

        // when
        DivergenceException e = assertThrows(DivergenceException.class,
                () -> continual(config, overflowing).run(ProgressListener.NONE, TaskObserver.NONE));

        // then: found in the loss, not in the (finite) parameters
        assertEquals(1, e.task());
        assertEquals(Phase.TRAIN, e.phase());
        assertTrue(e.reason().startsWith("the loss on the task's first 16 training examples is NaN")
                || e.reason().startsWith("the loss on the task's first 16 training examples is Infinity"), e.reason());
    }

    private static org.nd4j.linalg.api.ndarray.INDArray testFeatures() {
        return org.nd4j.linalg.factory.Nd4j.create(DATA.test().features(),
                new long[] {DATA.test().size(), DATA.test().width()}, org.nd4j.linalg.api.buffer.DataType.FLOAT);
    }

    private static List<List<Object>> withoutTimes(List<TaskRecord> records) {
        return records.stream().map(r -> List.<Object>of(r.task(), r.freeAtStart(), r.capacityOwned(),
                r.keptWeights(), r.fisherMassKept())).toList();
    }
}
