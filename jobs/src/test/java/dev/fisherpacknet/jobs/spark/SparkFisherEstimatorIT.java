package dev.fisherpacknet.jobs.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fisherpacknet.core.data.DataPath;
import dev.fisherpacknet.core.data.IdxReader;
import dev.fisherpacknet.core.data.ImageSet;
import dev.fisherpacknet.core.data.Task;
import dev.fisherpacknet.core.data.TaskStreamConfig;
import dev.fisherpacknet.core.data.TaskStreamKind;
import dev.fisherpacknet.core.data.TaskStreams;
import dev.fisherpacknet.core.fisher.FisherDiagonal;
import dev.fisherpacknet.core.fisher.LabelMode;
import dev.fisherpacknet.core.fisher.LocalFisherEstimator;
import dev.fisherpacknet.core.model.ModelConfig;
import dev.fisherpacknet.core.model.NetworkFactory;
import dev.fisherpacknet.jobs.SparkTestSession;
import dev.fisherpacknet.jobs.SyntheticIdx;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.StageInfo;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import scala.collection.JavaConverters;

class SparkFisherEstimatorIT extends SparkTestSession {

    @TempDir
    Path dir;

    private ImageSet train;
    private ImageSet test;
    private MultiLayerNetwork net;
    private JavaSparkContext sc;
    private TrainShards shards;

    @BeforeEach
    void data() throws Exception {
        SyntheticIdx.write(dir, 300, 10, 7);
        train = IdxReader.read(dir.resolve("train-images-idx3-ubyte"), dir.resolve("train-labels-idx1-ubyte"), 10);
        test = IdxReader.read(dir.resolve("t10k-images-idx3-ubyte"), dir.resolve("t10k-labels-idx1-ubyte"), 10);
        net = new NetworkFactory(new ModelConfig(List.of(12, 8), "relu"), train.width(), 1e-3).create(10, 11);
        sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        shards = TrainShards.fromIdx(sc, new HadoopStore(sc.hadoopConfiguration()),
                DataPath.of(dir.resolve("train-images-idx3-ubyte")),
                        DataPath.of(dir.resolve("train-labels-idx1-ubyte")),
                10);
    }

    private Task permuted() {
        return TaskStreams.build(new TaskStreamConfig(TaskStreamKind.PERMUTED, 2, List.of()), 3, train, test).get(1);
    }

    @ParameterizedTest
    @EnumSource(LabelMode.class)
    void fisher_onOneThreeOrEightPartitions_agreesAcrossCountsAndBitForBitWithOneJvmAndWithItself(LabelMode mode) {
        for (Task task : List.of(permuted(), TaskStreams.build(new TaskStreamConfig(TaskStreamKind.SPLIT, 2,
                List.of(List.of(1, 2, 5), List.of(0, 8))), 3, train, test).get(0))) {
            List<double[]> means = new ArrayList<>();
            for (int partitions : new int[] {1, 3, 8}) {
                // when
                FisherDiagonal onSpark = new SparkFisherEstimator(sc, shards, 32, partitions, 2)
                        .estimate(net, task, mode, 5);
                FisherDiagonal again = new SparkFisherEstimator(sc, shards, 32, partitions, 3)
                        .estimate(net, task, mode, 5);
                FisherDiagonal inJvm = new LocalFisherEstimator(train, 32, partitions).estimate(net, task, mode, 5);

                // then
                assertEquals(task.trainSize(), onSpark.count());
                assertArrayEquals(inJvm.sum(), onSpark.sum(), "one JVM, " + partitions + " partitions");
                assertArrayEquals(onSpark.sum(), again.sum(), "rerun, " + partitions + " partitions");
                means.add(onSpark.mean());
            }
            assertMaxRelativeError(means.get(0), means.get(1), 1e-6);
            assertMaxRelativeError(means.get(0), means.get(2), 1e-6);
        }
    }

    @Test
    void fisher_withTreeDepthTwo_theDriverReceivesFewerResultsThanThereArePartitions() throws Exception {
        // given: the eight partitions read before recording starts
        shards.partitions(8);
        List<Integer> resultTasks = Collections.synchronizedList(new ArrayList<>());
        SparkListener listener = new SparkListener() {
            @Override
            public void onJobStart(SparkListenerJobStart job) {
                StageInfo last = null;
                for (StageInfo stage : JavaConverters.seqAsJavaListConverter(job.stageInfos()).asJava()) {
                    if (last == null || stage.stageId() > last.stageId()) {
                        last = stage;
                    }
                }
                resultTasks.add(last.numTasks());
            }
        };
        spark.sparkContext().addSparkListener(listener);
        try {
            // when
            new SparkFisherEstimator(sc, shards, 32, 8, 2).estimate(net, permuted(), LabelMode.EMPIRICAL, 5);
            spark.sparkContext().listenerBus().waitUntilEmpty();
            List<Integer> tree = List.copyOf(resultTasks);
            resultTasks.clear();
            new SparkFisherEstimator(sc, shards, 32, 8, 1).estimate(net, permuted(), LabelMode.EMPIRICAL, 5);
            spark.sparkContext().listenerBus().waitUntilEmpty();
            List<Integer> flat = List.copyOf(resultTasks);

            // then: two passes (maxima, sums); with depth 2 each sends the driver a few combined sums, with depth 1
            // (the control) one per partition
            assertEquals(2, tree.size(), "jobs " + tree);
            assertTrue(tree.stream().allMatch(n -> n <= 3), "tasks sending results to the driver: " + tree);
            assertEquals(List.of(8, 8), flat);
        } finally {
            spark.sparkContext().removeSparkListener(listener);
        }
    }

    /**
     * The diagonals agree within {@code tolerance} relative as vectors (L1), and every element within
     * {@code tolerance} of the largest. Not element by element relative: partitionings cut different minibatches,
     * BLAS rounds a row's products differently in minibatches of different sizes, and for a confidently right
     * example p - y cancels, so the tiny elements fed by such examples move by more than 1e-6 of themselves
     * (measured: 1.3e-6 at 2.7e-6 of the largest element).
     */
    static void assertMaxRelativeError(double[] expected, double[] actual, double tolerance) {
        assertEquals(expected.length, actual.length);
        double scale = 0;
        double l1 = 0;
        double l1Difference = 0;
        for (int i = 0; i < expected.length; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
            l1 += Math.abs(expected[i]);
            l1Difference += Math.abs(expected[i] - actual[i]);
        }
        assertTrue(l1Difference <= tolerance * l1, "L1 relative difference " + l1Difference / l1);
        for (int i = 0; i < expected.length; i++) {
            double error = Math.abs(expected[i] - actual[i]) / scale;
            if (error > tolerance) {
                throw new AssertionError("parameter " + i + ": expected " + expected[i] + ", got " + actual[i]
                        + " (error " + error + " of the largest element, " + scale + ")");
            }
        }
    }
}
