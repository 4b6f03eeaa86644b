package dev.fisherpacknet.core.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.fisherpacknet.core.Seeds;
import dev.fisherpacknet.core.config.BaselineConfig;
import dev.fisherpacknet.core.config.ConfigLoader;
import dev.fisherpacknet.core.config.EwcMode;
import dev.fisherpacknet.core.config.RunConfig;
import dev.fisherpacknet.core.config.SparkSettings;
import dev.fisherpacknet.core.config.SweepConfig;
import dev.fisherpacknet.core.data.Batches;
import dev.fisherpacknet.core.data.Splits;
import dev.fisherpacknet.core.data.Task;
import dev.fisherpacknet.core.data.TaskStreams;
import dev.fisherpacknet.core.fisher.LocalFisherEstimator;
import dev.fisherpacknet.core.mask.MultiHeadModel;
import dev.fisherpacknet.core.model.NetworkFactory;
import dev.fisherpacknet.core.testing.SyntheticData;
import dev.fisherpacknet.core.train.LocalTaskTrainer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The sequential baselines (finetune, EWC) and joint training on a tiny synthetic stream. */
class BaselineRunTest {

    private static final int BATCH = 32;
    private static final SyntheticData.TrainTest DATA = SyntheticData.trainTest(31, 300, 100, 16, 4);
    private static final Splits.TrainTest SPLIT = new Splits.TrainTest(DATA.train(), DATA.test());

    private static SweepConfig sweep(String extra) {
        return ConfigLoader.fromConfig(ConfigFactory.parseString("""
                seed = 7
                tasks.count = 3
                model.hidden = [32, 24]
                training { learning-rate = 0.01, epochs = 2, retrain-epochs = 1, batch-size = %d }
                spark { workers = 1, partitions = 1 }
                """.formatted(BATCH) + extra), "test");
    }

    private static RunConfig method(SweepConfig sweep, String method) {
        return sweep.runs().stream().filter(r -> r.method().equals(method)).findFirst().orElseThrow();
    }

    /** What a run's observer saw after each task: the trunk and every head so far. */
    private record Observed(RunResult result, List<float[]> trunks, List<List<float[]>> heads, MultiHeadModel model) {
    }

    private static Observed run(RunConfig config, TaskZeroCache cache) {
        List<float[]> trunks = new ArrayList<>();
        List<List<float[]>> heads = new ArrayList<>();
        MultiHeadModel[] last = new MultiHeadModel[1];
        TaskObserver observer = (t, model) -> {
            trunks.add(model.trunk());
            List<float[]> h = new ArrayList<>();
            for (int j = 0; j < model.taskCount(); j++) {
                h.add(model.head(j));
            }
            heads.add(h);
            last[0] = model;
        };
        RunResult result = SweepRun.of(config, SPLIT, new LocalTaskTrainer(DATA.train(), BATCH),
                new LocalFisherEstimator(DATA.train(), BATCH), cache).run(ProgressListener.NONE, observer);
        return new Observed(result, trunks, heads, last[0]);
    }

    private static void assertSameRun(Observed expected, Observed actual) {
        assertEquals(expected.result().accuracy(), actual.result().accuracy());
        for (int t = 0; t < expected.trunks().size(); t++) {
            assertArrayEquals(expected.trunks().get(t), actual.trunks().get(t), "trunk after task " + t);
            for (int j = 0; j <= t; j++) {
                assertArrayEquals(expected.heads().get(t).get(j), actual.heads().get(t).get(j), "head " + j);
            }
        }
    }

    @Test
    void finishedBaseline_savesOneCheckpoint_whoseModelEvaluatesEveryTaskAsTheRunDid() {
        // given: an EWC baseline, its state handed out only once, at the end
        SweepConfig sweep = sweep("baselines = [ewc]\newc.lambda = 10");
        RunConfig config = method(sweep, "ewc-l10-separate");
        List<RunCheckpoint> checkpoints = new ArrayList<>();
        MultiHeadModel[] last = new MultiHeadModel[1];

        // when
        RunResult result = SweepRun.of(config, SPLIT, new LocalTaskTrainer(DATA.train(), BATCH),
                new LocalFisherEstimator(DATA.train(), BATCH), TaskZeroCache.NONE)
                .run(ProgressListener.NONE, (t, model) -> last[0] = model, null, checkpoints::add);

        // then: the restored model predicts every task bit for bit as the run's own model (the whole trunk serves
        // each task), and the checkpoint's R and records are the result's
        assertEquals(1, checkpoints.size());
        RunCheckpoint checkpoint = checkpoints.get(0);
        assertTrue(checkpoint.complete(3));
        assertEquals(result.accuracy(), checkpoint.accuracyMatrix());
        assertEquals(result.tasks(), checkpoint.records());
        MultiHeadModel restored = checkpoint.restore(new NetworkFactory(config.model(), DATA.train().width(),
                config.training().learningRate()));
        List<Task> tasks = TaskStreams.build(config.tasks(), config.seed(), SPLIT);
        for (int j = 0; j < 3; j++) {
            var features = tasks.get(j).testSet(DATA.test()).getFeatures();
            assertArrayEquals(last[0].predict(j, features), restored.predict(j, features), "task " + j);
        }
    }

