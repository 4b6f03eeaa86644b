package dev.fisherpacknet.core.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fisherpacknet.core.testing.ChildJvm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Temp-then-rename writes: a failure, even a crash, never leaves a complete-looking file. */
class AtomicFilesTest {

    @TempDir
    Path dir;

    private List<String> names() throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** A write that fails half way, as a full disk or a bug in the serialiser would. */
    private static final AtomicFiles.Content FAILS_HALF_WAY = out -> {
        out.write("run,seed,score\nr000,1,fis".getBytes(StandardCharsets.UTF_8));
        throw new IOException("No space left on device");
    };

    @Test
    void write_failingHalfWay_leavesNoFileAndNoTemporary() throws IOException {
        // given
        Path target = dir.resolve("accuracy.csv");

        // when
        var e = assertThrows(java.io.UncheckedIOException.class, () -> AtomicFiles.write(target, FAILS_HALF_WAY));

        // then
        assertTrue(e.getMessage().startsWith("cannot write " + target + ": "), e.getMessage());
        assertEquals(List.of(), names());
    }

    @Test
    void write_failingHalfWay_keepsThePreviousCompleteFile() throws IOException {
        // given
        Path target = AtomicFiles.writeString(dir.resolve("accuracy.csv"), "the complete old table\n");

        // when
        assertThrows(java.io.UncheckedIOException.class, () -> AtomicFiles.write(target, FAILS_HALF_WAY));

        // then
        assertEquals("the complete old table\n", Files.readString(target));
        assertEquals(List.of("accuracy.csv"), names());
    }

    @Test
    void write_replacesTheFile_withTheUsualPermissionsOfANewFile() throws IOException {
        // given: what a plain write of a new file gets under this process's umask
        var usual = Files.getPosixFilePermissions(Files.writeString(dir.resolve("plain"), "x"));
        Files.delete(dir.resolve("plain"));

        // when
        Path target = AtomicFiles.writeString(dir.resolve("summary.md"), "first");
        AtomicFiles.writeString(target, "second");

        // then
        assertEquals("second", Files.readString(target));
        assertEquals(List.of("summary.md"), names());
        assertEquals(usual, Files.getPosixFilePermissions(target));
        assertTrue(Files.getPosixFilePermissions(target).contains(PosixFilePermission.OWNER_READ));
    }

    @Test
    void write_ofAProcessThatDiesHalfWay_leavesOnlyAHiddenTemporary() throws Exception {
        // given
        Path target = dir.resolve("manifest.json");

        // when: a child JVM halts in the middle of the write
        ChildJvm.Result result = ChildJvm.run(HaltMidWriteMain.class, "file", "{\"experiment\": \"ha",
                target.toString());

        // then: no manifest.json, only a hidden .tmp holding the half
        assertEquals(3, result.status(), result.output());
        List<String> names = names();
        assertEquals(1, names.size(), names.toString());
        assertTrue(names.get(0).startsWith(".manifest.json.") && names.get(0).endsWith(".tmp"), names.toString());
        assertFalse(Files.exists(target));
    }

    @Test
    void writeFolder_failingHalfWay_keepsThePreviousFolderAndLeavesNoTemporary() throws IOException {
        // given
        Path target = AtomicFiles.writeFolder(dir.resolve("accuracy.parquet"), d -> {
            Files.createDirectories(d);
            Files.writeString(d.resolve("part-0"), "old");
        });

        // when
        IOException cause = new IOException("executor lost");
        var e = assertThrows(java.io.UncheckedIOException.class, () -> AtomicFiles.writeFolder(target, d -> {
            Files.createDirectories(d);
            Files.writeString(d.resolve("part-0"), "new, but half");
            throw cause;
        }));

        // then
        assertEquals(cause, e.getCause());
        assertEquals(List.of("accuracy.parquet"), names());
        try (Stream<Path> parts = Files.list(target)) {
            assertEquals(List.of(target.resolve("part-0")), parts.toList());
        }
        assertEquals("old", Files.readString(target.resolve("part-0")));
    }

    @Test
    void writeFolder_replacesAnExistingFolderWhole() throws IOException {
        // given
        Path target = AtomicFiles.writeFolder(dir.resolve("tasks.parquet"), d -> {
            Files.createDirectories(d);
            Files.writeString(d.resolve("part-0"), "old");
            Files.writeString(d.resolve("part-1"), "old");
        });

        // when
        AtomicFiles.writeFolder(target, d -> {
            Files.createDirectories(d);
            Files.writeString(d.resolve("part-0"), "new");
        });

        // then: nothing of the old folder is left, in it or beside it
        assertEquals(List.of("tasks.parquet"), names());
        try (Stream<Path> parts = Files.list(target)) {
            assertEquals(List.of(target.resolve("part-0")), parts.toList());
        }
        assertEquals("new", Files.readString(target.resolve("part-0")));
    }

    @Test
    void writeFolder_ofAProcessThatDiesHalfWay_leavesOnlyAHiddenTemporary() throws Exception {
        // given
        Path target = dir.resolve("accuracy.parquet");

        // when
        ChildJvm.Result result = ChildJvm.run(HaltMidWriteMain.class, "folder", "PAR1", target.toString());

        // then
        assertEquals(3, result.status(), result.output());
        List<String> names = names();
        assertEquals(1, names.size(), names.toString());
        assertTrue(names.get(0).startsWith(".accuracy.parquet.tmp-"), names.toString());
        assertFalse(Files.exists(target));
    }
}
