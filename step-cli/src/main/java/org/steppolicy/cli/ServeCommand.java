package org.steppolicy.cli;

import org.steppolicy.serve.PolicyServer;
import org.steppolicy.serve.ServeConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code step serve --policy DIR [--predictor DIR ...]}: the policy behind a gRPC server (step-serve), one STEP state
 * per robot session, until SIGTERM (drains, exits 0).
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve a policy over gRPC (step-serve/src/main/proto/step_serve.proto), one STEP state per robot session.")
public final class ServeCommand extends StepCommand {
    @Mixin
    ServePolicyOptions policy;

    @Mixin
    ServerOptions server;

    @Override
    public Integer call() {
        ServeConfig c = server.config();   // settings are checked before the policy loads
        PolicyServer.serveUntilSignalled(policy.load(), c, out());
        return 0;
    }
}
