package dev.fisherpacknet.jobs.spark;

import dev.fisherpacknet.core.data.RecordRanges;
import dev.fisherpacknet.core.data.ShardRule;
import dev.fisherpacknet.core.data.TrainingExamples;
import dev.fisherpacknet.core.model.NativeThreads;
import dev.fisherpacknet.core.train.AveragedTrainer;
import dev.fisherpacknet.core.train.LocalTaskTrainer;
import dev.fisherpacknet.core.train.ParameterMask;
import dev.fisherpacknet.core.train.ShardAveraging;
import dev.fisherpacknet.core.train.TaskTrainer;
import dev.fisherpacknet.core.train.TrainingState;
import dev.fisherpacknet.core.train.TrainingStep;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.LongAccumulator;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Masked training on the executor-held records ({@link TrainShards}), by {@link ShardAveraging}'s procedure: each
 * round is one Spark job over the partitions, where every worker rebuilds the network from its configuration and
 * the round's starting state (one broadcast), fits its minibatches with the fused {@link TrainingStep}, and returns
 * its state; the states are summed by {@code treeAggregate} and the driver takes their mean. With one worker the
 * whole phase is one round in one task over all records, which is sequential training ({@link LocalTaskTrainer})
 * bit for bit; with two, the one-JVM replay {@link AveragedTrainer} bit for bit. The data never leave the
 * executors; what moves per round is the state (parameters and Adam's two moments) out and one state per worker
 * back. The network's training listeners (the EWC penalty) travel with the phase as a broadcast.
 */
public final class ShardTrainer implements TaskTrainer {
    private final JavaSparkContext sc;
    private final TrainShards shards;
    private final int batchSize;
    private final int workers;
    private final int averagingFrequency;
    private final int treeDepth;
    private final RoundCosts costs;

    /**
     * @param shards             the executor-held training records
     * @param batchSize          examples per minibatch on each worker
     * @param workers            replicas, one per partition of the records; 1 for sequential training
     * @param averagingFrequency minibatches per worker between averagings
     * @param treeDepth          depth of the {@code treeAggregate} that sums the replicas
     */
    public ShardTrainer(JavaSparkContext sc, TrainShards shards, int batchSize, int workers, int averagingFrequency,
                 int treeDepth) {
        this.sc = sc;
        this.shards = shards;
        this.batchSize = batchSize;
        this.workers = workers;
        this.averagingFrequency = averagingFrequency;
        this.treeDepth = treeDepth;
        this.costs = new RoundCosts(sc);
    }

    /** What the rounds trained so far cost, split into compute on the workers and everything around it. */
    public RoundCosts costs() {
        return costs;
    }

    @Override
    public void train(MultiLayerNetwork net, TrainingExamples task, ParameterMask mask, int epochs, long shuffleSeed) {
        RecordRanges ranges = shards.ranges(workers);
        int[] batches = new int[workers];
        for (int w = 0; w < workers; w++) {
            batches[w] = ShardAveraging.batchesPerEpoch(task.positionsIn(ranges.first(w), ranges.end(w)).length,
                    batchSize);
        }
        JavaRDD<TrainShards.Shard> data = workers == 1 ? shards.whole() : shards.partitions(workers);
        String configuration = net.getLayerWiseConfigurations().toJson();
        ShardRule rule = task.rule();
        try (PhaseBroadcasts shared = PhaseBroadcasts.of(sc, mask, net)) {
            for (List<ShardAveraging.Segment> round : ShardAveraging.rounds(batches, epochs, averagingFrequency)) {
                long start = System.nanoTime();
                Broadcast<TrainingState> state = sc.broadcast(TrainingState.capture(net));
                try {
                    ShardAveraging.ReplicaSum sum = data
                            .mapPartitions(new FitRound(configuration, state, shared.mask(), shared.listeners(), rule,
                                    round, batchSize, shuffleSeed, costs.compute(), costs.setup(),
                                    TaskProbe.of(sc.getConf())))
                            .treeAggregate(ShardAveraging.ReplicaSum.EMPTY, ShardAveraging.ReplicaSum::plus,
                                    ShardAveraging.ReplicaSum::plus, treeDepth);
                    sum.mean().restoreInto(net);
                } finally {
                    state.destroy();
                }
                mask.apply(net.params());
                costs.roundEnded(System.nanoTime() - start);
            }
        }
        mask.apply(net.params());
    }

    /**
     * The loss on examples the executors hold: each partition that holds some of {@code positions} (ascending)
     * makes them into a minibatch slice, the driver joins the slices in partition order and scores them.
     */
    @Override
    public double loss(MultiLayerNetwork net, TrainingExamples task, int[] positions) {
        for (int n = 1; n < positions.length; n++) {
            if (positions[n] <= positions[n - 1]) {
                throw new IllegalArgumentException("positions must ascend");
            }
        }
        int parts = shards.anyPartitionCount(workers);
        RecordRanges ranges = shards.ranges(parts);
        Map<Integer, int[]> wanted = new HashMap<>();
        int offset = 0;
        for (int p = 0; p < parts; p++) {
            int held = task.positionsIn(ranges.first(p), ranges.end(p)).length;
            int from = offset;
            int[] local = IntStream.of(positions).filter(pos -> pos >= from && pos < from + held)
                    .map(pos -> pos - from).toArray();
            if (local.length > 0) {
                wanted.put(p, local);
            }
            offset += held;
        }
        ShardRule rule = task.rule();
        List<DataSet> slices = new ArrayList<>(shards.partitions(parts)
                .mapPartitions((FlatMapFunction<Iterator<TrainShards.Shard>, Slice>) partition -> {
                    TrainShards.Shard shard = partition.next();
                    int[] local = wanted.get(shard.index());
                    if (local == null) {
                        return Collections.emptyIterator();
                    }
                    DataSet batch = rule.on(shard.records()).trainBatch(shard.records(), local);
                    return List.of(new Slice(shard.index(), batch.getFeatures().dup().data().asFloat(),
                            batch.getLabels().dup().data().asFloat(), batch.getLabels().columns()))
                            .iterator();
                })
                .collect().stream().sorted(Comparator.comparingInt(Slice::partition))
                .map(Slice::toDataSet).toList());
        return net.score(DataSet.merge(slices), false);
    }

    /** Some examples of one partition, as plain arrays. */
    private record Slice(int partition, float[] features, float[] labels, int classes) implements Serializable {
        DataSet toDataSet() {
            int rows = labels.length / classes;
            return new DataSet(Nd4j.create(features, new long[] {rows, features.length / rows}, DataType.FLOAT),
                    Nd4j.create(labels, new long[] {rows, classes}, DataType.FLOAT));
        }
    }

    /** One worker's share of a round, on the executor holding its partition. */
    private record FitRound(String configuration, Broadcast<TrainingState> start, Broadcast<ParameterMask> mask,
                            Broadcast<List<TrainingListener>> listeners, ShardRule rule,
                            List<ShardAveraging.Segment> segments, int batchSize, long shuffleSeed,
                            LongAccumulator computeNanos, LongAccumulator setupNanos, TaskProbe probe)
            implements FlatMapFunction<Iterator<TrainShards.Shard>, ShardAveraging.ReplicaSum> {
        @Override
        public Iterator<ShardAveraging.ReplicaSum> call(Iterator<TrainShards.Shard> partition) {
            NativeThreads.pin();
            long begin = System.nanoTime();
            TrainShards.Shard shard = partition.next();
            MultiLayerNetwork net = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(configuration));
            net.init();
            start.value().restoreInto(net);
            if (listeners != null) {
                net.setListeners(listeners.value());
            }
            TrainingStep step = TrainingStep.of(net);
            TrainingExamples examples = rule.on(shard.records());
            long fitting = System.nanoTime();
            setupNanos.add(fitting - begin);
            TrainingState trained = ShardAveraging.fitRound(net, step, mask.value(), segments, shard.index(),
                    examples.trainSize(), batchSize, shuffleSeed, local -> {
                        probe.reached("train");
                        return examples.trainBatch(shard.records(), local);
                    });
            computeNanos.add(System.nanoTime() - fitting);
            return List.of(ShardAveraging.ReplicaSum.of(trained)).iterator();
        }
    }

    /**
     * The cost of the rounds a trainer ran: their wall time on the driver, and, summed over workers, the time spent
     * fitting minibatches and the time spent making the network ready (rebuild, state, listeners, shard view).
     */
    public static final class RoundCosts {
        private final LongAccumulator compute;
        private final LongAccumulator setup;
        private long rounds;
        private long wallNanos;

        RoundCosts(JavaSparkContext sc) {
            this.compute = sc.sc().longAccumulator("round compute ns");
            this.setup = sc.sc().longAccumulator("round setup ns");
        }

        LongAccumulator compute() {
            return compute;
        }

        LongAccumulator setup() {
            return setup;
        }

        void roundEnded(long nanos) {
            rounds++;
            wallNanos += nanos;
        }

        public long rounds() {
            return rounds;
        }

        public double wallSeconds() {
            return wallNanos / 1e9;
        }

        public double computeSeconds() {
            return compute.value() / 1e9;
        }

        public double setupSeconds() {
            return setup.value() / 1e9;
        }
    }
}
