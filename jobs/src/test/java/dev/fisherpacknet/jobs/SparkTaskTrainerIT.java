package dev.fisherpacknet.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fisherpacknet.core.config.ModelConfig;
import dev.fisherpacknet.core.config.TaskStreamConfig;
import dev.fisherpacknet.core.data.IdxReader;
import dev.fisherpacknet.core.data.ImageSet;
import dev.fisherpacknet.core.data.Task;
import dev.fisherpacknet.core.data.TaskStreamKind;
import dev.fisherpacknet.core.data.TaskStreams;
import dev.fisherpacknet.core.model.NetworkFactory;
import dev.fisherpacknet.core.train.AveragedTrainer;
import dev.fisherpacknet.core.train.LocalTaskTrainer;
import dev.fisherpacknet.core.train.ParameterMask;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparkTaskTrainerIT extends SparkTestSession {

    @TempDir
    Path dir;

    private ImageSet train;
    private Task task;
    private NetworkFactory factory;

    @BeforeEach
    void data() throws Exception {
        SyntheticIdx.write(dir, 250, 10, 3);
        train = IdxReader.read(dir.resolve("train-images-idx3-ubyte"), dir.resolve("train-labels-idx1-ubyte"), 10);
        ImageSet test = IdxReader.read(dir.resolve("t10k-images-idx3-ubyte"), dir.resolve("t10k-labels-idx1-ubyte"), 10);
        task = TaskStreams.build(new TaskStreamConfig(TaskStreamKind.PERMUTED, 2, List.of()), 9, train, test).get(1);
        factory = new NetworkFactory(new ModelConfig(List.of(12), "relu"), train.width(), 1e-2);
    }

    /** A mask that freezes a seeded 40% of all parameters at their current values. */
    private static ParameterMask randomMask(MultiLayerNetwork net, long seed) {
        float[] values = net.params().dup().data().asFloat();
        boolean[] trainable = new boolean[values.length];
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < trainable.length; i++) {
            trainable[i] = random.nextDouble() >= 0.4;
        }
        return ParameterMask.of(values, trainable);
    }

    @Test
    void train_withOneWorkerAndAveragingEveryStep_equalsSingleJvmTraining() {
        // given: two identical networks and one mask
        MultiLayerNetwork onSpark = factory.create(10, 42);
        MultiLayerNetwork inJvm = factory.create(10, 42);
        ParameterMask mask = randomMask(onSpark, 1);
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());

        // when
        new SparkTaskTrainer(sc, sc.broadcast(train), 32, 1, 1).train(onSpark, task, mask, 2, 77);
        new LocalTaskTrainer(train, 32).train(inJvm, task, mask, 2, 77);

        // then
        float[] a = onSpark.params().dup().data().asFloat();
        float[] b = inJvm.params().dup().data().asFloat();
        float[] start = factory.create(10, 42).params().dup().data().asFloat();
        int changed = 0;
        for (int i = 0; i < a.length; i++) {
            assertEquals(b[i], a[i], 1e-5f + 1e-4f * Math.abs(b[i]), "parameter " + i);
            if (mask.isTrainable(i) && a[i] != start[i]) {
                changed++;
            }
        }
        assertTrue(changed > a.length / 2, "training changed only " + changed + " parameters");
    }

    @Test
    void train_withTwoWorkersAndAveraging_keepsFrozenParametersBitIdentical() {
        // given
        MultiLayerNetwork net = factory.create(10, 5);
        ParameterMask mask = randomMask(net, 2);
        float[] before = net.params().dup().data().asFloat();
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());

        // when: three workers' worth of averaging rounds, whose divisions by 2 or 3 may round
        new SparkTaskTrainer(sc, sc.broadcast(train), 16, 3, 2).train(net, task, mask, 2, 8);

        // then
        float[] after = net.params().dup().data().asFloat();
        int changed = 0;
        for (int i = 0; i < after.length; i++) {
            if (mask.isTrainable(i)) {
                changed += after[i] != before[i] ? 1 : 0;
            } else {
                assertEquals(Float.floatToIntBits(before[i] + 0f), Float.floatToIntBits(after[i]),
                        "frozen parameter " + i + " changed");
            }
        }
        assertTrue(changed > 0, "no trainable parameter changed");
    }

    @Test
    void train_withTwoWorkers_isBitIdenticalToTheSameAveragingReplayedInOneJvm() {
        // given: 250 examples in minibatches of 16 = 16 minibatches per epoch, rounds of 2 workers x 3 minibatches,
        // so each epoch ends with a short round (4 minibatches cut 2 + 2) and a short last minibatch
        MultiLayerNetwork onSpark = factory.create(10, 43);
        MultiLayerNetwork inJvm = factory.create(10, 43);
        ParameterMask mask = randomMask(onSpark, 3);
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());

        // when
        new SparkTaskTrainer(sc, sc.broadcast(train), 16, 2, 3).train(onSpark, task, mask, 2, 78);
        new AveragedTrainer(train, 16, 2, 3).train(inJvm, task, mask, 2, 78);

        // then
        assertArrayEquals(inJvm.params().dup().data().asFloat(), onSpark.params().dup().data().asFloat());
        assertArrayEquals(inJvm.getUpdater().getStateViewArray().dup().data().asFloat(),
                onSpark.getUpdater().getStateViewArray().dup().data().asFloat());
        assertEquals(inJvm.getLayerWiseConfigurations().getIterationCount(),
                onSpark.getLayerWiseConfigurations().getIterationCount());
        assertFalse(Arrays.equals(factory.create(10, 43).params().dup().data().asFloat(),
                inJvm.params().dup().data().asFloat()), "training changed nothing");
    }
}