    @Test
    void ewcWithLambdaZero_isFinetuneBitForBit() {
        // given: the penalty is installed from task 1 on, but with lambda = 0 it adds exact zeros
        SweepConfig sweep = sweep("baselines = [finetune, ewc]\newc { lambda = 0, mode = [separate, online] }");

        // when
        Observed finetune = run(method(sweep, "finetune"), TaskZeroCache.NONE);
        Observed separate = run(method(sweep, "ewc-l0-separate"), TaskZeroCache.NONE);
        Observed online = run(method(sweep, "ewc-l0-online"), TaskZeroCache.NONE);

        // then
        assertSameRun(finetune, separate);
        assertSameRun(finetune, online);
    }

    @Test
    void ewc_pullsTheTrunkTowardsEarlierTasks_weightedByTheirFisher() {
        // given
        SweepConfig sweep = sweep("baselines = [finetune, ewc]\newc.lambda = 1000");
        RunConfig ewcConfig = method(sweep, "ewc-l1000-separate");

        // when
        Observed finetune = run(method(sweep, "finetune"), TaskZeroCache.NONE);
        Observed ewc = run(ewcConfig, TaskZeroCache.NONE);

        // then: task 0 is the same; after task 1, EWC's trunk moved less from task 0's, measured by task 0's Fisher
        assertArrayEquals(finetune.trunks().get(0), ewc.trunks().get(0));
        Task task0 = TaskStreams.build(ewcConfig.tasks(), ewcConfig.seed(), SPLIT).get(0);
        NetworkFactory factory = new NetworkFactory(ewcConfig.model(), 16, 0.01);
        MultiLayerNetwork net = factory.create(task0.numClasses(), 0);
        float[] params = new float[(int) net.numParams()];
        float[] trunk0 = ewc.trunks().get(0);
        System.arraycopy(trunk0, 0, params, 0, trunk0.length);
        float[] head0 = ewc.heads().get(0).get(0);
        System.arraycopy(head0, 0, params, trunk0.length, head0.length);
        net.setParams(Nd4j.create(params, new long[] {1, params.length}, DataType.FLOAT));
        double[] fisher = new LocalFisherEstimator(DATA.train(), BATCH).estimate(net, task0,
                ewcConfig.fisherLabels(), 1).mean();
        assertTrue(moved(fisher, trunk0, ewc.trunks().get(1)) < 0.5 * moved(fisher, trunk0, finetune.trunks().get(1)),
                "EWC moved " + moved(fisher, trunk0, ewc.trunks().get(1)) + ", finetune "
                        + moved(fisher, trunk0, finetune.trunks().get(1)));
    }

    private static double moved(double[] fisher, float[] from, float[] to) {
        double sum = 0;
        for (int i = 0; i < from.length; i++) {
            sum += fisher[i] * (to[i] - (double) from[i]) * (to[i] - (double) from[i]);
        }
        return sum;
    }

    @Test
    void taskZeroFromTheCache_isBitIdenticalToTrainingItInTheRun() {
        // given: a pruned run of the same seed leaves task 0's state in the cache
        SweepConfig sweep = sweep("baselines = [finetune, ewc]\newc.lambda = 10");
        TaskZeroCache cache = TaskZeroCache.inMemory();
        SweepRun.of(sweep.runs().get(0), SPLIT, new LocalTaskTrainer(DATA.train(), BATCH),
                new LocalFisherEstimator(DATA.train(), BATCH), cache).run(ProgressListener.NONE, TaskObserver.NONE);
        assertTrue(cache.find(TaskZeroKey.of(method(sweep, "finetune"))).isPresent());

        for (String name : List.of("finetune", "ewc-l10-separate")) {
            // when
            Observed own = run(method(sweep, name), TaskZeroCache.NONE);
            Observed reused = run(method(sweep, name), cache);

            // then: the same run; the reusing one spent no time on task 0's training
            assertSameRun(own, reused);
            assertEquals(0L, reused.result().tasks().get(0).millisByPhase().get(Phase.TRAIN));
        }
    }

