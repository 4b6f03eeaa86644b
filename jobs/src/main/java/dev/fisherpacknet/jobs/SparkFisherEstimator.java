package dev.fisherpacknet.jobs;

import dev.fisherpacknet.core.data.Batches;
import dev.fisherpacknet.core.data.ImageSet;
import dev.fisherpacknet.core.data.Task;
import dev.fisherpacknet.core.fisher.FisherAccumulator;
import dev.fisherpacknet.core.fisher.FisherDiagonal;
import dev.fisherpacknet.core.fisher.FisherEstimator;
import dev.fisherpacknet.core.fisher.LabelMode;
import dev.fisherpacknet.core.fisher.LocalFisherEstimator;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The Fisher diagonal on Spark: the task's minibatches are spread over partitions, each partition sums the exact
 * per-example squared gradients of its examples (with the network broadcast once), the partial sums are combined
 * with {@code treeAggregate}, and the driver divides by N. Minibatches are the same as in
 * {@link LocalFisherEstimator}, so only the order of the double-precision additions depends on the partitioning.
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
            PartitionFisher partial = new PartitionFisher(baseTrain, task, net.getLayerWiseConfigurations().toJson(),
                    params, mode, sampleSeed);
            return sc.parallelize(batches, Math.min(partitions, batches.size()))
                    .mapPartitions(partial)
                    .treeAggregate(FisherDiagonal.EMPTY, FisherDiagonal::plus, FisherDiagonal::plus);
        } finally {
            params.destroy();
        }
    }

    /** One partition's sum: rebuilds the network from its JSON and broadcast parameters, then adds each batch. */
    private record PartitionFisher(Broadcast<ImageSet> base, Task task, String confJson, Broadcast<float[]> params,
                                   LabelMode mode, long sampleSeed)
            implements FlatMapFunction<Iterator<int[]>, FisherDiagonal> {
        @Override
        public Iterator<FisherDiagonal> call(Iterator<int[]> batches) {
            float[] values = params.value();
            MultiLayerNetwork net = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(confJson));
            net.init(Nd4j.create(values, new long[] {1, values.length}, DataType.FLOAT), false);
            FisherAccumulator accumulator = new FisherAccumulator(net, mode, sampleSeed);
            while (batches.hasNext()) {
                LocalFisherEstimator.addBatch(accumulator, task, base.value(), batches.next());
            }
            return List.of(accumulator.result()).iterator();
        }
    }
}
