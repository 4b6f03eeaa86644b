package dev.fisherpacknet.jobs;

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
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.LongAccumulator;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;

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
final class ShardTrainer implements TaskTrainer {
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
    ShardTrainer(JavaSparkContext sc, TrainShards shards, int batchSize, int workers, int averagingFrequency,
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
    RoundCosts costs() {
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
                                    round, batchSize, shuffleSeed, costs.compute(), costs.setup()))
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

    /** One worker's share of a round, on the executor holding its partition. */
    private record FitRound(String configuration, Broadcast<TrainingState> start, Broadcast<ParameterMask> mask,
                            Broadcast<List<TrainingListener>> listeners, ShardRule rule,
                            List<ShardAveraging.Segment> segments, int batchSize, long shuffleSeed,
                            LongAccumulator computeNanos, LongAccumulator setupNanos)
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
                        InjectedFaults.failFirstAttempt("train");
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
    static final class RoundCosts {
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

        long rounds() {
            return rounds;
        }

        double wallSeconds() {
            return wallNanos / 1e9;
        }

        double computeSeconds() {
            return compute.value() / 1e9;
        }

        double setupSeconds() {
            return setup.value() / 1e9;
        }
    }
}
