package org.steppolicy.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.List;
import org.apache.spark.SparkException;
import org.junit.jupiter.api.Test;
import org.steppolicy.config.UserError;

/** The driver's bookkeeping around Spark, without starting Spark. */
class SweepProgressTest {
    @Test
    void aCellIsDoneWhenEveryBlockIsAndARetriedBlockCountsOnce() {
        assertEquals(0, Sweep.cellsDone(List.of(), 3));
        assertEquals(0, Sweep.cellsDone(List.of("0:0", "0:1", "0:1"), 3));
        assertEquals(1, Sweep.cellsDone(List.of("0:0", "0:1", "1:0", "0:2"), 3));
        assertEquals(2, Sweep.cellsDone(List.of("0:0", "1:0"), 1));
    }

    @Test
    void aUserErrorOnAnExecutorStaysOneLine() {
        RuntimeException e = Sweep.taskFailure(new SparkException("Job aborted due to stage failure: Task 0 in stage 0.0 failed 4 times, "
                + "most recent failure: Lost task 0.3 (TID 3) (node-2 executor 1): org.steppolicy.config.UserError: /data/models/x: "
                + "no such policy folder\n\tat org.steppolicy.eval.LoadedPolicy.load(LoadedPolicy.java:40)\n"));
        assertInstanceOf(UserError.class, e);
        assertEquals("a sweep task failed: /data/models/x: no such policy folder", e.getMessage());
        RuntimeException bug = Sweep.taskFailure(new SparkException("Job aborted: java.lang.NullPointerException"));
        assertInstanceOf(SparkException.class, bug.getCause());   // a defect stays an internal failure (exit 1)
    }
}
