package dev.fisherpacknet.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where Fashion-MNIST is looked for, in order (data.dir, the installed package, the cache, a fetch), with
 * stand-ins for apt-get and dpkg: shell one-liners that check their arguments and do what the real ones would.
 */
class FashionMnistTest {

    /** A stand-in for apt-get that must never run. */
    private static final List<String> NO_APT_GET = List.of("/nonexistent/apt-get");
    /** A stand-in for dpkg that must never run. */
    private static final List<String> NO_DPKG = List.of("/nonexistent/dpkg");

    @TempDir
    Path dir;

    private Path cache() {
        return dir.resolve("cache");
    }

    private Path emptySystemDir() {
        return dir.resolve("usr-share-datasets-fashion-mnist");
    }

    /** apt-get that, asked to download the package, copies {@code deb} into its working directory. */
    private static List<String> aptGetCopying(Path deb) {
        return List.of("sh", "-c", "[ \"$1\" = download ] && [ \"$2\" = dataset-fashion-mnist ] || exit 9; "
                + "cp \"$0\" ./dataset-fashion-mnist_0.0~git20200523.55506a9-1_all.deb", deb.toString());
    }

    /**
     * dpkg that, asked to extract ({@code -x DEB DIR}), puts the files of {@code payload} where the package has them.
     */
    private static List<String> dpkgPlacing(Path payload) {
        return List.of("sh", "-c", "[ \"$1\" = -x ] && [ -f \"$2\" ] || exit 9; "
                + "mkdir -p \"$3/usr/share/datasets/fashion-mnist\""
                + " && cp \"$0\"/* \"$3/usr/share/datasets/fashion-mnist/\"",
                payload.toString());
    }

    private Path fakeDeb() throws IOException {
        return Files.writeString(dir.resolve("package.deb"), "not a real package; the fake dpkg ignores it");
    }

