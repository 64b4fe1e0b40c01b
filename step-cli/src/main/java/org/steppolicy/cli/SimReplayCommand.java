package org.steppolicy.cli;

import org.steppolicy.sim.Replay;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** {@code step sim replay --data FILE [--json OUT]}: replays every demo and reports the errors against the records. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Replay every demo's actions from the legacy reset of its seed and compare with obs/state. "
                + "Exit 0 when the bar holds (median <= 0.5 px, worst <= 3 px, worst angle <= 0.05 rad), 1 otherwise.")
public final class SimReplayCommand implements Callable<Integer> {
    @CommandLine.Mixin
    PushTDataOption data;

    @CommandLine.Mixin
    BarReport report;

    @Override
    public Integer call() {
        Replay.Summary s = Replay.run(data.data);
        return report.finish(s.report(), s::toJson, s.meetsBar());
    }
}
