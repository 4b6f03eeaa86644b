package dev.fisherpacknet.core.run;

import dev.fisherpacknet.core.train.TrainingState;
import java.io.Serializable;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

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
        TrainingState state = TrainingState.capture(net);
        return new TaskZeroState(state.params(), state.updaterState(), state.iterationCount(), state.epochCount(),
                fisherMean.clone(), trainMillis, fisherMillis);
    }

    /** Writes the captured state into {@code net}, a task-0 network of the same architecture. */
    public void restoreInto(MultiLayerNetwork net) {
        new TrainingState(params, updaterState, iterationCount, epochCount).restoreInto(net);
    }
}