    private static void assertMentions(Exception e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), () -> "expected \"" + part + "\" in: " + e.getMessage());
        }
    }

    private static List<Path> entries(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    // ---- resolution order ----

    @Test
    void dataDir_isUsedAsGiven_evenWhenThePackageIsInstalled() throws IOException {
        // given
        Path mine = IdxFixtures.writeFolder(dir.resolve("mine"), 4, 2, 1);
        Path system = IdxFixtures.writeFolder(dir.resolve("system"), 7, 3, 2);

        // when
        Path found = FashionMnist.locate(Optional.of(mine), cache(), system, NO_APT_GET, NO_DPKG);

        // then
        assertEquals(mine, found);
        assertFalse(Files.exists(cache()), "a local copy must not touch the cache");
    }

    @Test
    void installedPackage_isUsed_whenNoDataDirIsGiven() throws IOException {
        // given
        Path system = IdxFixtures.writeFolder(dir.resolve("system"), 7, 3, 2);

        // when
        Path found = FashionMnist.locate(Optional.empty(), cache(), system, NO_APT_GET, NO_DPKG);

        // then
        assertEquals(system, found);
        assertFalse(Files.exists(cache()));
    }

    @Test
    void cachedCopy_isUsed_whenThePackageIsNotInstalled_withoutFetching() throws IOException {
        // given: a system folder that lacks one of the four files
        Path system = IdxFixtures.writeFolder(dir.resolve("system"), 7, 3, 2);
        Files.delete(system.resolve("t10k-labels-idx1-ubyte"));
        Path cached = IdxFixtures.writeFolder(cache().resolve(FashionMnist.CACHE_DIR), 5, 2, 3);

        // when
        Path found = FashionMnist.locate(Optional.empty(), cache(), system, NO_APT_GET, NO_DPKG);

        // then
        assertEquals(cached, found);
    }

    @Test
    void cachedCopy_lackingAFile_isReportedWithTheFixDeleteIt() throws IOException {
        // given
        Path cached = IdxFixtures.writeFolder(cache().resolve(FashionMnist.CACHE_DIR), 5, 2, 3);
        Files.delete(cached.resolve("train-images-idx3-ubyte"));

        // when
        DataException e = assertThrows(DataException.class,
                () -> FashionMnist.locate(Optional.empty(), cache(), emptySystemDir(), NO_APT_GET, NO_DPKG));

        // then
        assertMentions(e, "the cached Fashion-MNIST folder " + cached, "delete it to fetch it again");
    }

    // ---- fetching ----

    @Test
    void fetch_downloadsAndUnpacksThePackage_publishingOnlyItsDataFolderInTheCache() throws IOException {
        // given: neither installed nor cached
        Path payload = IdxFixtures.writeFolder(dir.resolve("payload"), 6, 4, 5);

        // when
        Path found = FashionMnist.locate(Optional.empty(), cache(), emptySystemDir(), aptGetCopying(fakeDeb()),
                dpkgPlacing(payload));

        // then
        assertEquals(cache().resolve(FashionMnist.CACHE_DIR), found);
        assertEquals(List.of(found), entries(cache()), "no working directory or package left behind");
        Splits.TrainTest data = IdxReader.readFolder(found, 10, "test");
        assertEquals(IdxReader.readFolder(payload, 10, "test"), data);
        assertEquals(6, data.train().size());
        assertEquals(4, data.test().size());
    }

    @Test
    void fetch_thenASecondLocate_usesTheCacheWithoutRunningAnything() throws IOException {
        // given
        Path payload = IdxFixtures.writeFolder(dir.resolve("payload"), 6, 4, 5);
        Path first = FashionMnist.locate(Optional.empty(), cache(), emptySystemDir(), aptGetCopying(fakeDeb()),
                dpkgPlacing(payload));

        // when
        Path second = FashionMnist.locate(Optional.empty(), cache(), emptySystemDir(), NO_APT_GET, NO_DPKG);

        // then
        assertEquals(first, second);
    }

    @Test
    void fetch_recordsTheDigestOfEveryFetchedFile() throws IOException {
        // given
        Path payload = IdxFixtures.writeFolder(dir.resolve("payload"), 6, 4, 5);

        // when
        Path found = FashionMnist.locate(Optional.empty(), cache(), emptySystemDir(), aptGetCopying(fakeDeb()),
                dpkgPlacing(payload));

        // then: one sha256sum line per file, against digests computed here
        List<String> expected = new java.util.ArrayList<>();
        for (String name : IdxReader.STANDARD_FILES.stream().sorted().toList()) {
            expected.add(CacheFiles.sha256(payload.resolve(name), "") + "  " + name);
        }
        assertEquals(expected, Files.readAllLines(found.resolve(FashionMnist.DIGESTS)));
    }

    @Test
    void cachedFile_changedAfterTheFetch_isRefusedNamingItBothDigestsAndTheRemedy() throws IOException {
        // given: a fetched cache, then one byte of the test labels changed on disk
        Path payload = IdxFixtures.writeFolder(dir.resolve("payload"), 6, 4, 5);
        Path cached = FashionMnist.locate(Optional.empty(), cache(), emptySystemDir(), aptGetCopying(fakeDeb()),
                dpkgPlacing(payload));
        Path labels = cached.resolve("t10k-labels-idx1-ubyte");
        String recorded = CacheFiles.sha256(labels, "");
        byte[] bytes = Files.readAllBytes(labels);
        bytes[bytes.length - 1] ^= 1;
        Files.write(labels, bytes);

        // when
        DataException e = assertThrows(DataException.class,
                () -> FashionMnist.locate(Optional.empty(), cache(), emptySystemDir(), NO_APT_GET, NO_DPKG));

        // then
        assertEquals("cached file " + labels + " has SHA-256 " + CacheFiles.sha256(labels, "") + ", expected "
                + recorded + " (recorded in " + cached.resolve(FashionMnist.DIGESTS) + " when it was fetched from"
                + " Debian's dataset-fashion-mnist package); the cache is damaged or was changed. Delete " + cached
                + " to fetch it again", e.getMessage());
    }

    @Test
    void fetch_withTheRealDpkg_unpacksARealPackage() throws IOException, InterruptedException {
        // given: a real .deb holding the files where dataset-fashion-mnist has them, built with dpkg-deb
        assumeTrue(onPath("dpkg-deb") && onPath("dpkg"), "needs dpkg and dpkg-deb (Debian)");
        Path staging = dir.resolve("staging");
        IdxFixtures.writeFolder(staging.resolve(FashionMnist.PACKAGE_DIR), 6, 4, 7);
        Files.createDirectories(staging.resolve("DEBIAN"));
        Files.writeString(staging.resolve("DEBIAN/control"), """
                Package: dataset-fashion-mnist
                Version: 0.0-1
                Architecture: all
                Maintainer: Test <test@example.org>
                Description: a stand-in for the real package
                """);
        Path deb = dir.resolve("built.deb");
        Process build = new ProcessBuilder("dpkg-deb", "--build", staging.toString(), deb.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("dpkg-deb.log").toFile()).start();
        assertEquals(0, build.waitFor(), () -> "dpkg-deb failed: " + CacheFiles.tail(dir.resolve("dpkg-deb.log")));

        // when
        Path found = FashionMnist.locate(Optional.empty(), cache(), emptySystemDir(), aptGetCopying(deb),
                List.of("dpkg"));

        // then
        assertEquals(IdxReader.readFolder(staging.resolve(FashionMnist.PACKAGE_DIR), 10, "test"),
                IdxReader.readFolder(found, 10, "test"));
        assertEquals(List.of(found), entries(cache()));
    }

    private static boolean onPath(String command) {
        String path = System.getenv("PATH");
        return path != null && Stream.of(path.split(":")).anyMatch(d -> Files.isExecutable(Path.of(d, command)));
    }

    // ---- when nothing works: say what to do ----

    @Test
    void aptGetFailing_saysToInstallThePackageOrSetDataDir_withItsOutput() {
        // given
        List<String> failing = List.of("sh", "-c", "echo 'E: Unable to locate package dataset-fashion-mnist'; exit 100",
                "apt-get");

        // when
        DataException e = assertThrows(DataException.class,
                () -> FashionMnist.locate(Optional.empty(), cache(), emptySystemDir(), failing, NO_DPKG));

        // then
        assertMentions(e, "Fashion-MNIST is neither installed (" + emptySystemDir(),
                "nor cached (" + cache().resolve("fashion-mnist") + " does not exist)",
                "download dataset-fashion-mnist` exited with status 100",
                "apt-get install dataset-fashion-mnist", "set data.dir to a folder that holds train-images-idx3-ubyte",
                "E: Unable to locate package dataset-fashion-mnist");
        assertEquals(List.of(), entries(cache()), "a failed fetch must leave the cache empty");
    }

    @Test
    void aptGetMissing_saysItCouldNotBeStarted() {
        // when
        DataException e = assertThrows(DataException.class,
                () -> FashionMnist.locate(Optional.empty(), cache(), emptySystemDir(), NO_APT_GET, NO_DPKG));

        // then
        assertMentions(e, "`/nonexistent/apt-get download dataset-fashion-mnist` could not be started",
                "apt-get install dataset-fashion-mnist", "data.dir");
        assertEquals(List.of(), entries(cache()));
    }

    @Test
    void aptGetDownloadingNothing_saysSo() {
        // when
        DataException e = assertThrows(DataException.class, () -> FashionMnist.locate(Optional.empty(), cache(),
                emptySystemDir(), List.of("sh", "-c", "exit 0", "apt-get"), NO_DPKG));

        // then
        assertMentions(e, "finished but left no dataset-fashion-mnist_*.deb", "data.dir");
    }

    @Test
    void dpkgFailing_isReportedWithItsOutput_andLeavesNoPartialFolder() throws IOException {
        // given
        List<String> failing = List.of("sh", "-c", "echo 'dpkg-deb: error: not a Debian format archive'; exit 2",
                "dpkg");

        // when
        DataException e = assertThrows(DataException.class, () -> FashionMnist.locate(Optional.empty(), cache(),
                emptySystemDir(), aptGetCopying(fakeDeb()), failing));

        // then
        assertMentions(e, "-x ", "exited with status 2", "not a Debian format archive", "apt-get install");
        assertEquals(List.of(), entries(cache()));
    }

    @Test
    void packageWithoutTheDataFiles_isReported() throws IOException {
        // given: a package whose data folder lacks the test labels
        Path payload = IdxFixtures.writeFolder(dir.resolve("payload"), 6, 4, 5);
        Files.delete(payload.resolve("t10k-labels-idx1-ubyte"));

        // when
        DataException e = assertThrows(DataException.class, () -> FashionMnist.locate(Optional.empty(), cache(),
                emptySystemDir(), aptGetCopying(fakeDeb()), dpkgPlacing(payload)));

        // then
        assertMentions(e, "does not hold the four IDX files", "t10k-labels-idx1-ubyte");
        assertEquals(List.of(), entries(cache()));
    }

    // ---- through Datasets ----

    @Test
    void datasets_withFashionMnistSourceAndDataDir_readsTheFolderWithTenClasses() throws IOException {
        // given
        Path mine = IdxFixtures.writeFolder(dir.resolve("mine"), 12, 5, 9);
        DataConfig config = new DataConfig(DataSource.FASHION_MNIST, Optional.of(DataPath.of(mine)), cache(), 0.8);

        // when
        Splits.TrainTest data = Datasets.load(config);

        // then
        assertEquals(12, data.train().size());
        assertEquals(5, data.test().size());
        assertEquals(10, data.train().numClasses());
        assertEquals(IdxFixtures.SIDE * IdxFixtures.SIDE, data.train().width());
    }

    @Test
    void datasets_withADataDirLackingAFile_namesDataDirAndTheFile() throws IOException {
        // given
        Path mine = IdxFixtures.writeFolder(dir.resolve("mine"), 12, 5, 9);
        Files.delete(mine.resolve("train-labels-idx1-ubyte"));
        DataConfig config = new DataConfig(DataSource.FASHION_MNIST, Optional.of(DataPath.of(mine)), cache(), 0.8);

        // when
        DataException e = assertThrows(DataException.class, () -> Datasets.load(config));

        // then
        assertMentions(e, "data.dir " + mine + " holds neither train-labels-idx1-ubyte nor train-labels-idx1-ubyte.gz");
    }
}
