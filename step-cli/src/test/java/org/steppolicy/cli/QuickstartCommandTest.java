package org.steppolicy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steppolicy.config.ConfigLoader;
import org.steppolicy.config.StepConfig;
import org.steppolicy.eval.QuickstartTask;
import org.steppolicy.infer.runtime.OnnxExport;
import org.steppolicy.infer.runtime.PolicyBundle;
import org.steppolicy.infer.runtime.PolicyLoader;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The quickstart end to end at toy scale: a tiny random-weight export stands in for the shipped policy and is
 * evaluated first; then tiny networks train for seconds and every method runs short episodes. Low-dim and image
 * (--task image) alike.
 */
class QuickstartCommandTest {
    static final Path DATA = Path.of("../shared/data/pusht/pusht_cchi_v7_replay_lowdim.hdf5");
    static final List<String> TINY = List.of("policy.down_dims=[8,16,32]", "policy.diffusion_step_embed_dim=16", "predictor.d_model=16",
            "predictor.dim_feedforward=32", "training.batch_size=16", "predictor_training.batch_size=16", "task.eval_max_steps=16");
    /**
     * ImagePipelineTest's toy image sizes at batch 32: every checkpoint validates on the 404 windows of the file's
     * valid demos at the training batch size, and 13 batches cost far less than batch 4's 101.
     */
    static final List<String> TINY_IMAGE = Stream.concat(ImagePipelineTest.TINY_SIZES.stream(),
            Stream.of("training.batch_size=32", "predictor_training.batch_size=32")).toList();

    @Test
    void evaluatesTheShippedPolicyFirstThenTrainsAndEvaluatesTheShortRun(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isRegularFile(DATA), "official Push-T data not found at " + DATA + ": skipping the quickstart test");
        // The stand-in has a step predictor only, as the shipped folder does: spatial:2 and bridger:2 are dropped with one line;
        // the short run trains no BRIDGeR model, so bridger:2 is dropped there too.
        StepConfig c = ConfigLoader.load(Path.of("configs/pusht-small.yaml"), TINY);
        PolicyBundle b = PolicyLoader.randomWeights(c, 5, true);
        Path shipped = dir.resolve("shipped");
        OnnxExport.write(b, shipped);
        Files.writeString(shipped.resolve("README.md"), "# tiny: a stand-in for the shipped policy\n");

        Path out = dir.resolve("qs");
        List<String> args = new ArrayList<>(List.of("quickstart", "--minutes", "0.1", "--episodes", "1", "--out", out.toString(),
                "--shipped", shipped.toString(), "--data", DATA.toString()));
        args.addAll(TINY);
        StringWriter o = new StringWriter(), err = new StringWriter();
        int code = StepCli.run(new PrintWriter(o, true), new PrintWriter(err, true), args.toArray(String[]::new));
        String text = o.toString();
        assertEquals(0, code, err + "\n" + text);

        String shippedTitle = "Shipped policy " + shipped + ": a stand-in for the shipped policy; 1 episodes per method";
        int firstTable = text.indexOf(shippedTitle), training = text.indexOf("DP: "), shortTitle = text.indexOf("Short run on this machine: DP ");
        assertTrue(firstTable >= 0 && training > firstTable, "the shipped policy's table comes before training:\n" + text);
        assertTrue(text.contains(shipped + " has no spatial or bridger predictor: skipping spatial:2, bridger:2"), text);
        assertTrue(text.contains("the short run has no bridger predictor: skipping bridger:2"), text);
        assertTrue(shortTitle > training, text);
        assertTrue(text.lastIndexOf(shippedTitle) > training && text.lastIndexOf(shippedTitle) < shortTitle,
                "both tables are printed again at the end:\n" + text);
        String finalTables = text.substring(text.lastIndexOf(shippedTitle));
        for (String row : List.of("DDPM-100  (ddpm:100)", "DDIM-2  (ddim:2)", "DPM-Solver++-2  (dpmsolver:2)", "temporal start-2  (temporal:2)",
                "Falcon-2  (falcon:2)",
                "STEP-2  (step:2)", "predictor alone  (predictor)"))
            assertEquals(2, count(finalTables, row), row + " in both tables:\n" + finalTables);
        assertEquals(1, count(finalTables, "spatial start-2  (spatial:2)"), "only the short run has a spatial predictor:\n" + finalTables);
        assertEquals(1, count(text, QuickstartTask.LOWDIM.fullRunNote()));

        // Figures for people: scores to 3 decimals with their interval, latencies as "6.0 ms", minutes as "9.6 min" or seconds; no 4-decimal noise.
        assertFalse(Pattern.compile("\\d\\.\\d{4}").matcher(finalTables).find(), finalTables);
        assertTrue(Pattern.compile("STEP-2  \\(step:2\\) +\\d\\.\\d{3} \\[\\d\\.\\d{3}, \\d\\.\\d{3}\\] +\\d+ % +\\d+(\\.\\d)? ms").matcher(finalTables).find(), finalTables);
        assertTrue(Pattern.compile("steps?, (\\d+ s|\\d+\\.\\d min) of training").matcher(finalTables).find(), finalTables);

