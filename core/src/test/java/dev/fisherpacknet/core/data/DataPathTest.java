package dev.fisherpacknet.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataPathTest {

    @TempDir
    Path dir;

    @Test
    void aPathWithoutScheme_isLocal_absolute_andPrintsAsAPath() {
        DataPath relative = DataPath.of("data/../data/x.csv");

        assertTrue(relative.isLocal());
        assertEquals(Path.of("data/x.csv").toAbsolutePath(), relative.local());
        assertEquals(Path.of("data/x.csv").toAbsolutePath().toString(), relative.toString());
        assertEquals(DataPath.of(Path.of("/a/b")), DataPath.of("file:///a/b"));
    }

    @Test
    void aUri_keepsItsScheme_andNamesItsEntries() {
        DataPath folder = DataPath.of("hdfs://namenode:8020/data/fashion/");

        assertFalse(folder.isLocal());
        assertEquals("fashion", folder.name());
        assertEquals("hdfs://namenode:8020/data/fashion/train-images-idx3-ubyte",
                folder.child("train-images-idx3-ubyte").toString());
        assertEquals("s3a://bucket/x/y", DataPath.of("s3a://bucket/x").child("y").toString());
        assertThrows(IllegalStateException.class, folder::local);
    }

    @Test
    void aValueWithASchemeThatIsNoUri_isRejectedWithTheReason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DataPath.of("hdfs://name node/x"));

        assertTrue(e.getMessage().contains("not a valid URI"), e.getMessage());
    }

    @Test
    void localStore_readsRanges_tellsMissingFromShort_andSurvivesSerialisation() throws Exception {
        Path file = Files.write(dir.resolve("bytes"), new byte[] {1, 2, 3, 4, 5});
        DataStore store = roundTrip(DataStore.LOCAL);
        byte[] middle = new byte[3];

        store.readFully(DataPath.of(file), 1, middle);

        assertEquals(DataStore.LOCAL, store);
        assertEquals(2, middle[0]);
        assertEquals(4, middle[2]);
        assertEquals(5, store.size(DataPath.of(file)));
        assertTrue(store.isFile(DataPath.of(file)));
        assertTrue(store.isDirectory(DataPath.of(dir)));
        assertThrows(EOFException.class, () -> store.readFully(DataPath.of(file), 3, new byte[3]));
        assertThrows(NoSuchFileException.class, () -> store.readFully(DataPath.of(dir.resolve("missing")), 0,
                new byte[1]));
        try (InputStream in = store.open(DataPath.of(file))) {
            assertEquals(5, in.readAllBytes().length);
        }
    }

    @Test
    void localStore_refusesAPathOfAnotherFileSystem_sayingHowToReadIt() {
        DataException e = assertThrows(DataException.class,
                () -> DataStore.LOCAL.open(DataPath.of("hdfs://namenode/x")));

        assertTrue(e.getMessage().contains("spark-submit"), e.getMessage());
    }

    private static DataStore roundTrip(DataStore store) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(store);
        }
        try (ObjectInputStream in = new ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            return (DataStore) in.readObject();
        }
    }
}