    @Test
    void featureExtraction_freezesTaskZerosTrunk_andTrainsEachHeadAsDl4jsFeatureExtractorDoes() {
        // given
        SweepConfig sweep = sweep("baselines = [finetune, feature-extraction]");
        RunConfig config = method(sweep, "feature-extraction");

        // when
        Observed extraction = run(config, TaskZeroCache.NONE);
        Observed finetune = run(method(sweep, "finetune"), TaskZeroCache.NONE);

        // then: task 0 is finetune's task 0; the trunk never moves after it, so nothing is forgotten, exactly
        assertArrayEquals(finetune.trunks().get(0), extraction.trunks().get(0));
        assertArrayEquals(finetune.heads().get(0).get(0), extraction.heads().get(0).get(0));
        AccuracyMatrix r = extraction.result().accuracy();
        for (int t = 0; t < 3; t++) {
            assertArrayEquals(extraction.trunks().get(0), extraction.trunks().get(t), "trunk after task " + t);
            for (int j = 0; j <= t; j++) {
                assertArrayEquals(extraction.heads().get(j).get(j), extraction.heads().get(t).get(j), "head " + j);
                assertEquals(r.get(j, j), r.get(t, j), "R[" + t + "][" + j + "]");
            }
        }
        assertEquals(0.0, r.bwt());

        // and: task 1's head is what DL4J's own transfer learning trains over the same minibatch plan, with task 0's
        // layers frozen (TransferLearning's feature extractor), written without the project's trainers
        List<Task> tasks = TaskStreams.build(config.tasks(), config.seed(), SPLIT);
        NetworkFactory factory = new NetworkFactory(config.model(), 16, 0.01);
        MultiLayerNetwork start = factory.create(tasks.get(1).numClasses(), Seeds.derive(config.seed(), "init", 1));
        float[] trunk = extraction.trunks().get(0);
        start.params().get(NDArrayIndex.interval(0, 1), NDArrayIndex.interval(0, trunk.length))
                .assign(Nd4j.create(trunk, new long[] {1, trunk.length}, DataType.FLOAT));
        MultiLayerNetwork reference = new TransferLearning.Builder(start).setFeatureExtractor(1).build();
        long shuffleSeed = Seeds.derive(config.seed(), "shuffle", 1, 0);
        for (int epoch = 0; epoch < config.training().epochs(); epoch++) {
            for (int[] positions : Batches.shuffled(tasks.get(1).trainSize(), BATCH,
                    LocalTaskTrainer.epochSeed(shuffleSeed, epoch))) {
                reference.fit(tasks.get(1).trainBatch(DATA.train(), positions));
            }
        }
        float[] referenceParams = reference.params().dup().data().asFloat();
        assertArrayEquals(trunk, java.util.Arrays.copyOf(referenceParams, trunk.length), "DL4J froze the trunk too");
        assertArrayEquals(java.util.Arrays.copyOfRange(referenceParams, trunk.length, referenceParams.length),
                extraction.heads().get(1).get(1));
        assertTrue(r.get(1, 1) > 1.0 / tasks.get(1).numClasses(), "a head on frozen features still learns");
    }

    @Test
    void finetune_evaluatesEachTaskWithItsHeadAndTheWholeFinalTrunk() {
        // given
        RunConfig config = method(sweep("baselines = finetune"), "finetune");

        // when
        Observed finetune = run(config, TaskZeroCache.NONE);

        // then: R[T-1][j] is the accuracy of head j on the final trunk, computed here from the raw parameters
        List<Task> tasks = TaskStreams.build(config.tasks(), config.seed(), SPLIT);
        NetworkFactory factory = new NetworkFactory(config.model(), 16, 0.01);
        int last = tasks.size() - 1;
        float[] trunk = finetune.trunks().get(last);
        for (int j = 0; j < tasks.size(); j++) {
            MultiLayerNetwork net = factory.create(tasks.get(j).numClasses(), 0);
            float[] head = finetune.heads().get(last).get(j);
            float[] params = new float[trunk.length + head.length];
            System.arraycopy(trunk, 0, params, 0, trunk.length);
            System.arraycopy(head, 0, params, trunk.length, head.length);
            net.setParams(Nd4j.create(params, new long[] {1, params.length}, DataType.FLOAT));
            int[] predicted = net.output(tasks.get(j).testSet(DATA.test()).getFeatures()).argMax(1).toIntVector();
            int[] truth = tasks.get(j).testLabels(DATA.test());
            int correct = 0;
            for (int n = 0; n < truth.length; n++) {
                correct += predicted[n] == truth[n] ? 1 : 0;
            }
            assertEquals(correct / (double) truth.length, finetune.result().accuracy().get(last, j), "task " + j);
        }
        assertTrue(finetune.model().sharesTrunk());
        assertTrue(finetune.model().ownership().toArray().length > 0);
        assertTrue(java.util.Arrays.stream(finetune.model().ownership().toArray())
                .allMatch(o -> o == dev.fisherpacknet.core.mask.Ownership.FREE), "a baseline owns nothing");
    }

