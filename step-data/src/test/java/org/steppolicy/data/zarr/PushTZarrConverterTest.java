package org.steppolicy.data.zarr;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steppolicy.data.DataFileException;
import org.steppolicy.data.DemoFile;

class PushTZarrConverterTest {
    static final Path ZARR = Path.of("../shared/data/pusht/pusht_cchi_v7_replay.zarr");
    static final Path SHIPPED = Path.of("../shared/data/pusht/pusht_cchi_v7_replay_lowdim.hdf5");
    static final Path IMAGE = Path.of("../shared/data/pusht/pusht_cchi_v7_replay_image.hdf5");

    @TempDir Path dir;

    @Test
    void convertedFileHoldsTheSameValuesAsTheShippedOne() throws IOException {
        assumeTrue(Files.isDirectory(ZARR) && Files.exists(SHIPPED), "official Push-T data absent: skipped");
        Path out = dir.resolve("sub/pusht.hdf5");
        PushTZarrConverter.Summary s = PushTZarrConverter.convert(ZARR, out);
        assertEquals(206, s.episodes());
        assertEquals(25650, s.steps());
        assertEquals(List.of("demo_18", "demo_90", "demo_134", "demo_157"), s.validDemos());
        try (HdfFile a = new HdfFile(out); HdfFile b = new HdfFile(SHIPPED)) {
            assertSameTree(a, b);
        }
        try (Stream<Path> files = Files.list(out.getParent())) {
            assertEquals(List.of(out.getFileName()), files.map(Path::getFileName).toList(), "no temporary left");
        }
    }

    /** Every group, dataset (values, bit for bit) and attribute of the shipped file is in the converted one. */
    private static void assertSameTree(Group mine, Group shipped) {
        assertEquals(shipped.getChildren().keySet(), mine.getChildren().keySet(), shipped.getPath());
        java.util.Set<String> mineAttrs = new java.util.HashSet<>(mine.getAttributes().keySet());
        mineAttrs.remove("_jHDF");   // jhdf's writer stamps its version on the root group
        assertEquals(shipped.getAttributes().keySet(), mineAttrs, shipped.getPath());
        for (var e : shipped.getAttributes().entrySet()) {
            Attribute m = mine.getAttribute(e.getKey());
            assertEquals(e.getValue().getData(), m.getData(), shipped.getPath() + "@" + e.getKey());
        }
        for (Node n : shipped.getChildren().values()) {
            Node m = mine.getChild(n.getName());
            if (n instanceof Group g) {
                assertSameTree((Group) m, g);
            } else {
                Dataset ds = (Dataset) n, dm = (Dataset) m;
                assertArrayEquals(ds.getDimensions(), dm.getDimensions(), ds.getPath());
                assertEquals(ds.getJavaType(), dm.getJavaType(), ds.getPath());
                Object x = ds.getDataFlat(), y = dm.getDataFlat();
                if (x instanceof float[] fx) assertArrayEquals(fx, (float[]) y, ds.getPath());
                else if (x instanceof long[] lx) assertArrayEquals(lx, (long[]) y, ds.getPath());
                else assertArrayEquals((Object[]) x, (Object[]) y, ds.getPath());
            }
        }
    }

    @Test
    void zarrImagesEqualTheShippedImageFile() {
        assumeTrue(Files.isDirectory(ZARR) && Files.exists(IMAGE), "official Push-T data absent: skipped");
        // the zarr stores images as float32 0..255; demo_0 is the first 161 rows (one bitshuffled Blosc chunk)
        float[] z = ZarrArray.open(ZARR, "data/img").readFloats(150, 170);
        try (DemoFile f = DemoFile.open(IMAGE)) {
            byte[] d0 = f.readFrames("demo_0", "image", 150, 161), d1 = f.readFrames("demo_1", "image", 0, 9);
            byte[] h = new byte[d0.length + d1.length];
            System.arraycopy(d0, 0, h, 0, d0.length);
            System.arraycopy(d1, 0, h, d0.length, d1.length);
            assertEquals(h.length, z.length);
            for (int i = 0; i < h.length; i++) assertEquals(h[i] & 0xff, z[i], "value " + i);
        }
    }

