package org.steppolicy.cli;

import java.nio.file.Path;
import java.time.Duration;
import org.steppolicy.serve.ServeBench;
import org.steppolicy.serve.ServedPolicy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code step bench serve}: the policy in-process, then through an in-process server on 127.0.0.1 with one and with N
 * sessions; latency per Act, throughput, errors, RSS.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Load-test the policy server on 127.0.0.1: p50/p99 per Act, throughput, errors, RSS; against the policy in-process.")
public final class BenchServeCommand extends StepCommand {
    @Mixin
    ServePolicyOptions policy;

    @Option(names = "--sessions", paramLabel = "N", description = "Concurrent sessions of the load run (default: ${DEFAULT-VALUE}).")
    int sessions = 8;

    @Option(names = "--requests", paramLabel = "N", description = "Timed Act calls of each run (default: ${DEFAULT-VALUE}).")
    int requests = 2000;

    @Option(names = "--warmup", paramLabel = "N", description = "Untimed calls per session first (default: ${DEFAULT-VALUE}).")
    int warmup = 200;

    @Option(names = "--rounds", paramLabel = "N", description = "The in-process and one-session runs alternate in N blocks (default: 0, call by call).")
    int rounds = 0;

    @Option(names = "--max-time", paramLabel = "TIME", description = "Time limit of each run (default: ${DEFAULT-VALUE}).")
    String maxTime = "5m";

    @Option(names = "--json", paramLabel = "FILE", description = "Write the result as JSON.")
    Path json;

    @Override
    public Integer call() {
        java.io.PrintWriter out = out();
        Duration limit = DurationOption.parse("--max-time", maxTime);
        ServeBench.Result r;
        try (ServedPolicy p = policy.load()) {
            r = ServeBench.run(p, new ServeBench.Settings(policy.method, sessions, requests, warmup, limit, rounds), line -> {
                out.println(line);
                out.flush();
            });
        }
        out.println();
        out.print(ServeBench.markdown(r));
        if (json != null) {
            ServeBench.writeJson(r, json);
            out.println("wrote " + json);
        }
        return 0;
    }
}
