package org.steppolicy.data;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class NumpyRandomTest {

    @Test
    void randomMatchesNumpyDefaultRng42() {
        // np.random.default_rng(42).random(3)
        NumpyRandom r = new NumpyRandom(42);
        assertEquals(0.7739560485559633, r.random(), 1e-16);
        assertEquals(0.4388784397520523, r.random(), 1e-16);
        assertEquals(0.8585979199113825, r.random(), 1e-16);
    }

    @Test
    void valMaskMatchesDiffusionPolicy() {
        // docs/reference/diffusion-policy.md §D.2, computed with numpy 1.24 and 2.4
        assertArrayEquals(new int[] {18, 90, 134, 157}, EpisodeSplit.indices(EpisodeSplit.valMask(206, 0.02, 42)));
        assertArrayEquals(new int[] {17, 87, 130, 153}, EpisodeSplit.indices(EpisodeSplit.valMask(200, 0.02, 42)));
        assertArrayEquals(new int[] {26, 129, 130, 194, 229, 257},
                EpisodeSplit.indices(EpisodeSplit.valMask(300, 0.02, 42)));
    }

    @Test
    void valMaskKeepsAtLeastOneEpisodeEachSide() {
        assertEquals(1, EpisodeSplit.indices(EpisodeSplit.valMask(3, 0.02, 42)).length);
        assertEquals(1, EpisodeSplit.indices(EpisodeSplit.valMask(2, 0.9, 42)).length);
        assertEquals(0, EpisodeSplit.indices(EpisodeSplit.valMask(10, 0.0, 42)).length);
    }

    @Test
    void downsampleKeepsSubsetOfRequestedSize() {
        EpisodeSplit s = EpisodeSplit.seeded(206, 0.02, 42, 90);
        assertEquals(90, s.trainCount());
        assertEquals(4, s.validCount());
        for (int i = 0; i < 206; i++) assertFalse(s.train()[i] && s.valid()[i], "episode " + i + " in both");
        // deterministic
        assertArrayEquals(s.train(), EpisodeSplit.seeded(206, 0.02, 42, 90).train());
        assertNotEquals(Arrays.toString(s.train()), Arrays.toString(EpisodeSplit.seeded(206, 0.02, 7, 90).train()));
    }
}
