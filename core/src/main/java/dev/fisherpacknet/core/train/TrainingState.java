package dev.fisherpacknet.core.train;

import java.io.Serializable;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Everything an optimiser step of a network reads besides its configuration and data: the parameters, Adam's
 * state and the iteration and epoch counts that Adam's bias correction reads. Writing a captured state into a
 * network of the same configuration makes its next steps bit-identical to those of the network it came from.
 *
 * @param params         flattened network parameters
 * @param updaterState   flattened updater state (empty if the updater keeps none)
 * @param iterationCount the network's iteration count
 * @param epochCount     the network's epoch count
 */
public record TrainingState(float[] params, float[] updaterState, int iterationCount, int epochCount)
        implements Serializable {

    /** A copy of {@code net}'s state. */
    public static TrainingState capture(MultiLayerNetwork net) {
        Updater updater = net.getUpdater();
        INDArray state = updater == null ? null : updater.getStateViewArray();
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
        return new TrainingState(net.params().dup().data().asFloat(),
                state == null ? new float[0] : state.dup().data().asFloat(), conf.getIterationCount(),
                conf.getEpochCount());
    }

    /** Writes this state into {@code net}, a network of the same architecture and updater. */
    public void restoreInto(MultiLayerNetwork net) {
        net.params().assign(Nd4j.create(params, new long[] {1, params.length}, DataType.FLOAT));
        if (updaterState.length > 0) {
            net.getUpdater().setStateViewArray(net,
                    Nd4j.create(updaterState, new long[] {1, updaterState.length}, DataType.FLOAT), false);
        }
        net.getLayerWiseConfigurations().setIterationCount(iterationCount);
        net.getLayerWiseConfigurations().setEpochCount(epochCount);
    }

    /**
     * Gives {@code net} a fresh optimiser: zero moments and step count 0, as a newly created network has, so that
     * its next step is the first step of a new Adam. The parameters are left as they are.
     */
    public static void resetOptimizer(MultiLayerNetwork net) {
        Updater updater = net.getUpdater();
        INDArray state = updater == null ? null : updater.getStateViewArray();
        if (state != null) {
            state.assign(0);
        }
        net.getLayerWiseConfigurations().setIterationCount(0);
        net.getLayerWiseConfigurations().setEpochCount(0);
    }
}
