package org.steppolicy.data;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SequenceSamplerTest {
    static final int H = 16, TO = 2, TA = 8;

    /** Episode e: action at step t is (1000e + t, −t), obs is (t, 10e, 0.5t); every step distinct. */
    static Episode episode(int e, int n) {
        float[][] obs = new float[n][], act = new float[n][];
        for (int t = 0; t < n; t++) {
            obs[t] = new float[] {t, 10 * e, 0.5f * t};
            act[t] = new float[] {1000 * e + t, -t};
        }
        return new Episode("demo_" + e, OptionalLong.empty(), obs, act);
    }

    static List<Episode> episodes(int... lengths) {
        List<Episode> l = new ArrayList<>();
        for (int i = 0; i < lengths.length; i++) l.add(episode(i, lengths[i]));
        return l;
    }

    /** DP's create_indices + sample_sequence, written from §D.2 independently of the sampler: slice then fill. */
    static float[][] dpWindow(float[][] data, int idx, int L) {
        int n = data.length;
        int bufStart = Math.max(idx, 0), bufEnd = Math.min(idx + L, n);
        int startOffset = bufStart - idx, endOffset = (idx + L) - bufEnd;
        float[][] out = new float[L][];
        for (int s = startOffset; s < L - endOffset; s++) out[s] = data[bufStart + s - startOffset];
        for (int s = 0; s < startOffset; s++) out[s] = data[bufStart];
        for (int s = L - endOffset; s < L; s++) out[s] = data[bufEnd - 1];
        return out;
    }

    @Test
    void windowsPerEpisodeIsNMinus7ForPushTSettings() {
        SequenceSampler s = new SequenceSampler(episodes(49, 246, 16, 9, 8, 3), H, TO, TA, null);
        assertEquals(42, s.windowsPerEpisode(49));
        assertEquals(239, s.windowsPerEpisode(246));
        assertEquals(1, s.windowsPerEpisode(8));
        assertEquals(0, s.windowsPerEpisode(3));
        assertEquals(42 + 239 + 9 + 2 + 1, s.size());
        // first window of an episode starts at −(To−1), the last at n − H + Ta − 1
        assertEquals(new SequenceSampler.Window(0, -1), s.window(0));
        assertEquals(new SequenceSampler.Window(0, 49 - 16 + 7), s.window(41));
    }

    @Test
    void windowsEqualDpSampleSequenceWithEdgePadding() {
        List<Episode> eps = episodes(20, 9, 31);
        SequenceSampler s = new SequenceSampler(eps, H, TO, TA, null);
        float[] obs = new float[H * 3], act = new float[H * 2];
        for (int w = 0; w < s.size(); w++) {
            SequenceSampler.Window win = s.window(w);
            s.fill(w, obs, 0, H, act, 0, null, 0);
            Episode e = eps.get(win.episode());
            float[][] refObs = dpWindow(e.obs(), win.start(), H), refAct = dpWindow(e.actions(), win.start(), H);
            for (int r = 0; r < H; r++) {
                assertArrayEquals(refObs[r], Arrays.copyOfRange(obs, r * 3, r * 3 + 3), "window " + w + " row " + r);
                assertArrayEquals(refAct[r], Arrays.copyOfRange(act, r * 2, r * 2 + 2), "window " + w + " row " + r);
            }
        }
    }

    @Test
    void previousChunkIsTheWindowTaStepsEarlierAndNeverReachesPastWhatInferenceHas() {
        List<Episode> eps = episodes(40, 12, 25);
        SequenceSampler s = new SequenceSampler(eps, H, TO, TA, null);
        float[] act = new float[H * 2], prev = new float[H * 2];
        int notTargetCopy = 0;
        for (int w = 0; w < s.size(); w++) {
            SequenceSampler.Window win = s.window(w);
            int n = eps.get(win.episode()).length();
            s.fill(w, null, 0, 0, act, 0, prev, 0);
            for (int r = 0; r < H; r++) {
                int step = (int) prev[2 * r] - 1000 * win.episode();  // the fixture's action encodes its step
                assertEquals(Math.max(0, Math.min(n - 1, win.start() - TA + r)), step, "alignment, row " + r);
                // the cache at inference holds the previous call's chunk: it ends at start + H − Ta − 1
                assertTrue(step <= win.start() + H - TA - 1, "prev reaches past the previous call's chunk");
                if (r >= TA) assertEquals(act[2 * (r - TA)], prev[2 * r], "prev rows Ta.. overlap target rows 0..");
            }
            // the target's executed steps (rows To−1 .. To−1+Ta−1) beyond the overlap never appear in prev
            Set<Float> prevSteps = new HashSet<>();
            for (int r = 0; r < H; r++) prevSteps.add(prev[2 * r]);
            for (int r = H - TA; r < H; r++) {
                int step = win.start() + r;
                if (step > 0 && step < n) assertFalse(prevSteps.contains(act[2 * r]), "leak of target row " + r);
            }
            if (!Arrays.equals(Arrays.copyOfRange(prev, 0, 2 * TA), Arrays.copyOfRange(act, 0, 2 * TA))) notTargetCopy++;
        }
        // unlike the public code, prev is not the target's first Ta steps (except where both are all-padding)
        assertTrue(notTargetCopy > s.size() - 3, notTargetCopy + " of " + s.size());
    }

    @Test
    void seededShufflingAndBatches() {
        SequenceSampler s = new SequenceSampler(episodes(30, 50, 17), H, TO, TA, null);
        int total = s.size();
        SequenceSampler.Batch b = s.newBatch(8, TO, true);
        List<Integer> seen = new ArrayList<>();
        SequenceSampler.Epoch ep = s.epoch(7, true, false);
        int batches = 0;
        float[] obs1 = new float[TO * 3], act1 = new float[H * 2], prev1 = new float[H * 2];
        while (ep.next(b)) {
            batches++;
            for (int i = 0; i < b.size; i++) {
                seen.add(b.windows[i]);
                s.fill(b.windows[i], obs1, 0, TO, act1, 0, prev1, 0);
                assertArrayEquals(obs1, Arrays.copyOfRange(b.obs, i * TO * 3, (i + 1) * TO * 3));
                assertArrayEquals(act1, Arrays.copyOfRange(b.action, i * H * 2, (i + 1) * H * 2));
                assertArrayEquals(prev1, Arrays.copyOfRange(b.prevAction, i * H * 2, (i + 1) * H * 2));
            }
        }
        assertEquals((total + 7) / 8, batches);
        assertEquals(total % 8 == 0 ? 8 : total % 8, b.size);
        List<Integer> sorted = new ArrayList<>(seen);
        sorted.sort(null);
        for (int i = 0; i < total; i++) assertEquals(i, sorted.get(i), "each window exactly once");
        assertNotEquals(sorted, seen, "shuffled");
        assertArrayEquals(s.epoch(7, true, false).order(), s.epoch(7, true, false).order());
        assertFalse(Arrays.equals(s.epoch(7, true, false).order(), s.epoch(8, true, false).order()));
        SequenceSampler.Epoch drop = s.epoch(7, true, true);
        int full = 0;
        while (drop.next(b)) { assertEquals(8, b.size); full++; }
        assertEquals(total / 8, full);
    }

    @Test
    void normalisesWithTheDatasetNormalizer() {
        List<Episode> eps = episodes(30, 20);
        DatasetNormalizer norm = DatasetNormalizer.fit(eps, LinearNormalizer.LIMITS, LinearNormalizer.LIMITS);
        SequenceSampler raw = new SequenceSampler(eps, H, TO, TA, null);
        SequenceSampler normed = new SequenceSampler(eps, H, TO, TA, norm);
        float[] a = new float[H * 2], b = new float[H * 2];
        for (int w = 0; w < raw.size(); w++) {
            raw.fill(w, null, 0, 0, a, 0, null, 0);
            normed.fill(w, null, 0, 0, b, 0, null, 0);
            norm.action().normalize(a);
            assertArrayEquals(a, b);
            for (float v : b) assertTrue(v >= -1f && v <= 1f);
        }
    }
}
