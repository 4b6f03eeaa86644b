package dev.fisherpacknet.jobs;

import dev.fisherpacknet.core.data.Batches;
import dev.fisherpacknet.core.data.ImageSet;
import dev.fisherpacknet.core.data.Task;
import dev.fisherpacknet.core.fisher.FisherAccumulator;
import dev.fisherpacknet.core.fisher.FisherDiagonal;
import dev.fisherpacknet.core.fisher.FisherEstimator;
import dev.fisherpacknet.core.fisher.LabelMode;
import dev.fisherpacknet.core.fisher.LocalFisherEstimator;
import dev.fisherpacknet.core.model.NativeThreads;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The Fisher diagonal on Spark: the task's minibatches are cut into contiguous groups, one per partition, exactly
 * as {@link LocalFisherEstimator} groups them; each partition sums the exact per-example squared gradients of its
 * examples in double precision (with the network broadcast once), and the driver adds the partition sums in
 * partition order and divides by N. A fixed order makes the result independent of which executor finishes
 * first, so it is bit-identical to {@link LocalFisherEstimator} with the same partition count; the price is that
 * the driver holds all partition sums at once (8 bytes per parameter per partition).
 */
final class SparkFisherEstimator implements FisherEstimator {
    private final JavaSparkContext sc;
    private final Broadcast<ImageSet> baseTrain;
    private final int batchSize;
    private final int partitions;

    SparkFisherEstimator(JavaSparkContext sc, Broadcast<ImageSet> baseTrain, int batchSize, int partitions) {
        this.sc = sc;
        this.baseTrain = baseTrain;
        this.batchSize = batchSize;
        this.partitions = partitions;
    }

    @Override
    public FisherDiagonal estimate(MultiLayerNetwork net, Task task, LabelMode mode, long sampleSeed) {
        Broadcast<float[]> params = sc.broadcast(net.params().dup().data().asFloat());
        try {
            List<int[]> batches = Batches.sequential(task.trainSize(), batchSize);
            List<List<int[]>> groups = Batches.slices(batches,
                    LocalFisherEstimator.groupCount(batches.size(), partitions));
            PartitionFisher partial = new PartitionFisher(baseTrain, task, net.getLayerWiseConfigurations().toJson(),
                    params, mode, sampleSeed);
            FisherDiagonal total = FisherDiagonal.EMPTY;
            for (FisherDiagonal sum : sc.parallelize(groups, groups.size()).map(partial).collect()) {
                total = total.plus(sum);
            }
            return total;
        } finally {
            params.destroy();
        }
    }

    /** One group's sum: rebuilds the network from its JSON and broadcast parameters, then adds each batch. */
    private record PartitionFisher(Broadcast<ImageSet> base, Task task, String confJson, Broadcast<float[]> params,
                                   LabelMode mode, long sampleSeed)
            implements Function<List<int[]>, FisherDiagonal> {
        @Override
        public FisherDiagonal call(List<int[]> batches) {
            NativeThreads.pin();
            float[] values = params.value();
            MultiLayerNetwork net = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(confJson));
            net.init(Nd4j.create(values, new long[] {1, values.length}, DataType.FLOAT), false);
            FisherAccumulator accumulator = new FisherAccumulator(net, mode, sampleSeed);
            for (int[] positions : batches) {
                LocalFisherEstimator.addBatch(accumulator, task, base.value(), positions);
                // After a batch: a task failing here holds a partial sum that must never reach the driver.
                InjectedFaults.failFirstAttempt("fisher");
            }
            return accumulator.result();
        }
    }
}
