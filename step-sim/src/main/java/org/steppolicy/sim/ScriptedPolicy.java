package org.steppolicy.sim;

import java.util.SplittableRandom;

/**
 * A deterministic hand-written pusher: it walks the agent behind the block (as seen from the goal) and pushes it
 * toward the goal, with a small seeded jitter. Used by the speed benchmark and to test evaluation determinism; it
 * is not a good policy.
 */
public final class ScriptedPolicy implements ChunkPolicy {
    private final int nActions;
    private SplittableRandom rng = new SplittableRandom(0);

    public ScriptedPolicy(int nActions) { this.nActions = nActions; }

    @Override
    public void reset(long seed) { rng = new SplittableRandom(seed); }

    @Override
    public double[][] act(double[][] obsHistory) {
        double[] o = obsHistory[obsHistory.length - 1];
        double cx = 0, cy = 0;
        for (int i = 0; i < 9; i++) {
            cx += o[2 * i] / 9;
            cy += o[2 * i + 1] / 9;
        }
        double ax = o[18], ay = o[19];
        double dx = PushTSpec.GOAL_POSE[0] - cx, dy = PushTSpec.GOAL_POSE[1] - cy;
        double len = Math.hypot(dx, dy) + 1e-9;
        dx /= len;
        dy /= len;
        double bx = cx - 75 * dx, by = cy - 75 * dy;
        boolean behind = Math.hypot(ax - bx, ay - by) < 20;
        double tx = behind ? cx + 40 * dx : bx, ty = behind ? cy + 40 * dy : by;
        double[][] out = new double[nActions][];
        double px = ax, py = ay;
        for (int k = 0; k < nActions; k++) {
            double sx = tx - px, sy = ty - py, d = Math.hypot(sx, sy);
            double s = d > 12 ? 12 / d : 1;
            px += sx * s + rng.nextDouble(-1.5, 1.5);
            py += sy * s + rng.nextDouble(-1.5, 1.5);
            out[k] = new double[] {px, py};
        }
        return out;
    }
}
