package dev.fisherpacknet.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.fisherpacknet.core.data.Batches;
import dev.fisherpacknet.core.data.ImageSet;
import dev.fisherpacknet.core.data.Task;
import dev.fisherpacknet.core.model.ModelConfig;
import dev.fisherpacknet.core.model.NetworkFactory;
import dev.fisherpacknet.core.testing.SyntheticData;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;

class AveragedTrainerTest {

    private static final int WIDTH = 8;
    private static final int CLASSES = 3;
    private static final int BATCH = 16;
    private static final ImageSet DATA = SyntheticData.imageSet(23, 64, WIDTH, CLASSES);
    private static final Task TASK = new Task(0, CLASSES, IntStream.range(0, DATA.size()).toArray(), new int[0],
            null, IntStream.range(0, CLASSES).toArray());

    private static MultiLayerNetwork network() {
        return new NetworkFactory(new ModelConfig(List.of(10, 6), "tanh"), WIDTH, 1e-2).create(CLASSES, 5);
    }

    private static float[] params(MultiLayerNetwork net) {
        return net.params().dup().data().asFloat();
    }

    private static float[] updaterState(MultiLayerNetwork net) {
        return net.getUpdater().getStateViewArray().dup().data().asFloat();
    }

    private static ParameterMask mask(MultiLayerNetwork net, long seed) {
        float[] values = params(net);
        Random random = new Random(seed);
        boolean[] trainable = new boolean[values.length];
        for (int i = 0; i < trainable.length; i++) {
            trainable[i] = random.nextInt(4) != 0;
        }
        return ParameterMask.of(values, trainable);
    }

    @Test
    void train_withOneWorkerAveragingEveryMinibatch_isBitIdenticalToPlainSequentialTraining() {
        // given
        MultiLayerNetwork averaged = network();
        MultiLayerNetwork plain = network();
        ParameterMask mask = mask(plain, 3);

        // when
        new AveragedTrainer(DATA, BATCH, 1, 1).train(averaged, TASK, mask, 3, 41);
        new LocalTaskTrainer(DATA, BATCH).train(plain, TASK, mask, 3, 41);

        // then
        assertArrayEquals(params(plain), params(averaged));
        assertArrayEquals(updaterState(plain), updaterState(averaged));
        assertEquals(plain.getLayerWiseConfigurations().getIterationCount(),
                averaged.getLayerWiseConfigurations().getIterationCount());
    }

    @Test
    void train_oneRoundOfTwoWorkers_isTheMeanOfTwoReplicasEachFittingItsOwnShardInItsOwnOrder() {
        // given: 64 examples, two shards of 32 = 2 minibatches each; averaging every 2 = exactly one round
        MultiLayerNetwork net = network();
        ParameterMask mask = mask(net, 4);
        MultiLayerNetwork first = net.clone();
        MultiLayerNetwork second = net.clone();
        for (int[] local : Batches.shuffled(32, BATCH, ShardAveraging.epochSeed(43, 0, 0))) {
            fitMasked(first, mask, local);
        }
        for (int[] local : Batches.shuffled(32, BATCH, ShardAveraging.epochSeed(43, 0, 1))) {
            fitMasked(second, mask, IntStream.of(local).map(p -> p + 32).toArray());
        }
        float[] expectedParams = mean(params(first), params(second));
        float[] expectedState = mean(updaterState(first), updaterState(second));
        int iterationsBefore = net.getLayerWiseConfigurations().getIterationCount();

        // when
        new AveragedTrainer(DATA, BATCH, 2, 2).train(net, TASK, mask, 1, 43);

        // then
        assertArrayEquals(applied(mask, expectedParams), params(net));
        assertArrayEquals(expectedState, updaterState(net));
        assertEquals(iterationsBefore + 2, net.getLayerWiseConfigurations().getIterationCount(),
                "the step count advances by the steps of the longest replica");
        assertFalse(Arrays.equals(params(first), params(net)));
    }

    @Test
    void train_shardsOfUnequalSize_averageOnlyTheReplicasWithMinibatchesLeft() {
        // given: a split-style task of the examples of classes 0 and 1 only, whose shards differ in size
        int[] labelMap = {0, 1, -1};
        Task task = new Task(0, 2, Task.recordsWithClasses(DATA, labelMap), new int[0], null, labelMap);
        int firstShard = task.positionsIn(0, 32).length;
        int secondShard = task.positionsIn(32, 64).length;
        MultiLayerNetwork net = new NetworkFactory(new ModelConfig(List.of(10, 6), "tanh"), WIDTH, 1e-2).create(2, 5);
        ParameterMask mask = mask(net, 6);
        int longest = Math.max(ShardAveraging.batchesPerEpoch(firstShard, 4),
                ShardAveraging.batchesPerEpoch(secondShard, 4));
        int before = net.getLayerWiseConfigurations().getIterationCount();

        // when: minibatches of 4, averaging after every one
        new AveragedTrainer(DATA, 4, 2, 1).train(net, task, mask, 2, 49);

        // then: one step-count advance per round, rounds as many as the longer shard has minibatches
        assertFalse(firstShard == secondShard, "the test needs shards of different sizes");
        assertEquals(before + 2 * longest, net.getLayerWiseConfigurations().getIterationCount());
    }

    @Test
    void train_twoWorkers_keepsFrozenParametersBitIdentical() {
        // given
        MultiLayerNetwork net = network();
        float[] before = params(net);
        ParameterMask mask = mask(net, 5);

        // when: 4 minibatches per epoch, rounds of 2 x 1, over 3 epochs
        new AveragedTrainer(DATA, BATCH, 2, 1).train(net, TASK, mask, 3, 47);

        // then
        float[] after = params(net);
        for (int i = 0; i < after.length; i++) {
            if (!mask.isTrainable(i)) {
                assertEquals(Float.floatToIntBits(before[i]), Float.floatToIntBits(after[i]), "frozen " + i);
            }
        }
    }

    private static void fitMasked(MultiLayerNetwork net, ParameterMask mask, int[] positions) {
        mask.apply(net.params());
        net.fit(TASK.trainBatch(DATA, positions));
        mask.apply(net.params());
    }

    private static float[] mean(float[] a, float[] b) {
        float[] mean = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            mean[i] = (a[i] + b[i]) / 2f;
        }
        return mean;
    }

    private static float[] applied(ParameterMask mask, float[] values) {
        float[] result = values.clone();
        for (int i = 0; i < result.length; i++) {
            if (!mask.isTrainable(i)) {
                result[i] = mask.frozenValue(i);
            }
        }
        return result;
    }
}
