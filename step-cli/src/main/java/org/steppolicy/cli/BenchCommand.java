package org.steppolicy.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.steppolicy.config.Require;
import org.steppolicy.config.StepConfig;
import org.steppolicy.infer.bench.BenchResult;
import org.steppolicy.infer.bench.InferenceBench;
import org.steppolicy.infer.policy.TrainedPolicy;
import org.steppolicy.infer.runtime.RuntimeKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code step bench --policy DIR [--predictor DIR]... [--runtime onnx|samediff|both] [--json OUT]}: batch-1 latency per
 * action chunk for each method and one U-Net forward.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Batch-1 latency per action chunk (median, p95) for each method and one U-Net forward; "
                + "`bench train` times a training step, `bench serve` load-tests the policy server, `bench async` compares synchronous and asynchronous execution.",
        subcommands = {BenchTrainCommand.class, BenchServeCommand.class, BenchAsyncCommand.class})
public final class BenchCommand extends StepCommand {
    @Mixin
    PolicyOrRandomOptions policy;

    @Option(names = "--runtime", paramLabel = "NAME", description = "onnx, samediff or both. Default: inference.runtime of the config.")
    String runtime;

    @Option(names = "--threads", paramLabel = "N", description = "Intra-op threads. Default: inference.threads of the config.")
    Integer threads;

    @Option(names = "--methods", paramLabel = "LIST", description = "Methods. Default: ddpm:100,ddim:2,dpmsolver:2,step:2.")
    String methods = String.join(",", InferenceBench.DEFAULT_METHODS);

    @Option(names = "--calls", paramLabel = "N", description = "Timed calls per method (default 200).")
    int calls = 200;

    @Option(names = "--slow-calls", paramLabel = "N", description = "Timed calls for methods with >= 20 steps (default 30).")
    int slowCalls = 30;

    @Option(names = "--warmup", paramLabel = "N", description = "Untimed calls first (default 20; 3 for slow methods).")
    int warmup = 20;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the results as a JSON list.")
    Path json;

    @Override
    public Integer call() throws Exception {
        java.io.PrintWriter out = out();
        Require.atLeast("--calls", calls, 1);
        Require.atLeast("--slow-calls", slowCalls, 1);
        Require.atLeast("--warmup", warmup, 0);
        if (threads != null) Require.atLeast("--threads", threads, 1);
        StepConfig c = policy.config().resolve();
        List<String> specs = List.of(methods.split(","));
        TrainedPolicy loaded = policy.load(c, specs.stream().anyMatch(BenchCommand::isBridger));   // bridger:K's own random networks
        int n = threads != null ? threads : c.inference().threads();
        String rt = runtime != null ? runtime : c.inference().runtime();
        List<RuntimeKind> kinds = rt.equalsIgnoreCase("both") ? List.of(RuntimeKind.ONNX, RuntimeKind.SAMEDIFF) : List.of(RuntimeKind.parse(rt));
        InferenceBench.Settings s = new InferenceBench.Settings(calls, slowCalls, warmup, c.inference().seed());
        out.print(InferenceBench.table(List.of()));
        List<BenchResult> all = new ArrayList<>();
        for (RuntimeKind k : kinds) {
            all.addAll(InferenceBench.run(loaded, k, n, specs, s, r -> {
                out.print(InferenceBench.row(r));
                out.flush();
            }));
        }
        if (json != null) {
            if (json.toAbsolutePath().getParent() != null) Files.createDirectories(json.toAbsolutePath().getParent());
            Files.writeString(json, InferenceBench.toJson(all));
            out.println("wrote " + json);
        }
        return 0;
    }

    static boolean isBridger(String spec) {
        try {
            return org.steppolicy.infer.MethodSpec.parse(spec.trim()).method() == org.steppolicy.infer.Method.BRIDGER;
        } catch (IllegalArgumentException e) {
            return false;   // the bench itself reports a bad spec
        }
    }
}