    @Test
    void joint_hasOnlyTheLastRowOfR_andLearnsEveryTask() {
        // given
        RunConfig config = method(sweep("baselines = joint\ntraining.epochs = 4"), "joint");

        // when
        RunResult result = run(config, TaskZeroCache.NONE).result();

        // then
        AccuracyMatrix r = result.accuracy();
        for (int t = 0; t < 2; t++) {
            for (int j = 0; j <= t; j++) {
                assertTrue(Double.isNaN(r.get(t, j)), "R[" + t + "][" + j + "] is not defined for joint");
            }
        }
        for (int j = 0; j < 3; j++) {
            assertTrue(r.get(2, j) > 0.5, "task " + j + ": " + r.get(2, j) + " above chance (0.25)");
        }
        assertEquals((r.get(2, 0) + r.get(2, 1) + r.get(2, 2)) / 3, r.acc(), 1e-12);
        assertTrue(Double.isNaN(r.bwt()));
        assertEquals(1, result.tasks().size());
        assertEquals(2, result.tasks().get(0).task());
    }

    @Test
    void ewcMemory_separate_isTheSumOfOnePenaltyPerTask_online_theDecayedRunningFisher() {
        // given: three tasks' Fisher diagonals and parameters over 5 trunk parameters (7 in the network)
        Random random = new Random(5);
        double[][] fisher = new double[3][7];
        float[][] params = new float[3][7];
        for (int t = 0; t < 3; t++) {
            for (int i = 0; i < 7; i++) {
                fisher[t][i] = i == 2 ? 0 : random.nextDouble();
                params[t][i] = (float) random.nextGaussian();
            }
        }
        BaselineRun.EwcMemory separate = new BaselineRun.EwcMemory(5, BaselineConfig.ewc(2, EwcMode.SEPARATE, 1));
        BaselineRun.EwcMemory online = new BaselineRun.EwcMemory(5, BaselineConfig.ewc(2, EwcMode.ONLINE, 0.5));
        for (int t = 0; t < 3; t++) {
            separate.add(fisher[t], params[t]);
            online.add(fisher[t], params[t]);
        }
        float[] a = new float[5];
        float[] b = new float[5];
        for (int i = 0; i < 5; i++) {
            a[i] = (float) random.nextGaussian();
            b[i] = (float) random.nextGaussian();
        }

        // then: penalties differ from the direct sums by a constant only, so their differences agree
        double directSeparate = 0;
        double directOnline = 0;
        for (int t = 0; t < 3; t++) {
            double decay = Math.pow(0.5, 2 - t);
            for (int i = 0; i < 5; i++) {
                double da = a[i] - (double) params[t][i];
                double db = b[i] - (double) params[t][i];
                directSeparate += 2 / 2.0 * fisher[t][i] * (da * da - db * db);
                double la = a[i] - (double) params[2][i];
                double lb = b[i] - (double) params[2][i];
                directOnline += 2 / 2.0 * decay * fisher[t][i] * (la * la - lb * lb);
            }
        }
        assertEquals(directSeparate, separate.penalty().value(a) - separate.penalty().value(b), 1e-5);
        assertEquals(directOnline, online.penalty().value(a) - online.penalty().value(b), 1e-5);
        assertEquals(5, separate.penalty().length());
    }

    @Test
    void sweepRunOf_picksTheRunOfEachMethod() {
        SweepConfig sweep = sweep("baselines = [finetune, ewc, joint, feature-extraction]");
        RunConfig pruned = sweep.runs().get(0);
        assertTrue(SweepRun.of(pruned, SPLIT, null, null, TaskZeroCache.NONE) instanceof ContinualRun);
        assertTrue(SweepRun.of(method(sweep, "finetune"), SPLIT, null, null,
                TaskZeroCache.NONE) instanceof BaselineRun);
        assertTrue(SweepRun.of(method(sweep, "ewc-l100-separate"), SPLIT, null, null, TaskZeroCache.NONE)
                instanceof BaselineRun);
        assertTrue(SweepRun.of(method(sweep, "joint"), SPLIT, null, null, TaskZeroCache.NONE) instanceof JointRun);
        assertTrue(SweepRun.of(method(sweep, "feature-extraction"), SPLIT, null, null, TaskZeroCache.NONE)
                instanceof BaselineRun);
        assertTrue(SweepRun.usesTaskZero(pruned) && !SweepRun.usesTaskZero(method(sweep, "joint")));
        assertTrue(SweepRun.usesTaskZero(method(sweep, "feature-extraction")));
        assertEquals(new SparkSettings(1, 1, 5), pruned.spark());
    }
}
