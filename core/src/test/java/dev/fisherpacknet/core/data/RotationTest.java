package dev.fisherpacknet.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fisherpacknet.core.ConfigException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The rotated stream: {@link PixelMap#rotation} against index arithmetic and hand-computed interpolation. */
class RotationTest {

    /** {@code count} random square images of {@code side x side} pixels, labels cycling over 3 classes. */
    private static ImageSet images(long seed, int count, int side) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] pixels = new float[count * side * side];
        for (int k = 0; k < pixels.length; k++) {
            pixels[k] = (float) random.nextDouble();
        }
        return new ImageSet(pixels, IntStream.range(0, count).map(i -> i % 3).toArray(), side * side, 3);
    }

    /** Example 0 of {@code set} mapped by {@code map}. */
    private static float[] mapped(PixelMap map, ImageSet set, int example) {
        float[] out = new float[set.width()];
        map.apply(set, example, out, 0);
        return out;
    }

    private static float[] example(ImageSet set, int i) {
        float[] out = new float[set.width()];
        set.copyFeatures(i, out, 0);
        return out;
    }

    private static List<Task> rotatedStream(ImageSet train, ImageSet test, Double... angles) {
        return TaskStreams.build(new TaskStreamConfig(TaskStreamKind.ROTATED,
                angles.length, List.of(), List.of(angles)), 1, train, test);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4, 5, 28})
    void rotationByZero_isTheIdentity_bitForBit(int side) {
        // given
        ImageSet train = images(side, 6, side);
        ImageSet test = images(side + 100, 2, side);

        // when
        Task task = rotatedStream(train, test, 0.0).get(0);

        // then
        float[] batch = task.trainBatch(train, IntStream.range(0, 6).toArray()).getFeatures().data().asFloat();
        assertArrayEquals(train.features(), batch);
        assertArrayEquals(test.features(), task.testSet(test).getFeatures().data().asFloat());
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 5, 6, 28})
    void quarterTurn_equalsTheIndexRotationCounterclockwise(int side) {
        // given
        ImageSet set = images(7 * side, 3, side);
        PixelMap quarter = PixelMap.rotation(side, 90);

        for (int i = 0; i < set.size(); i++) {
            // when
            float[] rotated = mapped(quarter, set, i);

            // then: counterclockwise, output[r][c] = input[c][side - 1 - r] (the right column becomes the top row)
            float[] expected = new float[side * side];
            for (int r = 0; r < side; r++) {
                for (int c = 0; c < side; c++) {
                    expected[r * side + c] = set.feature(i, c * side + (side - 1 - r));
                }
            }
            assertArrayEquals(expected, rotated);
        }
    }

    @Test
    void quarterTurn_movesTheTopRightCornerToTheTopLeft() {
        // given: a 4x4 image that is dark but for its top-right pixel
        float[] pixels = new float[16];
        pixels[3] = 1f;
        ImageSet set = new ImageSet(pixels, new int[] {0}, 16, 1);

        // when
        float[] rotated = mapped(PixelMap.rotation(4, 90), set, 0);

        // then
        float[] expected = new float[16];
        expected[0] = 1f;
        assertArrayEquals(expected, rotated);
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 6, 28})
    void halfTurnTwice_returnsTheOriginal(int side) {
        // given
        ImageSet set = images(11 * side, 2, side);
        PixelMap half = PixelMap.rotation(side, 180);

        for (int i = 0; i < set.size(); i++) {
            // when
            float[] once = mapped(half, set, i);
            ImageSet onceSet = new ImageSet(once, new int[] {0}, side * side, 1);
            float[] twice = mapped(half, onceSet, 0);

            // then: every pixel, the interior ones included, is back where it started
            assertArrayEquals(example(set, i), twice);
            // and once is the point reflection through the centre
            for (int k = 0; k < side * side; k++) {
                assertEquals(set.feature(i, side * side - 1 - k), once[k]);
            }
        }
    }

    @Test
    void thirtyDegrees_interpolatesBilinearlyBetweenTheFourNeighbours() {
        // given: a 3x3 image with pixel (r, c) = (3r + c) / 10, centre (1, 1)
        float[] pixels = new float[9];
        for (int k = 0; k < 9; k++) {
            pixels[k] = k / 10f;
        }
        ImageSet set = new ImageSet(pixels, new int[] {0}, 9, 1);

        // when
        float[] rotated = mapped(PixelMap.rotation(3, 30), set, 0);

        // then: output (0, 1) is one pixel above the centre; rotating back by 30 degrees clockwise puts it at
        // (col 1 + sin 30, row 1 - cos 30) = (1.5, 1 - sqrt(3)/2), between rows 0, 1 and halfway between cols 1, 2:
        // (1 - fr) * (0.1 + 0.2) / 2 + fr * (0.4 + 0.5) / 2 with fr = 1 - sqrt(3)/2, i.e. 0.45 - 0.15 * sqrt(3).
        assertEquals(0.45 - 0.15 * Math.sqrt(3), rotated[1], 1e-6);
        // the centre stays where it is
        assertEquals(0.4f, rotated[4]);
    }

    @Test
    void fortyFiveDegrees_readsZeroOutsideTheImage() {
        // given: a bright 9x9 image, centre (4, 4)
        float[] pixels = new float[81];
        java.util.Arrays.fill(pixels, 1f);
        ImageSet set = new ImageSet(pixels, new int[] {0}, 81, 1);

        // when
        float[] rotated = mapped(PixelMap.rotation(9, 45), set, 0);

        // then: a corner comes from 4 * sqrt(2) = 5.66 pixels out along an axis, more than one pixel beyond the
        // edge (4 out), so all four of its neighbours are outside; the centre stays
        for (int corner : new int[] {0, 8, 72, 80}) {
            assertEquals(0f, rotated[corner], "corner " + corner);
        }
        assertEquals(1f, rotated[40]);
        for (float v : rotated) {
            assertTrue(v >= 0f && v <= 1.0000001f, "bilinear weights are a convex combination");
        }
    }

    @Test
    void rotatedStream_hasOneTaskPerAngle_withEveryExampleAndTheBaseLabels() {
        // given
        ImageSet train = images(3, 9, 4);
        ImageSet test = images(4, 5, 4);

        // when
        List<Task> tasks = rotatedStream(train, test, 0.0, 90.0, 200.0);

        // then
        assertEquals(3, tasks.size());
        for (int t = 0; t < tasks.size(); t++) {
            Task task = tasks.get(t);
            assertEquals(t, task.index());
            assertEquals(3, task.numClasses());
            assertEquals(9, task.trainSize());
            assertArrayEquals(test.labels(), task.testLabels(test));
        }
        assertEquals(PixelMap.rotation(4, 90), tasks.get(1).pixels());
        assertEquals(PixelMap.rotation(4, 200), tasks.get(2).pixels());
    }

    @Test
    void rotatedStream_overImagesThatAreNotSquare_isRejectedNamingTheWidth() {
        // given: 12 features per example
        ImageSet set = new ImageSet(new float[24], new int[] {0, 1}, 12, 2);

        // when
        ConfigException e = assertThrows(ConfigException.class, () -> rotatedStream(set, set, 0.0));

        // then
        assertTrue(e.getMessage().contains("tasks.stream = rotated needs square images, but the data have 12 "
                + "features per example, which is not a square number"), e.getMessage());
    }

    @Test
    void rotatedTask_survivesJavaSerialization_asExecutorsReceiveIt() throws IOException, ClassNotFoundException {
        // given
        ImageSet set = images(5, 4, 6);
        Task task = rotatedStream(set, set, 30.0).get(0);

        // when
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(task);
        }
        Task copy;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (Task) in.readObject();
        }

        // then
        assertEquals(task, copy);
        assertArrayEquals(task.testSet(set).getFeatures().data().asFloat(),
                copy.testSet(set).getFeatures().data().asFloat());
    }

    @Test
    void pixelMap_withASourceOutsideTheImage_isRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PixelMap(1, new int[] {0, 2}, new float[] {1f, 1f}));
        assertEquals("source index 2 outside [0, 2)", e.getMessage());
    }
}
