package org.steppolicy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steppolicy.models.Checkpoint;
import org.steppolicy.models.PredictorNetConfig;
import picocli.CommandLine;

/** Every command that takes a policy names it --policy DIR (alias --dp) with repeatable --predictor DIR, through one option class. */
class PolicyOptionCommandTest {
    @TempDir
    Path tmp;

    static final List<List<String>> TAKING_A_POLICY = List.of(List.of("eval"), List.of("bench"), List.of("bench", "serve"),
            List.of("bench", "async"), List.of("serve"), List.of("export-onnx"), List.of("analyze", "contraction"), List.of("curve"));

    private static CommandLine command(List<String> path) {
        CommandLine c = new CommandLine(new StepCli());
        for (String name : path) c = c.getSubcommands().get(name);
        return c;
    }

    @Test
    void policyAndDpAreOneOptionOnEveryCommandThatTakesAPolicy() {
        for (List<String> path : TAKING_A_POLICY) {
            CommandLine.Model.CommandSpec spec = command(path).getCommandSpec();
            CommandLine.Model.OptionSpec policy = spec.findOption("--policy");
            assertNotNull(policy, path + " has --policy");
            assertSame(policy, spec.findOption("--dp"), path + ": --dp is an alias of --policy");
            assertEquals("--policy", policy.names()[0], path + ": --policy is the name help shows first");
            CommandLine.Model.OptionSpec predictor = spec.findOption("--predictor");
            assertNotNull(predictor, path + " has --predictor");
            assertTrue(predictor.isMultiValue(), path + ": --predictor repeats");
        }
    }

    @Test
    void evalAndBenchParseDpAndPolicyAlike() {
        for (String name : List.of("eval", "bench")) {
            for (String option : List.of("--policy", "--dp")) {
                CommandLine.ParseResult parsed = new CommandLine(new StepCli()).parseArgs(name, option, "runs/x",
                        "--predictor", "runs/a", "--predictor", "runs/b");
                Object user = parsed.subcommand().commandSpec().userObject();
                PolicySourceOptions source = user instanceof EvalCommand e ? e.run.source : ((BenchCommand) user).policy.source();
                assertEquals(Path.of("runs/x"), source.policy, name + " " + option);
                assertEquals(List.of(Path.of("runs/a"), Path.of("runs/b")), source.predictors, name + " " + option);
            }
        }
    }

    /** A tiny export folder with a step predictor: bench runs it under --policy and --dp; a missing kind reads the same on both routes. */
    @Test
    void benchRunsAnExportFolderUnderEitherNameAndAMissingPredictorReadsTheSame() throws Exception {
        Path dp = ImportCommandTest.nativeDp(tmp.resolve("dp"));
        String norm = Files.readString(dp.resolve(Checkpoint.NORMALIZER));
        Path step = ImportedPolicyTest.predictor(tmp.resolve("step"), PredictorNetConfig.Kind.STEP, norm);
        Path export = tmp.resolve("export");
        StepCliTest.Result e = StepCliTest.run("export-onnx", "--policy", dp.toString(), "--predictor", step.toString(), "--out", export.toString());
        assertEquals(0, e.code(), e.err());
        for (String option : List.of("--policy", "--dp")) {
            StepCliTest.Result r = StepCliTest.run("bench", option, export.toString(), "--methods", "ddim:2,step:2", "--calls", "2",
                    "--slow-calls", "1", "--warmup", "0");
            assertEquals(0, r.code(), option + ": " + r.err());
            assertTrue(r.out().contains("\nddim ") && r.out().contains("\nstep "), r.out());
        }
        StepCliTest.Result fromExport = StepCliTest.run("bench", "--policy", export.toString(), "--methods", "spatial:2", "--calls", "1");
        StepCliTest.Result fromCheckpoint = StepCliTest.run("bench", "--dp", dp.toString(), "--predictor", step.toString(),
                "--methods", "spatial:2", "--calls", "1");
        assertEquals(2, fromExport.code(), fromExport.err());
        assertEquals(2, fromCheckpoint.code(), fromCheckpoint.err());
        assertTrue(fromExport.err().contains("needs a 'spatial' predictor; " + export + " has only step"), fromExport.err());
        assertEquals(fromExport.err().replace(export.toString(), "SOURCE"), fromCheckpoint.err().replace(dp.toString(), "SOURCE"));
    }
}
