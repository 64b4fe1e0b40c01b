package org.steppolicy.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steppolicy.config.UserError;
import org.steppolicy.infer.MethodSpec;
import org.steppolicy.models.Checkpoint;
import org.steppolicy.models.PredictorArch;
import org.steppolicy.models.PredictorNetConfig;

/** eval's defaults: the newest runs under runs/, predictor kinds from meta.json, --steps and the nothing-found line. */
class EvalSourcesTest {
    @TempDir
    Path runs;

    /** A run folder with one checkpoint whose meta.json is written at {@code minute} (minutes after the epoch). */
    private Path run(String name, String kind, PredictorNetConfig.Kind predictorKind, long minute) throws Exception {
        Path ck = runs.resolve(name).resolve(Checkpoint.RUN_SUBDIR).resolve("step-0000010");
        Files.createDirectories(ck);
        Map<String, Object> arch = predictorKind == null ? Map.of("net", "conditional_unet1d")
                : new PredictorArch(new PredictorNetConfig(20, 2, 2, 16, 32, 4, 64, 0.1, 1, 1, predictorKind), 8).toArch();
        Path meta = ck.resolve(Checkpoint.META);
        Files.writeString(meta, new Checkpoint.Meta(kind, 10, 0.1, arch).toJson());
        Files.setLastModifiedTime(meta, FileTime.fromMillis(minute * 60_000));
        return runs.resolve(name);
    }

    private static List<String> labels(List<MethodSpec> m) {
        return m.stream().map(MethodSpec::label).toList();
    }

    @Test
    void theNewestRunOfEachKindIsPicked() throws Exception {
        run("dp-old", "dp", null, 1);
        Path dpNew = run("dp-pusht", "dp", null, 5);
        run("predictor-step-old", "predictor", PredictorNetConfig.Kind.STEP, 2);
        Path step = run("predictor-step-pusht", "predictor", PredictorNetConfig.Kind.STEP, 6);
        Path spatial = run("quickstart/predictor-spatial", "predictor", PredictorNetConfig.Kind.SPATIAL, 3);
        Files.createDirectories(runs.resolve("eval-pusht")); // an eval folder is not a run

        TrainedRuns found = TrainedRuns.scan(runs);
        assertEquals(dpNew, found.newest("dp").orElseThrow());
        assertEquals(Map.of("step", step, "spatial", spatial), found.newestPredictors());

        StringWriter log = new StringWriter();
        EvalSources s = EvalSources.pick(null, List.of(), MethodList.comparison(2), true, runs, new PrintWriter(log, true));
        assertEquals(dpNew, s.dp());
        assertEquals(List.of(step, spatial), s.predictors());
        assertEquals(List.of("ddpm:100", "ddim:2", "dpmsolver:2", "spatial:2", "temporal:2", "falcon:2", "step:2", "predictor"), labels(s.methods()));
        assertTrue(log.toString().contains("dp: " + dpNew), log.toString());
    }

    @Test
    void aRunLinkedIntoRunsCounts(@TempDir Path elsewhere) throws Exception {
        Path real = run("dp-real", "dp", null, 5);
        Path moved = Files.move(real, elsewhere.resolve("dp-real"));
        Path link = Files.createSymbolicLink(runs.resolve("dp-linked"), moved);
        assertEquals(link, TrainedRuns.scan(runs).newest("dp").orElseThrow());
    }

    @Test
    void givenPathsWinOverDiscovery() throws Exception {
        run("dp-pusht", "dp", null, 5);
        Path mine = runs.resolve("elsewhere");
        EvalSources s = EvalSources.pick(mine, List.of(mine), MethodList.parse("ddim:2,step:2"), false, runs, new PrintWriter(new StringWriter()));
        assertEquals(mine, s.dp());
        assertEquals(List.of(mine), s.predictors());
    }

    @Test
    void stepsExpandsToThePapersComparison() {
        assertEquals(List.of("ddpm:100", "ddim:4", "dpmsolver:4", "spatial:4", "bridger:4", "temporal:4", "falcon:4", "step:4", "predictor"),
                labels(MethodList.comparison(4)));
        assertThrows(UserError.class, () -> MethodList.comparison(0));
    }

    @Test
    void methodsWithoutTheirPredictorAreDroppedWithOneLine() throws Exception {
        run("dp-pusht", "dp", null, 5);
        Path step = run("predictor-step-pusht", "predictor", PredictorNetConfig.Kind.STEP, 6);
        StringWriter log = new StringWriter();
        EvalSources s = EvalSources.pick(null, List.of(), MethodList.comparison(2), true, runs, new PrintWriter(log, true));
        assertEquals(List.of(step), s.predictors());
        assertEquals(List.of("ddpm:100", "ddim:2", "dpmsolver:2", "temporal:2", "falcon:2", "step:2", "predictor"), labels(s.methods()));
        List<String> skip = log.toString().lines().filter(l -> l.contains("skipping")).toList();
        assertEquals(1, skip.size(), log.toString());
        assertTrue(skip.get(0).startsWith("no spatial or bridger predictor run under " + runs + "/: skipping spatial:2, bridger:2"), skip.get(0));
        assertTrue(skip.get(0).contains("predictor.kind=spatial"), skip.get(0));
        assertTrue(skip.get(0).contains("./step train-bridger"), skip.get(0));
    }

    @Test
    void nothingFoundSaysWhatToTrainFirst() {
        UserError e = assertThrows(UserError.class, () -> EvalSources.pick(null, List.of(), MethodList.comparison(2), true,
                runs.resolve("absent"), new PrintWriter(new StringWriter())));
        assertEquals("no DP run under " + runs.resolve("absent") + "/: train one with ./step train-dp --config configs/pusht-small.yaml",
                e.getMessage());
    }
}
