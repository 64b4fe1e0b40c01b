package org.steppolicy.models;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Parameter counts against the reference table (docs/reference/diffusion-policy.md §A.1, "Parameter counts"). */
class UnetParameterCountTest {

    @Test
    void pushTGlobalCondition() {
        assertEquals(65_783_298L, new ConditionalUnet1d(UnetConfig.of(2, 40, List.of(256, 512, 1024), 256), 16).parameterCount());
    }

    @Test
    void pushTSmall() {
        assertEquals(5_412_162L, new ConditionalUnet1d(UnetConfig.of(2, 40, List.of(64, 128, 256), 256), 16).parameterCount());
    }

    @Test
    void pushTInpainting() {
        assertEquals(65_245_718L, new ConditionalUnet1d(UnetConfig.of(22, 0, List.of(256, 512, 1024), 256), 16).parameterCount());
    }

    @Test
    void otherTasksFromTheTable() {
        assertEquals(65_763_591L, new ConditionalUnet1d(UnetConfig.of(7, 38, List.of(256, 512, 1024), 256), 16).parameterCount());
        assertEquals(66_933_780L, new ConditionalUnet1d(UnetConfig.of(20, 118, List.of(256, 512, 1024), 256), 16).parameterCount());
    }
}
