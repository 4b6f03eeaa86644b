package dev.fisherpacknet.jobs;

import dev.fisherpacknet.core.train.ParameterMask;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.spark.api.TrainingHook;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * Runs on every parameter-averaging worker around each minibatch: resets the parameters the mask freezes, before
 * the step (undoing any rounding of the averaging) and after it (undoing the optimiser). The mask travels as a
 * broadcast, fetched once per executor, so the hook itself serializes to a few bytes.
 */
final class FreezeMaskHook implements TrainingHook {
    private static final long serialVersionUID = 1L;

    private final Broadcast<ParameterMask> mask;

    FreezeMaskHook(Broadcast<ParameterMask> mask) {
        this.mask = mask;
    }

    @Override
    public void preUpdate(DataSet minibatch, Model model) {
        mask.value().apply(model.params());
    }

    @Override
    public void postUpdate(DataSet minibatch, Model model) {
        mask.value().apply(model.params());
        // After a step: a task failing here has changed its worker's copy of the parameters.
        InjectedFaults.failFirstAttempt("train");
    }

    @Override
    public void preUpdate(MultiDataSet minibatch, Model model) {
        mask.value().apply(model.params());
    }

    @Override
    public void postUpdate(MultiDataSet minibatch, Model model) {
        mask.value().apply(model.params());
    }
}
