package dev.fisherpacknet.core.mask;

import dev.fisherpacknet.core.model.ParamLayout;
import java.util.Arrays;

/**
 * Which task owns each trunk parameter (index into the trunk's span of the flattened parameters). A free
 * parameter may be trained by the current task; an owned one is read and never written again. Mutable, owned
 * by the run that drives the task sequence.
 */
public final class Ownership {
    /** Owner value of a parameter that no task has kept. */
    public static final int FREE = -1;

    private final int[] owner;

    /** All {@code trunkLength} parameters free. */
    public Ownership(int trunkLength) {
        owner = new int[trunkLength];
        Arrays.fill(owner, FREE);
    }

    /**
     * The ownership recorded in {@code owners} (as {@link #toArray} returns it), e.g. read back from a checkpoint.
     *
     * @throws IllegalArgumentException if an owner is neither {@link #FREE} nor a task index
     */
    public static Ownership of(int[] owners) {
        Ownership ownership = new Ownership(owners.length);
        for (int i = 0; i < owners.length; i++) {
            if (owners[i] < FREE) {
                throw new IllegalArgumentException("owner of parameter " + i + " is " + owners[i]);
            }
            ownership.owner[i] = owners[i];
        }
        return ownership;
    }

    /** Number of trunk parameters tracked. */
    public int size() {
        return owner.length;
    }

    /** The task that owns parameter {@code i}, or {@link #FREE}. */
    public int owner(int i) {
        return owner[i];
    }

    /** Whether parameter {@code i} is free. */
    public boolean isFree(int i) {
        return owner[i] == FREE;
    }

    /** Gives the free parameters at {@code indices} to {@code task}; taking an owned one is a programming error. */
    public void assign(int[] indices, int task) {
        for (int i : indices) {
            if (owner[i] != FREE) {
                throw new IllegalStateException("parameter " + i + " is owned by task " + owner[i]
                        + " and cannot be given to task " + task);
            }
            owner[i] = task;
        }
    }

    /** Gives every trunk bias to {@code task} (biases train with task 0 and are frozen after it). */
    public void assignBiases(ParamLayout layout, int task) {
        for (ParamLayout.Layer layer : layout.layers().subList(0, layout.trunkLayerCount())) {
            for (int j = 0; j < layer.nOut(); j++) {
                if (owner[layer.biasOffset() + j] == FREE) {
                    owner[layer.biasOffset() + j] = task;
                }
            }
        }
    }

    /** Number of trunk weights (biases excluded) owned by {@code task}. */
    public int weightsOwnedBy(ParamLayout layout, int task) {
        int n = 0;
        for (ParamLayout.Layer layer : layout.layers().subList(0, layout.trunkLayerCount())) {
            for (int i = layer.weightOffset(); i < layer.weightOffset() + layer.weightCount(); i++) {
                if (owner[i] == task) {
                    n++;
                }
            }
        }
        return n;
    }

    /** A copy of the owner of every trunk parameter. */
    public int[] toArray() {
        return owner.clone();
    }
}
