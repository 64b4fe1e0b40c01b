package org.steppolicy.sim;

/** What a frame shows: agent position, block origin and angle, and the last action (null for none). */
public record FrameState(double agentX, double agentY, double blockX, double blockY, double blockAngle, double[] action) {
    /** From a 5-value state (agent x, y, block x, y, angle). */
    public static FrameState ofState(double[] s, double[] action) {
        return new FrameState(s[0], s[1], s[2], s[3], s[4], action);
    }

    /** The env's current state. */
    public static FrameState of(PushTEnv env) {
        return ofState(env.state5(), env.latestAction());
    }
}
