package org.steppolicy.importer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steppolicy.config.UserError;
import org.steppolicy.data.DatasetNormalizer;
import org.steppolicy.data.LinearNormalizer;
import org.steppolicy.models.Checkpoint;
import org.steppolicy.models.UnetConfig;

/** The LeRobot reference folder imports to the network and normaliser LeRobot computes. */
class LeRobotImportTest {
    @TempDir
    Path tmp;

    @Test
    void unetMatchesUpstreamOutputs() throws Exception {
        Path dir = ImportFixtures.require(ImportFixtures.LEROBOT);
        Npz npz = Npz.read(ImportFixtures.require(ImportFixtures.LEROBOT_EXPECTED));
        Path out = tmp.resolve("lr");
        PolicyImporter.ImportResult r = PolicyImporter.importPolicy(dir, out, null);
        assertEquals("lerobot", r.format());
        assertEquals("model", r.weights());
        Checkpoint c = Checkpoint.load(out);
        UnetConfig u = c.unetConfig();
        assertEquals(new UnetConfig(2, 36, List.of(16, 32, 40), 5, 8, 32, true), u);
        assertEquals(18, c.dpArch().obsDim());
        float[] eps = ImportFixtures.unetSameDiff(u, 16, c.evalParams(), npz.get("sample"), npz.get("timestep"), npz.get("global_cond"));
        double err = ImportFixtures.maxAbsDiff(eps, npz.get("eps").data());
        System.out.printf("LeRobot fixture: |eps - eps| max %.3g, |eps - eps_f64| max %.3g%n", err,
                ImportFixtures.maxAbsDiff(eps, npz.get("eps_f64").data()));
        assertTrue(err <= 1e-5, "U-Net differs from upstream by " + err);
        assertEquals(PolicyImporter.sha256(dir.resolve("model.safetensors")), Checkpoint.readMeta(out).source().get("sha256"));
    }

    @Test
    void normaliserGivesLeRobotsValues() throws Exception {
        Path dir = ImportFixtures.require(ImportFixtures.LEROBOT);
        Npz npz = Npz.read(ImportFixtures.require(ImportFixtures.LEROBOT_EXPECTED));
        Path out = tmp.resolve("lr");
        PolicyImporter.importPolicy(dir, out, null);
        DatasetNormalizer n = DatasetNormalizer.load(out.resolve(Checkpoint.NORMALIZER));
        // obs = [state (MIN_MAX), environment state (identity: no ENV entry in the norm map)] per step
        assertEquals(18, n.obs().dim());
        assertArrayEquals(npz.get("observation_state_min").floats(), Arrays.copyOf(n.obs().inputMin(), 2));
        assertArrayEquals(npz.get("observation_state_max").floats(), Arrays.copyOf(n.obs().inputMax(), 2));
        assertArrayEquals(npz.get("action_min").floats(), n.action().inputMin());
        assertArrayEquals(npz.get("action_max").floats(), n.action().inputMax());
        float[] state = npz.get("observation_state_raw").floats(), env = npz.get("observation_environment_state_raw").floats();
        float[] obs = new float[2 * 2 * 18];
        for (int t = 0; t < 4; t++) {
            System.arraycopy(state, t * 2, obs, t * 18, 2);
            System.arraycopy(env, t * 16, obs, t * 18 + 2, 16);
        }
        n.obs().normalize(obs);
        // the fixture's global_cond is cat([state_n, env]).flatten(1): our normalised window exactly
        assertTrue(ImportFixtures.maxAbsDiff(obs, npz.get("global_cond").data()) <= 1e-6);
        float[] act = npz.get("naction").floats();
        n.action().unnormalize(act);
        // LeRobot computes (y + 1)/2·(max - min) + min, we (y - offset)/scale: float32 rounding on values up to ~490
        double rel = ImportFixtures.maxRelDiff(act, npz.get("action").data());
        System.out.printf("LeRobot fixture: unnormalised action max relative difference %.3g%n", rel);
        assertTrue(rel <= 1e-6, "action differs by " + rel + " relative");
        assertEquals(LinearNormalizer.AFFINE, n.obs().mode());   // MIN_MAX on the state, identity on the rest
        assertEquals(LinearNormalizer.LIMITS, n.action().mode());
    }

