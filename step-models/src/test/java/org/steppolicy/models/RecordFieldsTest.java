package org.steppolicy.models;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The meta.json arch entries built from records keep their keys, order and value types (the checkpoint format). */
class RecordFieldsTest {
    private static Map<String, Object> map(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) m.put((String) keyValues[i], keyValues[i + 1]);
        return m;
    }

    @Test
    void unetArchKeepsItsKeysInOrder() {
        Map<String, Object> a = new UnetConfig(2, 40, List.of(16, 32), 5, 8, 16, true).toArch();
        assertEquals(map("net", "conditional_unet1d", "input_dim", 2, "global_cond_dim", 40, "down_dims", List.of(16, 32),
                "kernel_size", 5, "n_groups", 8, "diffusion_step_embed_dim", 16, "cond_predict_scale", true), a);
        assertEquals(List.copyOf(a.keySet()), Arrays.asList("net", "input_dim", "global_cond_dim", "down_dims", "kernel_size",
                "n_groups", "diffusion_step_embed_dim", "cond_predict_scale"));
        assertEquals(Integer.class, a.get("input_dim").getClass());
    }

    @Test
    void imageSpecAndSamplerKeepTheirKeysInOrder() {
        Map<String, Object> image = new ImageObsSpec(2, 84, 84, ImageObsSpec.SMALL_CONV, 64).toArch();
        assertEquals(List.of("low_dim", "height", "width", "encoder", "feature_dim"), List.copyOf(image.keySet()));
        assertEquals(map("low_dim", 2, "height", 84, "width", 84, "encoder", "small_conv", "feature_dim", 64), image);
        assertEquals(map("beta_schedule", "linear", "clip_sample", false, "prediction_type", "sample"),
                RecordFields.of(new DpArch.Sampler("linear", false, "sample")));
    }
}
