package org.steppolicy.data;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The uint8 frames of one image key for a list of demos, decoded lazily: an episode's frames are read (only its
 * HDF5 chunks decompressed) the first time one of them is asked for and kept as bytes in a least-recently-used
 * cache bounded by {@code cacheBytes}; nothing is ever held as floats. Push-T's 206 episodes are 709 MB as uint8, so
 * the default bound keeps a training split resident after the first epoch. Not thread-safe.
 */
public final class ImageFrames implements AutoCloseable {
    private final DemoFile file;
    private final String key;
    private final List<String> demos;
    private final int height, width, channels, frameBytes;
    private final long cacheBytes;
    private final LinkedHashMap<Integer, byte[]> cache = new LinkedHashMap<>(16, 0.75f, true);
    private final int[] lengths;
    private long cachedBytes;
    private long decodedEpisodes;

    private ImageFrames(DemoFile file, String key, List<String> demos, long cacheBytes) {
        this.file = file;
        this.key = key;
        this.demos = List.copyOf(demos);
        if (demos.isEmpty()) throw new IllegalArgumentException("no demos for image key " + key);
        int[] shape = file.frameShape(demos.get(0), key);
        if (shape.length != 3) throw new DataFileException(file.path(), "/data/" + demos.get(0) + "/obs/" + key,
                "expected frames of shape (H, W, C), got " + java.util.Arrays.toString(shape));
        this.height = shape[0];
        this.width = shape[1];
        this.channels = shape[2];
        this.frameBytes = height * width * channels;
        this.cacheBytes = cacheBytes;
        this.lengths = new int[demos.size()];
        for (int e = 0; e < demos.size(); e++) {
            int[] s = file.frameShape(demos.get(e), key);
            if (!java.util.Arrays.equals(s, shape)) throw new DataFileException(file.path(), "/data/" + demos.get(e) + "/obs/" + key,
                    "frame shape " + java.util.Arrays.toString(s) + " differs from " + demos.get(0) + "'s " + java.util.Arrays.toString(shape));
            lengths[e] = file.demoLongAttribute(demos.get(e), "num_samples").isPresent()
                    ? (int) file.demoLongAttribute(demos.get(e), "num_samples").getAsLong()
                    : file.readRows(file.actionsDataset(demos.get(e))).length;
        }
    }

    /** Opens {@code key} (e.g. "image") of the given demos; the file stays open until {@link #close()}. */
    public static ImageFrames open(Path hdf5, String key, List<String> demos, long cacheBytes) {
        return new ImageFrames(DemoFile.open(hdf5), key, demos, cacheBytes);
    }

    /** 2 GB: the whole Push-T image set (709 MB) fits. */
    public static final long DEFAULT_CACHE_BYTES = 2L << 30;

    public int height() { return height; }

    public int width() { return width; }

    public int channels() { return channels; }

    public int episodes() { return demos.size(); }

    public int length(int episode) { return lengths[episode]; }

    /** Episodes decoded so far (a re-decode after eviction counts again): the cost the cache saves. */
    public long decodedEpisodes() { return decodedEpisodes; }

    /** Bytes of decoded frames held now. */
    public long cachedBytes() { return cachedBytes; }

    /**
     * Frame {@code t} of episode {@code episode}, clamped to the episode (edge padding like the sequence sampler),
     * as (H, W, C) uint8 bytes: the returned array holds the whole episode, the frame starts at the returned offset
     * ({@link #offset}). Valid until the next call.
     */
    public byte[] episodeFrames(int episode) {
        byte[] f = cache.get(episode);
        if (f == null) {
            f = file.readFrames(demos.get(episode), key, 0, lengths[episode]);
            decodedEpisodes++;
            cache.put(episode, f);
            cachedBytes += f.length;
            evict(episode);
        }
        return f;
    }

    /** Offset of frame t (clamped to [0, n−1]) of the episode within {@link #episodeFrames}. */
    public int offset(int episode, int t) {
        int n = lengths[episode];
        return (t < 0 ? 0 : Math.min(t, n - 1)) * frameBytes;
    }

    private void evict(int keep) {
        var it = cache.entrySet().iterator();
        while (cachedBytes > cacheBytes && it.hasNext()) {
            Map.Entry<Integer, byte[]> e = it.next();
            if (e.getKey() == keep) continue;
            cachedBytes -= e.getValue().length;
            it.remove();
        }
    }

    @Override
    public void close() {
        cache.clear();
        cachedBytes = 0;
        file.close();
    }
}
