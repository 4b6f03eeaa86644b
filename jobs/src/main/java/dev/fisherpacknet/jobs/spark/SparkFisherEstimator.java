package dev.fisherpacknet.jobs.spark;

import dev.fisherpacknet.core.data.Batches;
import dev.fisherpacknet.core.data.RecordRanges;
import dev.fisherpacknet.core.data.ShardRule;
import dev.fisherpacknet.core.data.Task;
import dev.fisherpacknet.core.fisher.ExactFisherSum;
import dev.fisherpacknet.core.fisher.FisherAccumulator;
import dev.fisherpacknet.core.fisher.FisherDiagonal;
import dev.fisherpacknet.core.fisher.FisherEstimator;
import dev.fisherpacknet.core.fisher.LabelMode;
import dev.fisherpacknet.core.fisher.LocalFisherEstimator;
import dev.fisherpacknet.core.model.NativeThreads;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The Fisher diagonal on Spark, where the records are: each partition of the executor-held training records
 * ({@link TrainShards}) sums the exact per-example squared gradients of the task examples it holds, in double
 * precision, in minibatches (with the network's parameters broadcast once); the partial sums stay on the
 * executors and are combined by two {@code treeAggregate} passes, one for their maxima and one for their sum in
 * {@link ExactFisherSum}'s integers. Neither the driver nor an executor holds more than a few partial sums at once
 * (the tree's fan-in), and because integer addition is exact the result does not depend on which executor finishes
 * first: bit-identical across reruns, and to {@link LocalFisherEstimator} with the same partition count.
 */
public final class SparkFisherEstimator implements FisherEstimator {
    private final JavaSparkContext sc;
    private final TrainShards shards;
    private final int batchSize;
    private final int partitions;
    private final int treeDepth;

    /**
     * @param shards     the executor-held training records
     * @param batchSize  examples per minibatch
     * @param partitions partitions of the records to sum separately
     * @param treeDepth  depth of the {@code treeAggregate} reductions (1: every partial straight to the driver)
     */
    public SparkFisherEstimator(JavaSparkContext sc, TrainShards shards, int batchSize, int partitions, int treeDepth) {
        this.sc = sc;
        this.shards = shards;
        this.batchSize = batchSize;
        this.partitions = partitions;
        this.treeDepth = treeDepth;
    }

    @Override
    public FisherDiagonal estimate(MultiLayerNetwork net, Task task, LabelMode mode, long sampleSeed) {
        RecordRanges ranges = shards.ranges(partitions);
        // A partition's examples are positions [offset, offset + n) of the task: ids for the label draws.
        int[] offsets = new int[partitions];
        for (int p = 1; p < partitions; p++) {
            offsets[p] = offsets[p - 1] + task.positionsIn(ranges.first(p - 1), ranges.end(p - 1)).length;
        }
        Broadcast<float[]> params = sc.broadcast(net.params().dup().data().asFloat());
        Broadcast<ExactFisherSum.Scale> scale = null;
        JavaRDD<FisherDiagonal> partials = shards.partitions(partitions)
                .map(new PartitionFisher(net.getLayerWiseConfigurations().toJson(), params, task.rule(), offsets,
                        batchSize, mode, sampleSeed, TaskProbe.of(sc.getConf())))
                .setName("Fisher partial sums of task " + task.index())
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            double[] maxima = partials.treeAggregate(ExactFisherSum.EMPTY_MAXIMA, ExactFisherSum::maxima,
                    ExactFisherSum::maxima, treeDepth);
            ExactFisherSum.Scale exact = ExactFisherSum.Scale.of(maxima, partitions);
            Broadcast<ExactFisherSum.Scale> shared = sc.broadcast(exact);
            scale = shared;
            ExactFisherSum.Fixed total = partials.treeAggregate(ExactFisherSum.Fixed.EMPTY,
                    (sum, partial) -> sum.plus(ExactFisherSum.Fixed.of(partial, shared.value())),
                    ExactFisherSum.Fixed::plus, treeDepth);
            return total.toDiagonal(exact);
        } finally {
            partials.unpersist();
            params.destroy();
            if (scale != null) {
                scale.destroy();
            }
        }
    }

    /** One partition's sum: rebuilds the network from its JSON and broadcast parameters, then adds each batch. */
    private record PartitionFisher(String confJson, Broadcast<float[]> params, ShardRule.OfTask rule, int[] offsets,
                                   int batchSize, LabelMode mode, long sampleSeed, TaskProbe probe)
            implements Function<TrainShards.Shard, FisherDiagonal> {
        @Override
        public FisherDiagonal call(TrainShards.Shard shard) {
            NativeThreads.pin();
            float[] values = params.value();
            MultiLayerNetwork net = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(confJson));
            net.init(Nd4j.create(values, new long[] {1, values.length}, DataType.FLOAT), false);
            Task local = rule.on(shard.records());
            FisherAccumulator accumulator = new FisherAccumulator(net, mode, sampleSeed);
            for (int[] batch : Batches.sequential(local.trainSize(), batchSize)) {
                int[] ids = new int[batch.length];
                for (int n = 0; n < batch.length; n++) {
                    ids[n] = offsets[shard.index()] + batch[n];
                }
                LocalFisherEstimator.addBatch(accumulator, local.trainBatch(shard.records(), batch), ids);
                // After a batch: a task failing here holds a partial sum that must never reach the driver.
                probe.reached("fisher");
            }
            return accumulator.result();
        }
    }
}
