package org.steppolicy.models;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The per-op helper switch: its list, that it attaches once, and that a graph still runs with it. */
class PlatformHelpersTest {
    @Test
    void parsesACommaList() {
        assertEquals(Set.of(), PlatformHelpers.parse(null));
        assertEquals(Set.of(), PlatformHelpers.parse(" , "));
        assertEquals(Set.of("xw_plus_b", "concat"), PlatformHelpers.parse("xw_plus_b, concat,"));
    }

    @Test
    void attachesOnceAndOnlyWhenOpsAreNamed() {
        SameDiff sd = SameDiff.create();
        PlatformHelpers.attach(sd, Set.of());
        assertEquals(0, sd.getListeners().size());
        PlatformHelpers.attach(sd, Set.of("xw_plus_b"));
        PlatformHelpers.attach(sd, Set.of("xw_plus_b"));
        assertEquals(1, sd.getListeners().size());
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 3);
        sd.nn.linear("y", x, sd.constant("w", Nd4j.ones(DataType.FLOAT, 3, 2)), sd.constant("b", Nd4j.ones(DataType.FLOAT, 2)));
        INDArray y = sd.output(Map.of("x", Nd4j.ones(DataType.FLOAT, 2, 3)), "y").get("y");
        assertEquals(4.0, y.getDouble(1, 1), 1e-6);
    }
}
