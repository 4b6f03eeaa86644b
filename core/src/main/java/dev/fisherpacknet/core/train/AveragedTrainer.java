package dev.fisherpacknet.core.train;

import dev.fisherpacknet.core.data.Batches;
import dev.fisherpacknet.core.data.ImageSet;
import dev.fisherpacknet.core.data.TrainingExamples;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Parameter-averaged training computed in one JVM: the same procedure as DL4J's
 * {@code ParameterAveragingTrainingMaster} on Spark, replica after replica instead of executor beside executor.
 * Each round takes the next {@code workers * averagingFrequency} minibatches of the epoch's plan, cuts them into
 * as many contiguous slices as it needs workers ({@link Batches#slices}), lets each replica start from the
 * current parameters, Adam state and iteration count and fit its slice with the mask applied around every step,
 * then sets the network to the replicas' mean parameters and mean Adam state (summed in replica order, divided by
 * the replica count) and advances the iteration count by {@code averagingFrequency}, as DL4J does. With two
 * replicas or fewer the sums do not depend on order, so the result is bit-identical to the Spark trainer; this is
 * what lets a sweep run whole grid points inside single Spark tasks (config-parallel) and still reproduce the
 * data-parallel results.
 *
 * @param baseTrain          the base training examples the tasks index into
 * @param batchSize          examples per minibatch
 * @param workers            replicas averaged each round
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
        List<MultiLayerNetwork> replicas = new ArrayList<>();
        List<TrainingStep> steps = new ArrayList<>();
        int perRound = workers * averagingFrequency;
        for (int epoch = 0; epoch < epochs; epoch++) {
            List<int[]> batches = Batches.shuffled(task.trainSize(), batchSize,
                    LocalTaskTrainer.epochSeed(shuffleSeed, epoch));
            for (int start = 0; start < batches.size(); start += perRound) {
                List<int[]> round = batches.subList(start, Math.min(batches.size(), start + perRound));
                List<List<int[]>> slices = workerSlices(round, averagingFrequency);
                while (replicas.size() < slices.size()) {
                    MultiLayerNetwork replica = net.clone();
                    // clone() leaves listeners behind; a replica must compute the same gradient as a Spark worker.
                    replica.setListeners(net.getListeners());
                    replicas.add(replica);
                    steps.add(TrainingStep.of(replica));
                }
                INDArray paramSum = null;
                INDArray stateSum = null;
                for (int r = 0; r < slices.size(); r++) {
                    MultiLayerNetwork replica = replicas.get(r);
                    startFrom(replica, net);
                    // Applying the mask is idempotent, so between two steps once is enough: before the first step
                    // (the starting point may not obey it yet) and after every step.
                    mask.apply(replica.params());
                    for (int[] positions : slices.get(r)) {
                        // Bit for bit what DL4J's fit and the mask do on a Spark worker (TrainingStepTest).
                        steps.get(r).fit(task.trainBatch(baseTrain, positions), mask);
                    }
                    INDArray state = updaterState(replica);
                    paramSum = paramSum == null ? replica.params().dup() : paramSum.addi(replica.params());
                    if (state != null) {
                        stateSum = stateSum == null ? state.dup() : stateSum.addi(state);
                    }
                }
                net.params().assign(paramSum.divi(slices.size()));
                if (stateSum != null) {
                    net.getUpdater().setStateViewArray(net, stateSum.divi(slices.size()), false);
                }
                var conf = net.getLayerWiseConfigurations();
                conf.setIterationCount(conf.getIterationCount() + averagingFrequency);
                mask.apply(net.params());
            }
        }
        mask.apply(net.params());
    }

    /**
     * The slices of one averaging round, one per worker that gets data: as many as the round needs at
     * {@code averagingFrequency} minibatches each, cut evenly.
     */
    public static List<List<int[]>> workerSlices(List<int[]> round, int averagingFrequency) {
        return Batches.slices(round, (round.size() + averagingFrequency - 1) / averagingFrequency);
    }

    private static void startFrom(MultiLayerNetwork replica, MultiLayerNetwork net) {
        replica.params().assign(net.params());
        INDArray state = updaterState(net);
        if (state != null) {
            replica.getUpdater().setStateViewArray(replica, state, false);
        }
        replica.getLayerWiseConfigurations().setIterationCount(net.getLayerWiseConfigurations().getIterationCount());
        replica.getLayerWiseConfigurations().setEpochCount(net.getLayerWiseConfigurations().getEpochCount());
    }

    private static INDArray updaterState(MultiLayerNetwork net) {
        Updater updater = net.getUpdater();
        return updater == null ? null : updater.getStateViewArray();
    }
}
