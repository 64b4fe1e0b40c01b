package org.steppolicy.importer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steppolicy.config.ConfigLoader;
import org.steppolicy.data.DatasetNormalizer;
import org.steppolicy.data.LinearNormalizer;
import org.steppolicy.models.Checkpoint;
import org.steppolicy.models.UnetConfig;

/** The diffusion_policy reference checkpoint imports to the network and normaliser upstream computes. */
class DiffusionPolicyImportTest {
    @TempDir
    Path tmp;

    @Test
    void emaNetworkMatchesUpstreamOutputs() throws Exception {
        Path ckpt = ImportFixtures.require(ImportFixtures.DP_CKPT);
        Npz npz = Npz.read(ImportFixtures.require(ImportFixtures.DP_EXPECTED));
        Path out = tmp.resolve("dp");
        PolicyImporter.ImportResult r = PolicyImporter.importPolicy(ckpt, out, null);
        assertEquals("ema_model", r.weights());

        Checkpoint c = Checkpoint.load(out);
        assertEquals(Checkpoint.KIND_DP, c.kind());
        UnetConfig u = c.unetConfig();
        assertEquals(new UnetConfig(2, 40, List.of(16, 32, 40), 5, 8, 32, true), u);
        assertEquals(16, c.dpArch().horizon());
        assertEquals(2, c.dpArch().nObsSteps());
        assertEquals(8, c.dpArch().nActionSteps());
        assertEquals(20, c.dpArch().obsDim());
        assertEquals(100, c.dpArch().numTrainTimesteps());
        assertEquals(3, c.step());   // pickles.global_step

        // The loaders run ema.tensors: it must give eps_ema, not eps_model (the fixture's two sets differ).
        float[] eps = ImportFixtures.unetSameDiff(u, 16, c.evalParams(), npz.get("sample"), npz.get("timestep"), npz.get("global_cond"));
        double errEma = ImportFixtures.maxAbsDiff(eps, npz.get("eps_ema").data());
        double errModel = ImportFixtures.maxAbsDiff(eps, npz.get("eps_model").data());
        System.out.printf("diffusion_policy fixture: |eps - eps_ema| max %.3g, |eps - eps_ema_f64| max %.3g, |eps - eps_model| max %.3g%n",
                errEma, ImportFixtures.maxAbsDiff(eps, npz.get("eps_ema_f64").data()), errModel);
        assertTrue(errEma <= 1e-5, "EMA network differs from upstream by " + errEma);
        assertTrue(errModel > 0.1, "the output matches the non-EMA model: the importer read state_dicts.model");

        // model.tensors keeps the raw weights, as a checkpoint trained here does.
        float[] raw = ImportFixtures.unetSameDiff(u, 16, c.model(), npz.get("sample"), npz.get("timestep"), npz.get("global_cond"));
        assertTrue(ImportFixtures.maxAbsDiff(raw, npz.get("eps_model").data()) <= 1e-5);
    }

    @Test
    void normaliserIsTheStoredOne() throws Exception {
        Path ckpt = ImportFixtures.require(ImportFixtures.DP_CKPT);
        Npz npz = Npz.read(ImportFixtures.require(ImportFixtures.DP_EXPECTED));
        Path out = tmp.resolve("dp");
        PolicyImporter.importPolicy(ckpt, out, null);
        DatasetNormalizer n = DatasetNormalizer.load(out.resolve(Checkpoint.NORMALIZER));
        for (String f : List.of("obs", "action")) {
            LinearNormalizer l = f.equals("obs") ? n.obs() : n.action();
            assertArrayEquals(npz.get(f + "_scale").floats(), l.scale(), f + " scale");
            assertArrayEquals(npz.get(f + "_offset").floats(), l.offset(), f + " offset");
            assertArrayEquals(npz.get(f + "_min").floats(), l.inputMin(), f + " min");
            assertArrayEquals(npz.get(f + "_max").floats(), l.inputMax(), f + " max");
            // the stored values are what the limits fit gives from min/max, so the label says so
            assertEquals(LinearNormalizer.LIMITS, l.mode(), f);
        }
        // global_cond of the fixture is normalize_obs(obs_raw), flattened time-major
        float[] obs = npz.get("obs_raw").floats();
        n.obs().normalize(obs);
        assertTrue(ImportFixtures.maxAbsDiff(obs, npz.get("global_cond").data()) <= 1e-6);
        float[] act = npz.get("naction").floats();
        n.action().unnormalize(act);
        assertTrue(ImportFixtures.maxAbsDiff(act, npz.get("action").data()) <= 1e-5);
    }

    @Test
    void rawWeightsOnRequestAndProvenanceRecorded() throws Exception {
        Path ckpt = ImportFixtures.require(ImportFixtures.DP_CKPT);
        Npz npz = Npz.read(ImportFixtures.require(ImportFixtures.DP_EXPECTED));
        Path out = tmp.resolve("dp-model");
        PolicyImporter.ImportResult r = PolicyImporter.importPolicy(ckpt, out, PolicyImporter.Weights.MODEL);
        assertEquals("model", r.weights());
        assertFalse(Files.exists(out.resolve(Checkpoint.EMA)));
        Checkpoint c = Checkpoint.load(out);
        assertNull(c.ema());
        float[] eps = ImportFixtures.unetSameDiff(c.unetConfig(), 16, c.evalParams(), npz.get("sample"), npz.get("timestep"), npz.get("global_cond"));
        assertTrue(ImportFixtures.maxAbsDiff(eps, npz.get("eps_model").data()) <= 1e-5);

        var meta = Checkpoint.readMeta(out);
        var src = meta.source();
        assertEquals(PolicyImporter.sha256(ckpt), src.get("sha256"));
        assertEquals(64, ((String) src.get("sha256")).length());
        assertEquals("diffusion_policy", src.get("format"));
        assertEquals("model", src.get("weights"));
        assertEquals(ckpt.toAbsolutePath().normalize().toString(), src.get("file"));
        List<?> keys = (List<?>) src.get("upstream_keys");
        assertEquals(148 + 8, keys.size());   // the U-Net, then scale/offset/min/max of obs and action
        assertTrue(keys.contains("model.final_conv.1.weight") && keys.contains("normalizer.params_dict.obs.scale"));
        @SuppressWarnings("unchecked")
        var sched = (java.util.Map<String, Object>) src.get("scheduler");
        assertEquals("squaredcos_cap_v2", sched.get("beta_schedule"));
        assertEquals(100, sched.get("num_inference_steps"));

        // config.yaml is a valid resolved config with the upstream architecture and schedule under the native keys
        var cfg = ConfigLoader.fromResolvedYaml(Files.readString(out.resolve(Checkpoint.CONFIG)), "imported");
        assertEquals(List.of(16, 32, 40), cfg.policy().downDims());
        assertEquals(32, cfg.policy().diffusionStepEmbedDim());
        assertEquals(100, cfg.policy().numTrainTimesteps());
        assertEquals("squaredcos_cap_v2", cfg.policy().betaSchedule());
        assertTrue(cfg.policy().clipSample());
        assertEquals("epsilon", cfg.policy().predictionType());
        assertEquals(20, cfg.task().obsDim());
    }
}