        ObjectMapper json = new ObjectMapper();
        assertEquals(7, json.readTree(out.resolve("shipped-eval/results.json").toFile()).size());
        JsonNode results = json.readTree(out.resolve("eval/results.json").toFile());
        assertEquals(8, results.size());
        for (JsonNode r : results) {
            assertEquals(1, r.get("episodes").asInt());
            double score = r.get("mean_score").asDouble();
            assertTrue(score >= 0 && score <= 1, r.toString());
            assertTrue(r.get("latency_ms_median").asDouble() > 0, r.toString());
        }
        assertTrue(Files.exists(out.resolve("dp/loss.png")));
        assertTrue(Files.exists(out.resolve("predictor-step/metrics.csv")));
        assertTrue(Files.exists(out.resolve("predictor-spatial/config.yaml")));
        assertTrue(Files.exists(out.resolve("shipped-eval/score_vs_latency.png")));
        assertTrue(Files.exists(out.resolve("eval/score_vs_latency.png")));
        assertTrue(Files.exists(out.resolve("eval/videos/step-2_seed100000.gif")));
    }

    @Test
    void imageTaskEvaluatesTheShippedImagePolicyThenTrainsAShortImageRun(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isRegularFile(ImagePipelineTest.IMAGES), "official Push-T image data not found at " + ImagePipelineTest.IMAGES
                + ": skipping the image quickstart test");
        // An image DP exported without a predictor: every row that needs one is left out with one line.
        StepConfig c = ConfigLoader.load(QuickstartTask.IMAGE.config(), TINY_IMAGE);
        Path shipped = dir.resolve("pusht-image");
        OnnxExport.write(PolicyLoader.randomWeights(c, 5, false), shipped);

        Path out = dir.resolve("qs");
        List<String> args = new ArrayList<>(List.of("quickstart", "--task", "image", "--minutes", "0.1", "--out", out.toString(),
                "--shipped", shipped.toString(), "--data", ImagePipelineTest.IMAGES.toString()));
        args.addAll(TINY_IMAGE);
        StringWriter o = new StringWriter(), err = new StringWriter();
        int code = StepCli.run(new PrintWriter(o, true), new PrintWriter(err, true), args.toArray(String[]::new));
        String text = o.toString();
        assertEquals(0, code, err + "\n" + text);

        // the image task's default episodes, and the image config's dataset
        String shippedTitle = "Shipped policy " + shipped + "; " + QuickstartTask.IMAGE.episodes() + " episodes per method";
        int firstTable = text.indexOf(shippedTitle), training = text.indexOf("quickstart, 2/2: training on " + ImagePipelineTest.IMAGES);
        int shortTitle = text.indexOf("Short run on this machine: DP ");
        assertTrue(firstTable >= 0 && training > firstTable && shortTitle > training, text);
        List<String> skipped = lines(text, shipped + " has no ");
        assertEquals(1, skipped.size(), text);
        for (String m : List.of("spatial:2", "step:2", "predictor")) assertTrue(skipped.get(0).contains(m), skipped.get(0));
        assertEquals(1, count(text, QuickstartTask.IMAGE.fullRunNote()), text);
        assertTrue(text.contains("score vs latency: " + out.resolve("shipped-eval/score_vs_latency.png") + ", "
                + out.resolve("eval/score_vs_latency.png")), text);
        assertTrue(text.contains("everything is in " + out), text);

        ObjectMapper json = new ObjectMapper();
        assertEquals(5, json.readTree(out.resolve("shipped-eval/results.json").toFile()).size(),
                "ddpm:100, ddim:2, dpmsolver:2, temporal:2 (the previous chunk, no predictor), falcon:2");
        JsonNode results = json.readTree(out.resolve("eval/results.json").toFile());
        assertEquals(8, results.size(), "the short run trains both predictors: every row but bridger:2");
        for (JsonNode r : results) assertEquals(QuickstartTask.IMAGE.episodes(), r.get("episodes").asInt(), r.toString());
        assertTrue(Files.readString(out.resolve("dp/config.yaml")).contains("image_key: image"), "the short run trains on frames");
        assertTrue(Files.exists(out.resolve("predictor-step/metrics.csv")));
        assertTrue(Files.exists(out.resolve("predictor-spatial/config.yaml")));
        assertTrue(Files.exists(out.resolve("eval/videos/step-2_seed100000.gif")));
    }

    /** One route for both tasks (--task only picks defaults), so the low-dim run, the cheaper one, checks the missing folder. */
    @Test
    void aMissingShippedFolderIsOneLineAndTheRunGoesOn(@TempDir Path dir) {
        assumeTrue(Files.isRegularFile(DATA), "official Push-T data not found at " + DATA + ": skipping the quickstart test");
        Path missing = dir.resolve("no-such-export");
        List<String> args = new ArrayList<>(List.of("quickstart", "--minutes", "0.05", "--episodes", "1", "--out", dir.resolve("qs").toString(),
                "--shipped", missing.toString(), "--data", DATA.toString()));
        args.addAll(TINY);
        StringWriter o = new StringWriter(), err = new StringWriter();
        int code = StepCli.run(new PrintWriter(o, true), new PrintWriter(err, true), args.toArray(String[]::new));
        assertEquals(0, code, err + "\n" + o);
        assertEquals(List.of("no shipped policy at " + missing + ": going on to training"), lines(o + "\n" + err, missing.toString()),
                o.toString());
        assertFalse(o.toString().contains("Shipped policy "), o.toString());
        assertTrue(o.toString().contains("Short run on this machine"), o.toString());
    }

    /** The lines of {@code text} that contain {@code part}. */
    private static List<String> lines(String text, String part) {
        return text.lines().filter(l -> l.contains(part)).toList();
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) n++;
        return n;
    }
}
