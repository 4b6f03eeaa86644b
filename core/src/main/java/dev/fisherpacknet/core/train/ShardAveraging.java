package dev.fisherpacknet.core.train;

import dev.fisherpacknet.core.Seeds;
import dev.fisherpacknet.core.data.Batches;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The parameter-averaging procedure over shards, shared by the Spark trainer and its one-JVM replay
 * ({@link AveragedTrainer}). Worker w owns partition w of the base records ({@link
 * dev.fisherpacknet.core.data.RecordRanges}) and, each epoch, walks its own examples in an order shuffled from
 * {@link #epochSeed}. A round is {@code averagingFrequency} of its minibatches on every worker that has any left
 * this epoch, each replica starting from the current parameters, Adam state and step count; then the network
 * takes the replicas' mean parameters and mean Adam state, and the step count of the replica that took most steps.
 * With one worker a round is the whole phase, and the procedure is sequential training itself: worker 0 shuffles
 * with the sequential trainer's epoch seed and its shard is every record.
 */
public final class ShardAveraging {
    private ShardAveraging() {
    }

    /**
     * Which minibatches of its epoch plans a replica fits in one round: batches {@code [from, to)} of epoch
     * {@code epoch}'s plan, clipped to the plan's length.
     */
    public record Segment(int epoch, int from, int to) implements Serializable {
    }

    /** The rounds of a phase: lists of segments, in order; worker w's plan has {@code batches[w]} minibatches. */
    public static List<List<Segment>> rounds(int[] batchesPerWorker, int epochs, int averagingFrequency) {
        int longest = 0;
        for (int b : batchesPerWorker) {
            longest = Math.max(longest, b);
        }
        List<List<Segment>> rounds = new ArrayList<>();
        if (batchesPerWorker.length == 1) {
            List<Segment> whole = new ArrayList<>();
            for (int epoch = 0; epoch < epochs; epoch++) {
                whole.add(new Segment(epoch, 0, longest));
            }
            rounds.add(whole);
            return rounds;
        }
        for (int epoch = 0; epoch < epochs; epoch++) {
            for (int from = 0; from < longest; from += averagingFrequency) {
                rounds.add(List.of(new Segment(epoch, from, from + averagingFrequency)));
            }
        }
        return rounds;
    }

    /** Seed of worker {@code worker}'s example order in epoch {@code epoch}; worker 0's is the sequential one. */
    public static long epochSeed(long shuffleSeed, int epoch, int worker) {
        long sequential = LocalTaskTrainer.epochSeed(shuffleSeed, epoch);
        return worker == 0 ? sequential : Seeds.derive(sequential, "shard", worker);
    }

    /** Minibatches of a worker's epoch over its {@code shardSize} examples, as local positions. */
    public static List<int[]> epochPlan(int shardSize, int batchSize, long shuffleSeed, int epoch, int worker) {
        return Batches.shuffled(shardSize, batchSize, epochSeed(shuffleSeed, epoch, worker));
    }

    /** Minibatches per epoch of a shard of {@code shardSize} examples. */
    public static int batchesPerEpoch(int shardSize, int batchSize) {
        return (shardSize + batchSize - 1) / batchSize;
    }

    /**
     * Fits one replica's share of a round and returns its state, or null if its shard has no minibatch in this
     * round. {@code replica} must hold the round's starting state; {@code batchOf} makes the minibatch of the
     * given local positions.
     */
    public static TrainingState fitRound(MultiLayerNetwork replica, TrainingStep step, ParameterMask mask,
                                         List<Segment> segments, int worker, int shardSize, int batchSize,
                                         long shuffleSeed, Function<int[], DataSet> batchOf) {
        boolean any = false;
        // Applying the mask is idempotent, so once before the first step and once after every step is enough.
        mask.apply(replica.params());
        for (Segment segment : segments) {
            List<int[]> plan = epochPlan(shardSize, batchSize, shuffleSeed, segment.epoch(), worker);
            for (int b = segment.from(); b < Math.min(segment.to(), plan.size()); b++) {
                step.fit(batchOf.apply(plan.get(b)), mask);
                any = true;
            }
        }
        return any ? TrainingState.capture(replica) : null;
    }

    /**
     * The sum of replicas' states, to average: parameters and Adam state added in float, element by element, as
     * DL4J's averaging adds them; the count; the largest step count. With two replicas or fewer the sum does not
     * depend on their order; with more, float addition does.
     *
     * @param params       summed parameters (empty for no replica)
     * @param updaterState summed Adam state
     * @param replicas     replicas summed
     * @param iterations   the largest step count among them
     * @param epochCount   their epoch count
     */
    public record ReplicaSum(float[] params, float[] updaterState, int replicas, int iterations, int epochCount)
            implements Serializable {
        /** No replica: the identity of {@link #plus}. */
        public static final ReplicaSum EMPTY = new ReplicaSum(new float[0], new float[0], 0, 0, 0);

        /** One replica's state, or {@link #EMPTY} for a worker with nothing to fit this round. */
        public static ReplicaSum of(TrainingState state) {
            return state == null ? EMPTY : new ReplicaSum(state.params(), state.updaterState(), 1,
                    state.iterationCount(), state.epochCount());
        }

        /** The sum of both, a new value; neither operand changes. */
        public ReplicaSum plus(ReplicaSum other) {
            if (other.replicas == 0) {
                return this;
            }
            if (replicas == 0) {
                return other;
            }
            return new ReplicaSum(add(params, other.params), add(updaterState, other.updaterState),
                    replicas + other.replicas, Math.max(iterations, other.iterations),
                    Math.max(epochCount, other.epochCount));
        }

        /** The replicas' mean state. */
        public TrainingState mean() {
            if (replicas == 0) {
                throw new IllegalStateException("no replica trained in this round");
            }
            return new TrainingState(divide(params, replicas), divide(updaterState, replicas), iterations,
                    epochCount);
        }

        private static float[] add(float[] a, float[] b) {
            if (a.length != b.length) {
                throw new IllegalArgumentException("cannot add replicas of " + a.length + " and " + b.length
                        + " values");
            }
            float[] sum = a.clone();
            for (int i = 0; i < sum.length; i++) {
                sum[i] += b[i];
            }
            return sum;
        }

        private static float[] divide(float[] sum, int n) {
            if (n == 1) {
                return sum.clone();
            }
            float[] mean = new float[sum.length];
            for (int i = 0; i < mean.length; i++) {
                mean[i] = sum[i] / n;
            }
            return mean;
        }
    }
}
