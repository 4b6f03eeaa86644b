package dev.fisherpacknet.core.mask;

import dev.fisherpacknet.core.ConfigName;

/** Whether top-k is taken within each weight matrix or once over all trunk matrices together. */
public enum SelectionScope implements ConfigName {
    /** Top-k per weight matrix, as PackNet. */
    LAYER,
    /** One top-k over every trunk weight matrix. */
    GLOBAL
}
