package org.steppolicy.sim;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;

/**
 * Single-thread speed of the simulator: env steps per second, each step being 10 physics sub-steps plus the
 * coverage reward, driven by {@link ScriptedPolicy} so that the agent keeps pushing the block (contacts are the
 * expensive part). Run: {@code ./step sim bench} or the main method.
 */
public final class PushTBench {
    /** Steps run and the measured rate of the timed pass. */
    public record Result(long steps, double seconds, double cpuSeconds) {
        public double stepsPerSecond() { return steps / seconds; }

        /** Steps per second of the thread's CPU time: what one core gives when other processes share the CPUs. */
        public double stepsPerCpuSecond() { return steps / cpuSeconds; }

        @Override
        public String toString() {
            return String.format(Locale.ROOT,
                    "%d env steps (10 sub-steps + reward each) on one thread: %.3f s wall, %.3f s CPU -> %.0f env steps/s wall-clock, %.0f per CPU-second",
                    steps, seconds, cpuSeconds, stepsPerSecond(), stepsPerCpuSecond());
        }
    }

    private PushTBench() {}

    /** Runs a warm-up pass and then times {@code steps} env steps on the calling thread. */
    public static Result run(long steps) {
        drive(Math.max(steps / 2, Math.min(steps, 3000)));
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long c0 = mx.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        long n = drive(steps);
        long t1 = System.nanoTime();
        long c1 = mx.getCurrentThreadCpuTime();
        return new Result(n, (t1 - t0) / 1e9, (c1 - c0) / 1e9);
    }

    private static long drive(long steps) {
        PushTEnv env = new PushTEnv();
        ScriptedPolicy policy = new ScriptedPolicy(8);
        long n = 0;
        for (long seed = 0; n < steps; seed++) {
            policy.reset(seed);
            double[] obs = env.reset(seed);
            double[][] hist = {obs, obs};
            for (int k = 0; k < PushTSpec.MAX_STEPS && n < steps; ) {
                for (double[] a : policy.act(hist)) {
                    StepResult r = env.step(a);
                    hist = new double[][] {hist[1], r.obs()};
                    n++;
                    k++;
                    if (r.done() || k >= PushTSpec.MAX_STEPS || n >= steps) break;
                }
                if (env.coverage() > PushTSpec.SUCCESS_THRESHOLD) break;
            }
        }
        return n;
    }

    public static void main(String[] args) {
        long steps = args.length > 0 ? Long.parseLong(args[0]) : 30000;
        System.out.println(run(steps));
    }
}
