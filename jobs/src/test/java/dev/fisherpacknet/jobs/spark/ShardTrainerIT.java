package dev.fisherpacknet.jobs.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fisherpacknet.core.data.DataPath;
import dev.fisherpacknet.core.data.IdxReader;
import dev.fisherpacknet.core.data.ImageSet;
import dev.fisherpacknet.core.data.JointExamples;
import dev.fisherpacknet.core.data.Task;
import dev.fisherpacknet.core.data.TaskStreamConfig;
import dev.fisherpacknet.core.data.TaskStreamKind;
import dev.fisherpacknet.core.data.TaskStreams;
import dev.fisherpacknet.core.data.TrainingExamples;
import dev.fisherpacknet.core.model.ModelConfig;
import dev.fisherpacknet.core.model.NetworkFactory;
import dev.fisherpacknet.core.train.AveragedTrainer;
import dev.fisherpacknet.core.train.LocalTaskTrainer;
import dev.fisherpacknet.core.train.ParameterMask;
import dev.fisherpacknet.jobs.SparkTestSession;
import dev.fisherpacknet.jobs.SyntheticIdx;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShardTrainerIT extends SparkTestSession {

    @TempDir
    Path dir;

    private ImageSet train;
    private ImageSet test;
    private Task task;
    private NetworkFactory factory;
    private JavaSparkContext sc;
    private TrainShards shards;

    @BeforeEach
    void data() throws Exception {
        SyntheticIdx.write(dir, 250, 10, 3);
        train = IdxReader.read(dir.resolve("train-images-idx3-ubyte"), dir.resolve("train-labels-idx1-ubyte"), 10);
        test = IdxReader.read(dir.resolve("t10k-images-idx3-ubyte"), dir.resolve("t10k-labels-idx1-ubyte"), 10);
        task = TaskStreams.build(new TaskStreamConfig(TaskStreamKind.PERMUTED, 2, List.of()), 9, train, test).get(1);
        factory = new NetworkFactory(new ModelConfig(List.of(12), "relu"), train.width(), 1e-2);
        sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        // Read by the executors from the files, not shipped from the driver.
        shards = TrainShards.fromIdx(sc, new HadoopStore(sc.hadoopConfiguration()),
                DataPath.of(dir.resolve("train-images-idx3-ubyte")),
                        DataPath.of(dir.resolve("train-labels-idx1-ubyte")),
                10);
        assertTrue(shards.readByExecutors());
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

    private static float[] params(MultiLayerNetwork net) {
        return net.params().dup().data().asFloat();
    }

    private static void assertSameState(MultiLayerNetwork expected, MultiLayerNetwork actual) {
        assertArrayEquals(params(expected), params(actual));
        assertArrayEquals(expected.getUpdater().getStateViewArray().dup().data().asFloat(),
                actual.getUpdater().getStateViewArray().dup().data().asFloat());
        assertEquals(expected.getLayerWiseConfigurations().getIterationCount(),
                actual.getLayerWiseConfigurations().getIterationCount());
    }

    @Test
    void train_withOneWorker_isSequentialTrainingBitForBit_asOneSparkTaskOverEveryRecord() {
        // given: two identical networks and one mask; a 3-partition copy exists, which one worker reads whole
        shards.partitions(3);
        MultiLayerNetwork onSpark = factory.create(10, 42);
        MultiLayerNetwork inJvm = factory.create(10, 42);
        ParameterMask mask = randomMask(onSpark, 1);

        // when
        new ShardTrainer(sc, shards, 32, 1, 1, 2).train(onSpark, task, mask, 2, 77);
        new LocalTaskTrainer(train, 32).train(inJvm, task, mask, 2, 77);

        // then
        assertSameState(inJvm, onSpark);
        assertFalse(Arrays.equals(params(factory.create(10, 42)), params(inJvm)), "training changed nothing");
    }

    @Test
    void train_withThreeWorkers_keepsFrozenParametersBitIdentical() {
        // given
        MultiLayerNetwork net = factory.create(10, 5);
        ParameterMask mask = randomMask(net, 2);
        float[] before = params(net);

        // when: three workers, whose mean divides by 3 and may round
        new ShardTrainer(sc, shards, 16, 3, 2, 2).train(net, task, mask, 2, 8);

        // then
        float[] after = params(net);
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
        // given: 125 records per shard in minibatches of 16 = 8 per epoch (the last short), rounds of 3
        MultiLayerNetwork onSpark = factory.create(10, 43);
        MultiLayerNetwork inJvm = factory.create(10, 43);
        ParameterMask mask = randomMask(onSpark, 3);

        // when
        new ShardTrainer(sc, shards, 16, 2, 3, 2).train(onSpark, task, mask, 2, 78);
        new AveragedTrainer(train, 16, 2, 3).train(inJvm, task, mask, 2, 78);

        // then
        assertSameState(inJvm, onSpark);
        assertFalse(Arrays.equals(params(factory.create(10, 43)), params(inJvm)), "training changed nothing");
    }

    @Test
    void train_splitAndJointExamplesOnTwoWorkers_selectTheSameRecordsAsTheReplay() {
        // given: a class-split task (shards of unequal size) and joint training over two split tasks
        List<Task> split = TaskStreams.build(new TaskStreamConfig(TaskStreamKind.SPLIT, 2,
                List.of(List.of(0, 3, 4), List.of(7, 9))), 9, train, test);
        JointExamples joint = new JointExamples(split);
        NetworkFactory jointFactory = new NetworkFactory(new ModelConfig(List.of(12), "relu"), train.width(), 1e-2);
        for (TrainingExamples examples : List.<TrainingExamples>of(split.get(0), joint)) {
            int classes = examples instanceof JointExamples j ? j.totalClasses() : 3;
            MultiLayerNetwork onSpark = jointFactory.create(classes, 44);
            MultiLayerNetwork inJvm = jointFactory.create(classes, 44);
            ParameterMask mask = randomMask(onSpark, 4);

            // when
            new ShardTrainer(sc, TrainShards.fromDriver(sc, train), 8, 2, 2, 1).train(onSpark, examples, mask, 1, 79);
            new AveragedTrainer(train, 8, 2, 2).train(inJvm, examples, mask, 1, 79);

            // then
            assertSameState(inJvm, onSpark);
        }
    }
}
