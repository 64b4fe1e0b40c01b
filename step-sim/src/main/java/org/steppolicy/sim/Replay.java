package org.steppolicy.sim;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/**
 * The simulator's fidelity proof: replays every recorded demo's actions from the legacy reset of its seed and
 * compares each step with the recorded {@code obs/state}. Row k of obs/state was observed before action k, so the
 * reset state is compared with row 0 and the state after action k with row k+1.
 */
public final class Replay {
    /** Per-demo errors; positions in pixels, angles in radians. */
    public record DemoResult(String name, long seed, int steps, double maxPosErrPx, double maxAngleErrRad,
                             double maxAgentErrPx, double finalCoverageSim, double finalCoverageRecorded) {
        public double finalCoverageErr() { return Math.abs(finalCoverageSim - finalCoverageRecorded); }
    }

    /** Results over all demos, with the medians and worst cases the acceptance bar is stated in. */
    public record Summary(List<DemoResult> demos) {
        public double medianMaxPosErrPx() { return median(demos.stream().mapToDouble(DemoResult::maxPosErrPx).toArray()); }

        public double worstMaxPosErrPx() { return demos.stream().mapToDouble(DemoResult::maxPosErrPx).max().orElse(0); }

        public double medianMaxAngleErrRad() { return median(demos.stream().mapToDouble(DemoResult::maxAngleErrRad).toArray()); }

        public double worstMaxAngleErrRad() { return demos.stream().mapToDouble(DemoResult::maxAngleErrRad).max().orElse(0); }

        public double worstMaxAgentErrPx() { return demos.stream().mapToDouble(DemoResult::maxAgentErrPx).max().orElse(0); }

        public double worstFinalCoverageErr() { return demos.stream().mapToDouble(DemoResult::finalCoverageErr).max().orElse(0); }

        public int steps() { return demos.stream().mapToInt(DemoResult::steps).sum(); }

        /** Median ≤ 0.5 px, worst ≤ 3 px, worst angle ≤ 0.05 rad: the simulator's acceptance bar against the recorded demos. */
        public boolean meetsBar() {
            return medianMaxPosErrPx() <= 0.5 && worstMaxPosErrPx() <= 3.0 && worstMaxAngleErrRad() <= 0.05;
        }

        public String toJson() {
            Map<String, Object> root = new LinkedHashMap<>();
            root.put("demos", demos.size());
            root.put("steps", steps());
            root.put("median_max_pos_err_px", medianMaxPosErrPx());
            root.put("worst_max_pos_err_px", worstMaxPosErrPx());
            root.put("median_max_angle_err_rad", medianMaxAngleErrRad());
            root.put("worst_max_angle_err_rad", worstMaxAngleErrRad());
            root.put("worst_max_agent_err_px", worstMaxAgentErrPx());
            root.put("worst_final_coverage_err", worstFinalCoverageErr());
            root.put("meets_bar", meetsBar());
            root.put("per_demo", demos.stream().map(d -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", d.name());
                m.put("seed", d.seed());
                m.put("steps", d.steps());
                m.put("max_pos_err_px", d.maxPosErrPx());
                m.put("max_angle_err_rad", d.maxAngleErrRad());
                m.put("max_agent_err_px", d.maxAgentErrPx());
                m.put("final_coverage_sim", d.finalCoverageSim());
                m.put("final_coverage_recorded", d.finalCoverageRecorded());
                return m;
            }).toList());
            return Json.pretty(root);
        }

        /** A few human-readable lines. */
        public String report() {
            return String.format(Locale.ROOT,
                    "replayed %d demos (%d steps)%n"
                            + "block position error, max per demo: median %.6f px, worst %.6f px%n"
                            + "block angle error, max per demo: median %.6f rad, worst %.6f rad%n"
                            + "agent position error, worst %.6f px; final coverage error, worst %.6f%n"
                            + "bar (median <= 0.5 px, worst <= 3 px, worst angle <= 0.05 rad): %s",
                    demos.size(), steps(), medianMaxPosErrPx(), worstMaxPosErrPx(), medianMaxAngleErrRad(),
                    worstMaxAngleErrRad(), worstMaxAgentErrPx(), worstFinalCoverageErr(), meetsBar() ? "met" : "NOT met");
        }
    }

    private Replay() {}

    /** Replays every demo of the file. */
    public static Summary run(Path file) {
        PushTEnv env = new PushTEnv();
        List<DemoResult> out = new ArrayList<>();
        for (PushTDemos.Demo d : PushTDemos.loadAll(file)) out.add(replay(env, d));
        return new Summary(out);
    }

    /** Replays one demo on the given env. */
    public static DemoResult replay(PushTEnv env, PushTDemos.Demo demo) {
        double[][] rec = demo.states();
        env.reset(demo.seed());
        double[] s = env.state5();
        double maxPos = 0, maxAngle = 0, maxAgent = 0;
        for (int k = 0; k < rec.length; k++) {
            if (k > 0) {
                env.step(demo.actions()[k - 1]);
                s = env.state5();
            }
            maxPos = Math.max(maxPos, Math.hypot(s[2] - rec[k][2], s[3] - rec[k][3]));
            maxAngle = Math.max(maxAngle, angleDiff(s[4], rec[k][4]));
            maxAgent = Math.max(maxAgent, Math.hypot(s[0] - rec[k][0], s[1] - rec[k][1]));
        }
        double[] last = rec[rec.length - 1];
        double recordedCoverage = env.coverageOfPose(last[2], last[3], last[4]);
        return new DemoResult(demo.name(), demo.seed(), rec.length, maxPos, maxAngle, maxAgent, env.coverage(), recordedCoverage);
    }

    /** |a - b| wrapped to [0, π]. */
    static double angleDiff(double a, double b) {
        double d = Math.abs(PushTEnv.pyMod(a - b + Math.PI, 2 * Math.PI) - Math.PI);
        return d;
    }

    static double median(double[] v) {
        if (v.length == 0) return 0;
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
    }
}
