package org.steppolicy.infer;

import org.steppolicy.data.DatasetNormalizer;
import org.steppolicy.data.LinearNormalizer;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CompatibilityCheckTest {
    static final PolicyShape SHAPE = ChunkPlannerTest.SHAPE;
    static final DatasetNormalizer NORM = ChunkPlannerTest.NORM;

    static Denoiser dp() { return new Fakes.CondTarget(SHAPE, false); }

    static void expectError(String fragment, Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), "one line");
    }

    static PolicyModels models(Denoiser dp, ChunkPredictor p, DatasetNormalizer pn) {
        return new PolicyModels(SHAPE, dp, NORM, p, pn);
    }

    @Test
    void acceptsAMatchingPair() {
        ChunkPredictor p = new Fakes.Predictor(SHAPE.horizon(), SHAPE.actionDim(), true);
        // a normaliser read back from JSON may differ in the last bits
        DatasetNormalizer close = new DatasetNormalizer(NORM.obs(), LinearNormalizer.affine(
                new float[] {0.004f * (1 + 1e-7f), 0.0041f}, new float[] {-1.05f, -1.1f}));
        assertDoesNotThrow(() -> new ChunkPlanner(models(dp(), p, close), MethodSpec.parse("step:2").config()));
        assertDoesNotThrow(() -> new ChunkPlanner(models(new Fakes.CondTarget(SHAPE, true), null, null),
                MethodSpec.parse("ddim:2").config()));
    }

    @Test
    void rejectsAPredictorThatDisagreesWithTheDp() {
        MethodConfig step = MethodSpec.parse("step:2").config();
        expectError("predictor horizon", () -> new ChunkPlanner(models(dp(), new Fakes.Predictor(16, 2, true), NORM), step));
        expectError("predictor action dim", () -> new ChunkPlanner(models(dp(), new Fakes.Predictor(8, 7, true), NORM), step));
        DatasetNormalizer otherAction = new DatasetNormalizer(NORM.obs(),
                LinearNormalizer.affine(new float[] {0.004f, 0.005f}, new float[] {-1.05f, -1.1f}));
        expectError("action normaliser", () -> new ChunkPlanner(models(dp(), new Fakes.Predictor(8, 2, true), otherAction), step));
        DatasetNormalizer otherObs = new DatasetNormalizer(LinearNormalizer.identity(3), NORM.action());
        expectError("obs normaliser", () -> new ChunkPlanner(models(dp(), new Fakes.Predictor(8, 2, true), otherObs), step));
        expectError("needs a 'step' predictor", () -> new ChunkPlanner(models(dp(), null, null), step));
        expectError("spatiotemporal", () -> new ChunkPlanner(models(dp(), new Fakes.Predictor(8, 2, false), NORM), step));
        expectError("obs-only", () -> new ChunkPlanner(models(dp(), new Fakes.Predictor(8, 2, true), NORM),
                MethodSpec.parse("spatial:2").config()));
    }

    @Test
    void rejectsADpThatDisagreesWithTheConfig() {
        MethodConfig ddim = MethodSpec.parse("ddim:2").config();
        PolicyShape other = new PolicyShape(2, 3, 8, 4, 2);
        expectError("condition", () -> new ChunkPlanner(new PolicyModels(other, dp(), NORM, null, null), ddim));
        expectError("DP horizon", () -> new ChunkPlanner(new PolicyModels(new PolicyShape(2, 3, 10, 3, 2), dp(), NORM, null, null), ddim));
        expectError("trajectory channels", () -> new ChunkPlanner(new PolicyModels(other, new Fakes.CondTarget(SHAPE, true), NORM, null, null), ddim));
        expectError("exceeds the horizon", () -> new PolicyShape(2, 8, 8, 3, 2));
    }
}
