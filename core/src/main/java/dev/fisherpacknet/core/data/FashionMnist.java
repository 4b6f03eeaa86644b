package dev.fisherpacknet.core.data;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds Fashion-MNIST (PROTOCOL P2's data) as the folder of its four standard IDX files, in this order: the
 * configured {@code data.dir}; {@code /usr/share/datasets/fashion-mnist/}, where Debian's
 * {@code dataset-fashion-mnist} package installs it; the cache, if an earlier run fetched it; else it fetches
 * the package without root ({@code apt-get download}, whose download apt checks against the archive's signed
 * index, then {@code dpkg -x}) and keeps only the data folder in the cache.
 */
public final class FashionMnist {

    /** The Debian package that ships Fashion-MNIST. */
    static final String PACKAGE = "dataset-fashion-mnist";
    /** Where the package installs the files, absolute on the system and relative inside the package. */
    static final String PACKAGE_DIR = "usr/share/datasets/fashion-mnist";
    /** The folder an installed package provides. */
    public static final Path SYSTEM_DIR = Path.of("/", PACKAGE_DIR);
    /** Name of the data folder in the cache; its existence means the cache is complete. */
    static final String CACHE_DIR = "fashion-mnist";
    /**
     * The digests of the cached files, recorded when they were fetched (in {@code sha256sum} format), so a file
     * changed or damaged in the cache later is named rather than read.
     */
    static final String DIGESTS = "SHA256SUMS";

    private static final long COMMAND_TIMEOUT_MINUTES = 10;

    private FashionMnist() {
    }

    /**
     * The folder that holds Fashion-MNIST's IDX files: {@code dataDir} if given (reading it reports what it
     * lacks), else the installed package's folder, else {@code cacheDir/fashion-mnist}, fetched there first if
     * needed.
     *
     * @throws DataException saying how to install the package or set {@code data.dir} when none of these works
     */
    public static Path locate(Optional<Path> dataDir, Path cacheDir) {
        return locate(dataDir, cacheDir, SYSTEM_DIR, List.of("apt-get"), List.of("dpkg"));
    }

    /** {@link #locate(Optional, Path)} with the system folder and the commands that run apt-get and dpkg, for tests. */
    static Path locate(Optional<Path> dataDir, Path cacheDir, Path systemDir, List<String> aptGet, List<String> dpkg) {
        if (dataDir.isPresent()) {
            return dataDir.get();
        }
        if (IdxReader.holdsStandardFiles(systemDir)) {
            return systemDir;
        }
        Path cached = cacheDir.resolve(CACHE_DIR);
        if (Files.isDirectory(cached)) {
            if (!IdxReader.holdsStandardFiles(cached)) {
                throw new DataException("the cached Fashion-MNIST folder " + cached + " lacks some of "
                        + String.join(", ", IdxReader.STANDARD_FILES) + "; delete it to fetch it again");
            }
            verifyDigests(cached);
            return cached;
        }
        fetch(cacheDir, systemDir, aptGet, dpkg);
        return cached;
    }

    /**
     * Downloads the package into a fresh directory inside {@code cacheDir}, unpacks it there and renames its data
     * folder to {@code cacheDir/fashion-mnist} in one step, so a failure never leaves a partial folder under
     * that name; the working directory (with the 31 MB package) is deleted in any case.
     */
    private static void fetch(Path cacheDir, Path systemDir, List<String> aptGet, List<String> dpkg) {
        Path work = CacheFiles.createTempDir(cacheDir, ".apt-download-");
        try {
            List<String> download = new ArrayList<>(aptGet);
            download.addAll(List.of("download", PACKAGE));
            Path downloadLog = work.resolve("apt-get.log");
            String failure = CacheFiles.run(download, work, downloadLog, COMMAND_TIMEOUT_MINUTES,
                    "`apt-get download " + PACKAGE + "` was fetching into " + work);
            Path deb = failure == null ? downloadedDeb(work) : null;
            if (failure == null && deb == null) {
                failure = "finished but left no " + PACKAGE + "_*.deb in " + work;
            }
            if (failure != null) {
                throw notFound(cacheDir, systemDir, download, failure, downloadLog);
            }
            Path root = work.resolve("root");
            List<String> unpack = new ArrayList<>(dpkg);
            unpack.addAll(List.of("-x", deb.toString(), root.toString()));
            Path unpackLog = work.resolve("dpkg.log");
            failure = CacheFiles.run(unpack, work, unpackLog, COMMAND_TIMEOUT_MINUTES,
                    "`dpkg -x` was unpacking " + deb);
            Path data = root.resolve(PACKAGE_DIR);
            if (failure == null && !IdxReader.holdsStandardFiles(data)) {
                failure = "finished but " + data + " does not hold the four IDX files "
                        + String.join(", ", IdxReader.STANDARD_FILES) + " (each raw or .gz)";
            }
            if (failure != null) {
                throw notFound(cacheDir, systemDir, unpack, failure, unpackLog);
            }
            recordDigests(data);
            publish(data, cacheDir.resolve(CACHE_DIR));
        } finally {
            CacheFiles.deleteRecursively(work);
        }
    }

    /** Writes {@link #DIGESTS} for every file of {@code data}, before the folder is published. */
    private static void recordDigests(Path data) {
        StringBuilder sums = new StringBuilder();
        try (Stream<Path> files = Files.list(data)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                sums.append(CacheFiles.sha256(file, "fetch it again")).append("  ").append(file.getFileName())
                        .append('\n');
            }
            Files.writeString(data.resolve(DIGESTS), sums.toString());
        } catch (IOException e) {
            throw new DataException("cannot record the digests of " + data + ": " + e.getMessage() + "; make "
                    + data.getParent() + " writable", e);
        }
    }

    /**
     * Checks each file listed in the cache's {@link #DIGESTS}. A cache from before digests were recorded has none
     * and is used as it is (the IDX reader still checks its structure).
     */
    private static void verifyDigests(Path cached) {
        Path sums = cached.resolve(DIGESTS);
        if (!Files.isRegularFile(sums)) {
            return;
        }
        String remedy = "delete " + cached + " to fetch it again";
        List<String> lines;
        try {
            lines = Files.readAllLines(sums);
        } catch (IOException e) {
            throw new DataException(sums + " cannot be read: " + e.getMessage() + "; " + remedy, e);
        }
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            int gap = line.indexOf("  ");
            if (gap != 64) {
                throw new DataException(sums + " has a malformed line '" + line + "'; " + remedy);
            }
            String expected = line.substring(0, gap);
            Path file = cached.resolve(line.substring(gap + 2));
            if (!Files.isRegularFile(file)) {
                throw new DataException("cached file " + file + " is missing; " + remedy);
            }
            String actual = CacheFiles.sha256(file, remedy);
            if (!actual.equals(expected)) {
                throw new DataException("cached file " + file + " has SHA-256 " + actual + ", expected " + expected
                        + " (recorded in " + sums + " when it was fetched from Debian's " + PACKAGE + " package); the"
                        + " cache is damaged or was changed. Delete " + cached + " to fetch it again");
            }
        }
    }

    /** The one {@code dataset-fashion-mnist_*.deb} that {@code apt-get download} left in {@code work}, or null. */
    private static Path downloadedDeb(Path work) {
        try (Stream<Path> files = Files.list(work)) {
            List<Path> debs = files.filter(p -> {
                String name = p.getFileName().toString();
                return name.startsWith(PACKAGE + "_") && name.endsWith(".deb") && Files.isRegularFile(p);
            }).toList();
            return debs.size() == 1 ? debs.get(0) : null;
        } catch (IOException e) {
            throw new DataException("cannot list " + work + ": " + e.getMessage(), e);
        }
    }

    private static void publish(Path data, Path target) {
        try {
            Files.move(data, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileSystemException e) {
            // Another process fetched the same package first; its copy is as good as ours.
            if (!Files.isDirectory(target)) {
                throw new DataException("cannot rename " + data + " to " + target + ": " + e.getMessage() + "; make "
                        + target.getParent() + " writable", e);
            }
        } catch (IOException e) {
            throw new DataException("cannot rename " + data + " to " + target + ": " + e.getMessage() + "; make "
                    + target.getParent() + " writable", e);
        }
    }

    private static DataException notFound(Path cacheDir, Path systemDir, List<String> command, String failure,
                                          Path log) {
        return new DataException("Fashion-MNIST is neither installed (" + systemDir + " does not hold its four IDX"
                + " files) nor cached (" + cacheDir.resolve(CACHE_DIR) + " does not exist), and fetching it failed: `"
                + String.join(" ", command) + "` " + failure + ". Install the Debian package (as root: `apt-get"
                + " install " + PACKAGE + "`), or set data.dir to a folder that holds "
                + String.join(", ", IdxReader.STANDARD_FILES) + " (each raw or .gz). Output (tail):\n"
                + CacheFiles.tail(log));
    }
}
