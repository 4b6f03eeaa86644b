package dev.fisherpacknet.core.train;

import dev.fisherpacknet.core.data.ImageSet;
import dev.fisherpacknet.core.data.RecordRanges;
import dev.fisherpacknet.core.data.TrainingExamples;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Parameter-averaged training computed in one JVM: {@link ShardAveraging}'s procedure, replica after replica
 * instead of executor beside executor. Worker w's examples are the task's examples among partition w of the base
 * records, exactly those the Spark worker holding that partition makes; a replica's minibatch of local positions is
 * the same examples, in the same order, as the Spark worker's, so with two workers or fewer (where the sum of
 * replicas does not depend on order) the result is bit-identical to the Spark trainer. This is what lets a sweep
 * run whole grid points inside single Spark tasks (config-parallel) and still reproduce the data-parallel results.
 *
 * @param baseTrain          the base training examples the tasks index into
 * @param batchSize          examples per minibatch
 * @param workers            replicas averaged each round, one per partition of the base records
 * @param averagingFrequency minibatches each replica fits between averagings
 */
public record AveragedTrainer(ImageSet baseTrain, int batchSize, int workers, int averagingFrequency)
        implements TaskTrainer {

    public AveragedTrainer {
        if (batchSize < 1 || workers < 1 || averagingFrequency < 1) {
            throw new IllegalArgumentException("batchSize, workers and averagingFrequency must be >= 1, got "
                    + batchSize + ", " + workers + ", " + averagingFrequency);
        }
    }

    @Override
    public void train(MultiLayerNetwork net, TrainingExamples task, ParameterMask mask, int epochs, long shuffleSeed) {
        RecordRanges ranges = new RecordRanges(baseTrain.size(), workers);
        List<int[]> shards = new ArrayList<>();
        int[] batches = new int[workers];
        for (int w = 0; w < workers; w++) {
            shards.add(task.positionsIn(ranges.first(w), ranges.end(w)));
            batches[w] = ShardAveraging.batchesPerEpoch(shards.get(w).length, batchSize);
        }
        List<MultiLayerNetwork> replicas = new ArrayList<>();
        List<TrainingStep> steps = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            MultiLayerNetwork replica = net.clone();
            // clone() leaves listeners behind; a replica must compute the same gradient as a Spark worker.
            replica.setListeners(net.getListeners());
            replicas.add(replica);
            steps.add(TrainingStep.of(replica));
        }
        for (List<ShardAveraging.Segment> round : ShardAveraging.rounds(batches, epochs, averagingFrequency)) {
            TrainingState start = TrainingState.capture(net);
            ShardAveraging.ReplicaSum sum = ShardAveraging.ReplicaSum.EMPTY;
            for (int w = 0; w < workers; w++) {
                int[] shard = shards.get(w);
                start.restoreInto(replicas.get(w));
                TrainingState trained = ShardAveraging.fitRound(replicas.get(w), steps.get(w), mask, round, w,
                        shard.length, batchSize, shuffleSeed, local -> task.trainBatch(baseTrain, global(shard,
                                local)));
                sum = sum.plus(ShardAveraging.ReplicaSum.of(trained));
            }
            sum.mean().restoreInto(net);
            mask.apply(net.params());
        }
        mask.apply(net.params());
    }

    private static int[] global(int[] shard, int[] local) {
        int[] positions = new int[local.length];
        for (int n = 0; n < local.length; n++) {
            positions[n] = shard[local[n]];
        }
        return positions;
    }

    @Override
    public double loss(MultiLayerNetwork net, TrainingExamples task, int[] positions) {
        return net.score(task.trainBatch(baseTrain, positions), false);
    }
}
