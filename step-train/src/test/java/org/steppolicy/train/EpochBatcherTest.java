package org.steppolicy.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Epoch batches cover every window once; a single leftover window joins the last batch (no batch of one). */
class EpochBatcherTest {
    private static Set<Integer> epoch(EpochBatcher b, long first) {
        Set<Integer> seen = new HashSet<>();
        for (long s = first; s < first + b.batchesPerEpoch(); s++) for (int i : b.batch(s)) seen.add(i);
        return seen;
    }

    @Test
    void aSingleLeftoverWindowJoinsTheLastBatch() {
        EpochBatcher b = new EpochBatcher(9, 4, 3);            // 4 + 5, not 4 + 4 + 1
        assertEquals(2, b.batchesPerEpoch());
        assertEquals(4, b.batch(0).length);
        assertEquals(5, b.batch(1).length);
        assertEquals(9, epoch(b, 0).size());
        assertEquals(9, epoch(b, 2).size(), "the next epoch too");
    }

    @Test
    void otherRemaindersStayAsTheirOwnBatch() {
        EpochBatcher b = new EpochBatcher(10, 4, 3);           // 4 + 4 + 2, as drop_last=False
        assertEquals(3, b.batchesPerEpoch());
        assertEquals(2, b.batch(2).length);
        assertEquals(10, epoch(b, 0).size());
        assertEquals(1, new EpochBatcher(1, 4, 3).batch(0).length, "one window in all: that one");
        assertEquals(2, new EpochBatcher(9, 4, 3, true).batchesPerEpoch(), "drop_last keeps full batches only");
        assertEquals(4, new EpochBatcher(9, 4, 3, true).batch(1).length);
        assertEquals(8, Arrays.stream(new int[] {0, 1}).map(s -> new EpochBatcher(9, 4, 3, true).batch(s).length).sum());
    }
}
