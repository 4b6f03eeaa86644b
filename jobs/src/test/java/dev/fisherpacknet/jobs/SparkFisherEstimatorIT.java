package dev.fisherpacknet.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.fisherpacknet.core.config.ModelConfig;
import dev.fisherpacknet.core.config.TaskStreamConfig;
import dev.fisherpacknet.core.data.IdxReader;
import dev.fisherpacknet.core.data.ImageSet;
import dev.fisherpacknet.core.data.Task;
import dev.fisherpacknet.core.data.TaskStreamKind;
import dev.fisherpacknet.core.data.TaskStreams;
import dev.fisherpacknet.core.fisher.FisherDiagonal;
import dev.fisherpacknet.core.fisher.LabelMode;
import dev.fisherpacknet.core.fisher.LocalFisherEstimator;
import dev.fisherpacknet.core.model.NetworkFactory;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SparkFisherEstimatorIT extends SparkTestSession {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(LabelMode.class)
    void fisher_onOneOrFourPartitions_agreesWithItselfAndWithOneJvm(LabelMode mode) throws Exception {
        // given: a permuted task over synthetic data and a network with random weights
        SyntheticIdx.write(dir, 300, 10, 7);
        ImageSet train = IdxReader.read(dir.resolve("train-images-idx3-ubyte"), dir.resolve("train-labels-idx1-ubyte"), 10);
        ImageSet test = IdxReader.read(dir.resolve("t10k-images-idx3-ubyte"), dir.resolve("t10k-labels-idx1-ubyte"), 10);
        Task task = TaskStreams.build(new TaskStreamConfig(TaskStreamKind.PERMUTED, 2, List.of()), 3, train, test).get(1);
        MultiLayerNetwork net = new NetworkFactory(new ModelConfig(List.of(12, 8), "relu"), train.width(), 1e-3)
                .create(10, 11);
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<ImageSet> base = sc.broadcast(train);

        // when
        FisherDiagonal one = new SparkFisherEstimator(sc, base, 32, 1).estimate(net, task, mode, 5);
        FisherDiagonal four = new SparkFisherEstimator(sc, base, 32, 4).estimate(net, task, mode, 5);
        FisherDiagonal local = new LocalFisherEstimator(train, 32).estimate(net, task, mode, 5);

        // then
        assertEquals(300, one.count());
        assertEquals(300, four.count());
        assertMaxRelativeError(one.mean(), four.mean(), 1e-6);
        assertMaxRelativeError(local.mean(), four.mean(), 1e-6);
        // The same four groups summed in one JVM, in the same order: bit for bit.
        assertArrayEquals(new LocalFisherEstimator(train, 32, 4).estimate(net, task, mode, 5).sum(), four.sum());
        assertArrayEquals(local.sum(), one.sum());
    }

    static void assertMaxRelativeError(double[] expected, double[] actual, double tolerance) {
        assertEquals(expected.length, actual.length);
        double scale = 0;
        for (double e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        for (int i = 0; i < expected.length; i++) {
            double error = Math.abs(expected[i] - actual[i]) / Math.max(Math.abs(expected[i]), 1e-12 * scale);
            if (Math.abs(expected[i]) > 1e-9 * scale && error > tolerance) {
                throw new AssertionError("parameter " + i + ": expected " + expected[i] + ", got " + actual[i]
                        + " (relative error " + error + ")");
            }
        }
    }
}
