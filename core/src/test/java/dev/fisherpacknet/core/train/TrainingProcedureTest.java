package dev.fisherpacknet.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fisherpacknet.core.config.SparkSettings;
import dev.fisherpacknet.core.data.Batches;
import dev.fisherpacknet.core.data.ImageSet;
import dev.fisherpacknet.core.data.Task;
import dev.fisherpacknet.core.model.ModelConfig;
import dev.fisherpacknet.core.model.NetworkFactory;
import dev.fisherpacknet.core.testing.SyntheticData;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;

/**
 * The training procedures {@code spark.workers} chooses: one worker is plain sequential training, a loop of
 * {@code fit} calls over the epoch's minibatch plan, whatever the averaging frequency; more workers average.
 */
class TrainingProcedureTest {

    private static final int WIDTH = 8;
    private static final int CLASSES = 3;
    private static final int BATCH = 16;
    private static final ImageSet DATA = SyntheticData.imageSet(21, 120, WIDTH, CLASSES);
    private static final Task TASK = new Task(0, CLASSES, IntStream.range(0, DATA.size()).toArray(), new int[0],
            null, IntStream.range(0, CLASSES).toArray());

    private static MultiLayerNetwork network() {
        return new NetworkFactory(new ModelConfig(List.of(10, 6), "tanh"), WIDTH, 1e-2).create(CLASSES, 5);
    }

    private static ParameterMask allTrainable(MultiLayerNetwork net) {
        float[] values = net.params().dup().data().asFloat();
        boolean[] all = new boolean[values.length];
        Arrays.fill(all, true);
        return ParameterMask.of(values, all);
    }

    private static float[] trainedWith(SparkSettings spark, int epochs, long seed) {
        MultiLayerNetwork net = network();
        TaskTrainer.inThisJvm(DATA, BATCH, spark.workers(), spark.averagingFrequency()).train(net, TASK,
                allTrainable(net), epochs, seed);
        return net.params().dup().data().asFloat();
    }

    @Test
    void oneWorker_isBitIdenticalToALoopOfFitCallsOverTheSameMinibatchPlan() {
        // given: the reference, written without the project's trainers
        MultiLayerNetwork reference = network();
        for (int epoch = 0; epoch < 3; epoch++) {
            for (int[] positions : Batches.shuffled(TASK.trainSize(), BATCH, LocalTaskTrainer.epochSeed(9, epoch))) {
                reference.fit(TASK.trainBatch(DATA, positions));
            }
        }

        // when
        float[] sequential = trainedWith(new SparkSettings(2, 1, 5), 3, 9);

        // then: every minibatch was one Adam step, in plan order (8 steps an epoch, the iteration count says so)
        assertArrayEquals(reference.params().dup().data().asFloat(), sequential);
        assertEquals(3 * 8, reference.getLayerWiseConfigurations().getIterationCount());
    }

    @Test
    void oneWorker_ignoresTheAveragingFrequency() {
        assertArrayEquals(trainedWith(new SparkSettings(2, 1, 1), 2, 4), trainedWith(new SparkSettings(2, 1, 20), 2,
                4));
        assertInstanceOf(LocalTaskTrainer.class, TaskTrainer.inThisJvm(DATA, BATCH, 1, 3));
    }

    @Test
    void twoWorkers_averageAndSoDifferFromSequentialTraining() {
        TaskTrainer averaging = TaskTrainer.inThisJvm(DATA, BATCH, 2, 2);

        assertInstanceOf(AveragedTrainer.class, averaging);
        assertFalse(Arrays.equals(trainedWith(new SparkSettings(1, 1, 2), 2, 4),
                trainedWith(new SparkSettings(1, 2, 2), 2, 4)));
    }

    @Test
    void procedure_isNamedForResultFiles() {
        assertTrue(new SparkSettings(0, 1, 5).sequential());
        assertEquals("sequential", new SparkSettings(0, 1, 5).procedure());
        assertEquals("parameter-averaging", new SparkSettings(0, 4, 5).procedure());
        assertEquals("parameter averaging, 4 workers every 5 minibatches", new SparkSettings(0, 4, 5)
                .describeProcedure());
        assertEquals("sequential (one replica)", new SparkSettings(0, 1, 5).describeProcedure());
    }
}