    @Test
    void legacyBufferLayoutGivesTheSameNormaliser() throws Exception {
        // LeRobot <= v0.3 kept the statistics as buffers in model.safetensors and had no processor files.
        Path dir = ImportFixtures.require(ImportFixtures.LEROBOT);
        Path old = tmp.resolve("old");
        Files.createDirectories(old);
        Files.copy(dir.resolve("config.json"), old.resolve("config.json"));
        SafetensorsReader w = SafetensorsReader.open(dir.resolve("model.safetensors"));
        SafetensorsReader stats = SafetensorsReader.open(dir.resolve("policy_preprocessor_step_3_normalizer_processor.safetensors"));
        SafetensorsWriter sw = new SafetensorsWriter();
        for (String k : w.names()) sw.put(k, w.entry(k).shape(), w.floats(k));
        for (String s : List.of("min", "max")) {
            sw.put("normalize_inputs.buffer_observation_state." + s, new long[] {2}, stats.floats("observation.state." + s));
            sw.put("normalize_targets.buffer_action." + s, new long[] {2}, stats.floats("action." + s));
            sw.put("unnormalize_outputs.buffer_action." + s, new long[] {2}, stats.floats("action." + s));
        }
        sw.write(old.resolve("model.safetensors"));
        PolicyImporter.importPolicy(old, tmp.resolve("out"), null);
        DatasetNormalizer legacy = DatasetNormalizer.load(tmp.resolve("out").resolve(Checkpoint.NORMALIZER));
        PolicyImporter.importPolicy(dir, tmp.resolve("new"), null);
        DatasetNormalizer current = DatasetNormalizer.load(tmp.resolve("new").resolve(Checkpoint.NORMALIZER));
        // old normalize.py divides by (max - min + 1e-8): equal to float precision
        float[] a = legacy.obs().scale(), b = current.obs().scale();
        for (int i = 0; i < a.length; i++) assertEquals(b[i], a[i], 1e-6 * Math.abs(b[i]));
        assertArrayEquals(current.action().scale(), legacy.action().scale());
    }

    @Test
    void refusesImagesAndEmaRequests() throws Exception {
        Path dir = ImportFixtures.require(ImportFixtures.LEROBOT);
        UserError ema = assertThrows(UserError.class, () -> PolicyImporter.importPolicy(dir, tmp.resolve("a"), PolicyImporter.Weights.EMA));
        assertTrue(ema.getMessage().contains("no EMA"), ema.getMessage());
        Path img = tmp.resolve("img");
        Files.createDirectories(img);
        for (String f : List.of("model.safetensors", "policy_preprocessor.json")) Files.copy(dir.resolve(f), img.resolve(f));
        String cfg = Files.readString(dir.resolve("config.json")).replace("\"input_features\": {",
                "\"input_features\": {\n        \"observation.image\": {\"type\": \"VISUAL\", \"shape\": [3, 96, 96]},");
        Files.writeString(img.resolve("config.json"), cfg);
        UserError e = assertThrows(UserError.class, () -> PolicyImporter.importPolicy(img, tmp.resolve("b"), null));
        assertTrue(e.getMessage().contains("observation.image") && e.getMessage().contains("rgb_encoder"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
        // a truncated weights file is named with its problem
        Path cut = tmp.resolve("cut");
        Files.createDirectories(cut);
        Files.copy(dir.resolve("config.json"), cut.resolve("config.json"));
        byte[] w = Files.readAllBytes(dir.resolve("model.safetensors"));
        Files.write(cut.resolve("model.safetensors"), java.util.Arrays.copyOf(w, w.length - 100));
        UserError t = assertThrows(UserError.class, () -> PolicyImporter.importPolicy(cut, tmp.resolve("c"), null));
        assertTrue(t.getMessage().contains("model.safetensors: truncated"), t.getMessage());
        assertTrue(!Files.exists(tmp.resolve("a")) && !Files.exists(tmp.resolve("b")) && !Files.exists(tmp.resolve("c")));
    }
}
