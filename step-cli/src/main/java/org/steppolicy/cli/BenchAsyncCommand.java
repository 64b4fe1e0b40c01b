package org.steppolicy.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.steppolicy.config.UserError;
import org.steppolicy.eval.AsyncExecution;
import org.steppolicy.serve.ActionStream;
import org.steppolicy.infer.policy.PolicyOptions;
import org.steppolicy.infer.policy.StepPolicy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code step bench async}: wiring only; the measurement is step-eval's {@link AsyncExecution}. */
@Command(name = "async", mixinStandardHelpOptions = true,
        description = "Synchronous vs asynchronous execution in the Push-T simulator with an artificial policy latency "
                + "of L control periods (simulated time): mean score with its 95 %% bootstrap interval, idle control ticks. "
                + "Without --policy: models/pusht-lowdim.")
public final class BenchAsyncCommand extends StepCommand {
    /** Without --policy: the shipped export folder. */
    static final Path DEFAULT_POLICY = Path.of("models/pusht-lowdim");

    @Mixin
    PolicySourceOptions source;

    @Option(names = "--method", paramLabel = "SPEC", description = "Method (default: ${DEFAULT-VALUE}).")
    String method = "step:2";

    @Option(names = "--latencies", paramLabel = "LIST", split = ",", description = "Policy latencies in control periods (default: 0,1,3).")
    List<Integer> latencies = new ArrayList<>(List.of(0, 1, 3));

    @Option(names = "--episodes", paramLabel = "N", description = "Episodes per mode and latency (default: ${DEFAULT-VALUE}).")
    int episodes = 50;

    @Option(names = "--seed", paramLabel = "S", description = "First episode seed (default: ${DEFAULT-VALUE}).")
    long seed = 100_000L;

    @Option(names = "--threads", paramLabel = "N", description = "Episodes run at once, one policy each (default: ${DEFAULT-VALUE}).")
    int threads = 1;

    @Option(names = "--margin", paramLabel = "N", description = "Control periods the asynchronous stream adds to the measured wait (default: ${DEFAULT-VALUE}).")
    int margin = 0;

    @Option(names = "--max-steps", paramLabel = "N", description = "Episode length in env steps (default: ${DEFAULT-VALUE}, Push-T's).")
    int maxSteps = org.steppolicy.sim.PushTSpec.MAX_STEPS;

    @Option(names = "--modes", paramLabel = "LIST", split = ",", description = "sync, async or both (default: sync,async).")
    List<String> modes = new ArrayList<>(List.of("sync", "async"));

    @Option(names = "--shift-by-ta", description = "Ablation: the policy ignores the executed count and shifts its previous chunk by Ta, as a server unaware of asynchronous execution would.")
    boolean shiftByTa;

    @Option(names = "--json", paramLabel = "FILE", description = "Write per-episode results as JSON.")
    Path json;

    @Override
    public Integer call() {
        PrintWriter out = out();
        AsyncExecution.Settings s = AsyncExecution.Settings.pushT(latencies, episodes, seed, threads);
        List<ActionStream.Mode> ms = new ArrayList<>();
        for (String m : modes) {
            switch (m.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "sync" -> ms.add(ActionStream.Mode.SYNC);
                case "async" -> ms.add(ActionStream.Mode.ASYNC);
                default -> throw new UserError("--modes: '" + m + "' is not sync or async");
            }
        }
        s = new AsyncExecution.Settings(s.latencies(), s.episodes(), s.startSeed(), s.threads(), margin, s.obsSteps(), maxSteps, ms);
        AsyncExecution.Result r;
        Path dir = source.policy != null ? source.policy : DEFAULT_POLICY;
        try (StepPolicy base = StepPolicy.load(dir, method, PolicyOptions.defaults().withPredictors(source.predictors.toArray(Path[]::new)))) {
            List<StepPolicy> sessions = new ArrayList<>();
            try {
                r = AsyncExecution.run(s, () -> {
                    StepPolicy p = base.newSession();
                    synchronized (sessions) { sessions.add(p); }
                    return AsyncExecution.of(p, shiftByTa);
                }, line -> {
                    out.println(line);
                    out.flush();
                });
            } finally {
                for (StepPolicy p : sessions) p.close();
            }
        }
        out.println();
        out.print(AsyncExecution.markdown(r));
        if (json != null) {
            AsyncExecution.writeJson(r, json);
            out.println("wrote " + json);
        }
        out.flush();
        return 0;
    }
}
