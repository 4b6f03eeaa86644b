package dev.fisherpacknet.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

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

class LocalTaskTrainerTest {

    private static final int WIDTH = 8;
    private static final int CLASSES = 3;
    private static final ImageSet DATA = SyntheticData.imageSet(21, 120, WIDTH, CLASSES);
    private static final Task TASK = new Task(0, CLASSES, IntStream.range(0, DATA.size()).toArray(), new int[0],
            null, IntStream.range(0, CLASSES).toArray());
    private static final LocalTaskTrainer TRAINER = new LocalTaskTrainer(DATA, 16);

    /** tanh: no dead units, so every trainable parameter has a gradient and Adam moves it. */
    private static MultiLayerNetwork network() {
        return new NetworkFactory(new ModelConfig(List.of(10, 6), "tanh"), WIDTH, 1e-2).create(CLASSES, 5);
    }

    private static float[] params(MultiLayerNetwork net) {
        return net.params().dup().data().asFloat();
    }

    private static boolean[] randomFlags(int n, long seed) {
        Random random = new Random(seed);
        boolean[] flags = new boolean[n];
        for (int i = 0; i < n; i++) {
            flags[i] = random.nextBoolean();
        }
        return flags;
    }

    @Test
    void train_withMask_leavesFrozenParametersBitIdenticalAndChangesEveryTrainableOne() {
        // given
        MultiLayerNetwork net = network();
        float[] before = params(net);
        boolean[] trainable = randomFlags(before.length, 1);
        ParameterMask mask = ParameterMask.of(before, trainable);

        // when
        TRAINER.train(net, TASK, mask, 2, 77);

        // then
        float[] after = params(net);
        for (int i = 0; i < before.length; i++) {
            if (trainable[i]) {
                assertNotEquals(before[i], after[i], "trainable parameter " + i + " did not move");
            } else {
                assertEquals(Float.floatToIntBits(before[i]), Float.floatToIntBits(after[i]),
                        "frozen parameter " + i + " changed");
            }
        }
    }

    @Test
    void train_withFrozenValuesOtherThanTheCurrentOnes_endsWithExactlyTheFrozenValues() {
        // given: frozen entries held at values the network does not have yet (zero, as released weights are)
        MultiLayerNetwork net = network();
        float[] current = params(net);
        boolean[] trainable = randomFlags(current.length, 2);
        float[] frozenValues = current.clone();
        for (int i = 0; i < frozenValues.length; i += 3) {
            frozenValues[i] = 0f;
        }
        ParameterMask mask = ParameterMask.of(frozenValues, trainable);

        // when
        TRAINER.train(net, TASK, mask, 1, 78);

        // then
        float[] after = params(net);
        for (int i = 0; i < after.length; i++) {
            if (!trainable[i]) {
                assertEquals(Float.floatToIntBits(frozenValues[i]), Float.floatToIntBits(after[i]), "parameter " + i);
            }
        }
    }

    @Test
    void train_withEverythingFrozen_changesNoParameter() {
        // given
        MultiLayerNetwork net = network();
        float[] before = params(net);
        ParameterMask mask = ParameterMask.of(before, new boolean[before.length]);

        // when
        TRAINER.train(net, TASK, mask, 2, 79);

        // then
        assertArrayEquals(before, params(net));
    }

    @Test
    void train_twiceFromTheSameStartAndSeed_givesBitIdenticalParameters() {
        // given
        MultiLayerNetwork a = network();
        MultiLayerNetwork b = network();
        boolean[] trainable = randomFlags((int) a.numParams(), 3);

        // when
        TRAINER.train(a, TASK, ParameterMask.of(params(a), trainable), 2, 80);
        TRAINER.train(b, TASK, ParameterMask.of(params(b), trainable), 2, 80);

        // then
        assertArrayEquals(params(a), params(b));
    }

    @Test
    void train_withAnotherShuffleSeed_visitsMinibatchesInAnotherOrder() {
        // given
        MultiLayerNetwork a = network();
        MultiLayerNetwork b = network();
        boolean[] all = new boolean[(int) a.numParams()];
        Arrays.fill(all, true);

        // when
        TRAINER.train(a, TASK, ParameterMask.of(params(a), all), 1, 81);
        TRAINER.train(b, TASK, ParameterMask.of(params(b), all), 1, 82);

        // then
        assertFalse(Arrays.equals(params(a), params(b)));
    }
}
