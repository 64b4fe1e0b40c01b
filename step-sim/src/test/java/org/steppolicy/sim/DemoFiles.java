package org.steppolicy.sim;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;

import java.nio.file.Path;

/** Writes small RoboMimic-layout Push-T files from the simulator itself, for tests that must not need the data. */
final class DemoFiles {
    private DemoFiles() {}

    /** Demos recorded by running ScriptedPolicy from the legacy reset of each seed; states stored as float32. */
    static void write(Path file, long[] seeds, int steps, boolean withSeed) {
        try (WritableHdfFile out = HdfFile.write(file)) {
            WritableGroup data = out.putGroup("data");
            for (int d = 0; d < seeds.length; d++) {
                PushTEnv env = new PushTEnv();
                ScriptedPolicy policy = new ScriptedPolicy(1);
                policy.reset(seeds[d]);
                double[] obs = env.reset(seeds[d]);
                float[][] actions = new float[steps][2];
                float[][] states = new float[steps][5];
                for (int k = 0; k < steps; k++) {
                    double[] s = env.state5();
                    for (int i = 0; i < 5; i++) states[k][i] = (float) s[i];
                    double[] a = policy.act(new double[][] {obs, obs})[0];
                    actions[k][0] = (float) a[0];
                    actions[k][1] = (float) a[1];
                    // Step with the float32 value, as the recorded file will be replayed.
                    obs = env.step(new double[] {actions[k][0], actions[k][1]}).obs();
                }
                WritableGroup demo = data.putGroup("demo_" + d);
                if (withSeed) demo.putAttribute("seed", seeds[d]);
                demo.putDataset("actions", actions);
                demo.putGroup("obs").putDataset("state", states);
            }
        }
    }
}
