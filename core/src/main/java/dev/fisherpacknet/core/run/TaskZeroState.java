package dev.fisherpacknet.core.run;

import java.io.Serializable;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Task 0 of a run after its dense training and Fisher pass, before pruning: the network's parameters, Adam's
 * state and the iteration count Adam's bias correction reads, and the Fisher diagonal. Restoring it into a freshly
 * initialised task-0 network gives the same network the training produced, so the rest of the run is bit-identical
 * to a run that trained task 0 itself.
 *
 * @param params         flattened network parameters
 * @param updaterState   flattened Adam state (empty if the updater keeps none)
 * @param iterationCount the network's iteration count
 * @param epochCount     the network's epoch count
 * @param fisherMean     the Fisher diagonal, one value per parameter
 * @param trainMillis    wall time task 0's training took where it was computed
 * @param fisherMillis   wall time its Fisher pass took
 */
public record TaskZeroState(float[] params, float[] updaterState, int iterationCount, int epochCount,
                            double[] fisherMean, long trainMillis, long fisherMillis) implements Serializable {

    /** Captures {@code net}'s trained state and its Fisher diagonal. */
    public static TaskZeroState capture(MultiLayerNetwork net, double[] fisherMean, long trainMillis,
                                        long fisherMillis) {
        Updater updater = net.getUpdater();
        INDArray state = updater == null ? null : updater.getStateViewArray();
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
        return new TaskZeroState(net.params().dup().data().asFloat(),
                state == null ? new float[0] : state.dup().data().asFloat(), conf.getIterationCount(),
                conf.getEpochCount(), fisherMean.clone(), trainMillis, fisherMillis);
    }

    /** Writes the captured state into {@code net}, a task-0 network of the same architecture. */
    public void restoreInto(MultiLayerNetwork net) {
        net.params().assign(Nd4j.create(params, new long[] {1, params.length}, DataType.FLOAT));
        if (updaterState.length > 0) {
            net.getUpdater().setStateViewArray(net,
                    Nd4j.create(updaterState, new long[] {1, updaterState.length}, DataType.FLOAT), false);
        }
        net.getLayerWiseConfigurations().setIterationCount(iterationCount);
        net.getLayerWiseConfigurations().setEpochCount(epochCount);
    }
}