    @Test
    void badInputLeavesNoOutput() throws IOException {
        Path zarr = dir.resolve("bad.zarr");
        writeRawArray(zarr, "meta/episode_ends", "<i8", new long[] {3}, 3, le64(2, 3, 5));   // 5 > 4 rows
        writeRawArray(zarr, "data/action", "<f4", new long[] {4, 2}, 4, new byte[32]);
        writeRawArray(zarr, "data/state", "<f4", new long[] {4, 5}, 4, new byte[80]);
        writeRawArray(zarr, "data/keypoint", "<f4", new long[] {4, 9, 2}, 4, new byte[144]);
        writeRawArray(zarr, "data/n_contacts", "<f4", new long[] {4, 1}, 4, new byte[16]);
        Path out = dir.resolve("out/x.hdf5");
        DataFileException e = assertThrows(DataFileException.class, () -> PushTZarrConverter.convert(zarr, out));
        assertTrue(e.getMessage().contains("meta/episode_ends: entry 2 = 5"), e.getMessage());
        assertFalse(Files.exists(out));
        // a corrupt chunk met while writing: the partial file is removed
        writeRawArray(zarr, "meta/episode_ends", "<i8", new long[] {2}, 2, le64(2, 4));
        Files.write(zarr.resolve("data/state/0.0"), new byte[7]);
        e = assertThrows(DataFileException.class, () -> PushTZarrConverter.convert(zarr, out));
        assertTrue(e.getMessage().contains("data/state/0.0: 7 bytes, a chunk holds 80"), e.getMessage());
        assertFalse(Files.exists(out));
        try (Stream<Path> files = Files.list(out.getParent())) {
            assertEquals(0, files.count(), "no partial file left");
        }
        DataFileException missing = assertThrows(DataFileException.class,
                () -> PushTZarrConverter.convert(dir.resolve("nope.zarr"), out));
        assertTrue(missing.getMessage().contains("not a zarr directory"));
    }

    @Test
    void convertsASmallUncompressedStore() throws IOException {
        Path zarr = dir.resolve("small.zarr");
        java.nio.ByteBuffer act = java.nio.ByteBuffer.allocate(40).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 10; i++) act.putFloat(i);
        java.nio.ByteBuffer st = java.nio.ByteBuffer.allocate(100).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 25; i++) st.putFloat(100 + i);
        writeRawArray(zarr, "meta/episode_ends", "<i8", new long[] {2}, 2, le64(2, 5));
        // two chunks of 3 rows; zarr stores full chunks, so the second is padded to 3 rows
        writeRawArray(zarr, "data/action", "<f4", new long[] {5, 2}, 3, Arrays.copyOf(act.array(), 24));
        Files.write(zarr.resolve("data/action/1.0"), Arrays.copyOf(Arrays.copyOfRange(act.array(), 24, 40), 24));
        writeRawArray(zarr, "data/state", "<f4", new long[] {5, 5}, 5, st.array());
        writeRawArray(zarr, "data/keypoint", "<f4", new long[] {5, 9, 2}, 5, new byte[360]);
        writeRawArray(zarr, "data/n_contacts", "<f4", new long[] {5, 1}, 5, new byte[20]);
        Path out = dir.resolve("small.hdf5");
        PushTZarrConverter.convert(zarr, out);
        try (HdfFile f = new HdfFile(out)) {
            float[][] a1 = (float[][]) f.getDatasetByPath("/data/demo_1/actions").getData();
            assertArrayEquals(new float[] {4, 5}, a1[0]);
            assertArrayEquals(new float[] {8, 9}, a1[2]);
            float[][] ap = (float[][]) f.getDatasetByPath("/data/demo_1/obs/agent_pos").getData();
            assertArrayEquals(new float[] {110, 111}, ap[0]);
            assertEquals(1L, f.getDatasetByPath("/data/demo_1/dones").getDataFlat() instanceof long[] d ? d[2] : -1);
            assertEquals(1L, ((Number) ((Group) f.getChild("data")).getChild("demo_1").getAttribute("seed").getData())
                    .longValue());
        }
    }

    private static byte[] le64(long... v) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 * v.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (long x : v) b.putLong(x);
        return b.array();
    }

    /** A zarr v2 array without compressor whose chunk 0 holds the given bytes. */
    private static void writeRawArray(Path zarr, String name, String dtype, long[] shape, int rowsPerChunk,
                                      byte[] chunk0) throws IOException {
        Path d = Files.createDirectories(zarr.resolve(name));
        StringBuilder chunks = new StringBuilder().append(rowsPerChunk);
        for (int i = 1; i < shape.length; i++) chunks.append(", ").append(shape[i]);
        Files.writeString(d.resolve(".zarray"), "{\"chunks\": [" + chunks + "], \"compressor\": null, \"dtype\": \""
                + dtype + "\", \"fill_value\": 0, \"filters\": null, \"order\": \"C\", \"shape\": "
                + Arrays.toString(shape) + ", \"zarr_format\": 2}");
        Files.write(d.resolve("0" + ".0".repeat(shape.length - 1)), chunk0);
    }
}
