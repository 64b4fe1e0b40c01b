package org.steppolicy.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steppolicy.infer.policy.PolicyOptions;
import org.steppolicy.infer.policy.StepPolicy;
import org.steppolicy.models.Checkpoint;
import org.steppolicy.models.PredictorArch;
import org.steppolicy.models.PredictorNetConfig;
import org.steppolicy.models.StepPredictorNet;
import org.steppolicy.importer.DiffusionPolicyCheckpointWriter;

/**
 * Issue 13's last criterion: a DP that went through diffusion_policy's checkpoint format and {@code step import} acts
 * exactly like the native checkpoint it came from, through the policy object, for every method (the predictor-based
 * ones with the same predictors beside it).
 */
class ImportedPolicyTest {
    @TempDir
    Path tmp;

    static final List<String> METHODS = List.of("ddpm:100", "ddim:2", "dpmsolver:2", "temporal:2", "falcon:2", "spatial:2", "step:2",
            "step:2:fine", "step:4", "predictor");

    @Test
    void everyMethodActsTheSameOnTheImportedDp() throws Exception {
        Path nat = ImportCommandTest.nativeDp(tmp.resolve("native"));
        Path ckpt = tmp.resolve("latest.ckpt");
        DiffusionPolicyCheckpointWriter.write(DiffusionPolicyCheckpointWriter.fromNative(nat), ckpt);
        Path imported = tmp.resolve("imported");
        StepCliTest.Result r = StepCliTest.run("import", ckpt.toString(), "--out", imported.toString());
        assertEquals(0, r.code(), r.err());

        String normalizer = Files.readString(nat.resolve(Checkpoint.NORMALIZER));
        PolicyOptions options = PolicyOptions.defaults().withPredictors(
                predictor(tmp.resolve("pred-step"), PredictorNetConfig.Kind.STEP, normalizer),
                predictor(tmp.resolve("pred-spatial"), PredictorNetConfig.Kind.SPATIAL, normalizer));
        for (String method : METHODS) {
            try (StepPolicy a = StepPolicy.load(nat, method, options); StepPolicy b = StepPolicy.load(imported, method, options)) {
                assertEquals(a.info().scheduler(), b.info().scheduler(), method);
                a.reset(7);
                b.reset(7);
                for (int t = 0; t < 20; t++) {   // 20 control steps: 3 model calls, the warm start and cache in play
                    float[] obs = observation(t);
                    assertArrayEquals(a.act(obs), b.act(obs), method + " step " + t);
                }
            }
        }
    }

    /** A moving observation inside the native checkpoint's normaliser range. */
    private static float[] observation(int t) {
        float[] o = new float[20];
        for (int i = 0; i < o.length; i++) o[i] = (float) (250 + 100 * Math.sin(0.3 * t + 0.7 * i));
        return o;
    }

    /** A predictor checkpoint (random weights) sharing the DP's normaliser, as train-predictor --dp writes it. */
    static Path predictor(Path dir, PredictorNetConfig.Kind kind, String normalizerJson) throws Exception {
        PredictorNetConfig c = new PredictorNetConfig(20, 2, 2, 16, 32, 4, 64, 0.1, 1, 1, kind);
        Map<String, Object> a = new PredictorArch(c, 8).toArch();
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(Checkpoint.NORMALIZER), normalizerJson);
        Files.writeString(dir.resolve(Checkpoint.CONFIG), "");
        new StepPredictorNet(c).initParams(kind.ordinal() + 5).save(dir.resolve(Checkpoint.MODEL));
        Files.writeString(dir.resolve(Checkpoint.META), new Checkpoint.Meta(Checkpoint.KIND_PREDICTOR, 20, 0.5, a).toJson());
        return dir;
    }
}
