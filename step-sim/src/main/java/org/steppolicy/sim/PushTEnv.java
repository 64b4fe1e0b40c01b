package org.steppolicy.sim;

import org.steppolicy.config.UserError;
import org.steppolicy.sim.physics.Body;
import org.steppolicy.sim.physics.Circle;
import org.steppolicy.sim.physics.Poly;
import org.steppolicy.sim.physics.Segment;
import org.steppolicy.sim.physics.Space;

import static org.steppolicy.sim.PushTSpec.*;

/**
 * The Push-T environment of Diffusion Policy (docs/reference/pusht-env.md §E), on a port of Chipmunk 7's solver
 * ({@link Space}): a kinematic circle driven by PD control pushes a T block with zero damping, zero friction and
 * zero elasticity; reward is the goal coverage. Not thread-safe: use one instance per thread.
 */
public final class PushTEnv {
    private Space space;
    private Body agent;
    private Body block;
    private Poly bar;
    private Poly stem;
    private final Coverage coverage;
    private final double[][][] goalParts;
    private int steps;
    private double lastCoverage;
    private double[] latestAction;
    private final double[] blockTransform = new double[6];

    public PushTEnv() {
        build();
        // The goal body has its centre of gravity at the origin, so position-then-angle gives the pose directly.
        Body goal = Body.dynamic(1, 1);
        goal.setPosition(GOAL_POSE[0], GOAL_POSE[1]);
        goal.setAngle(GOAL_POSE[2]);
        goalParts = new double[][][] {worldVerts(goal, bar), worldVerts(goal, stem)};
        coverage = new Coverage(GOAL_POSE);
    }

    /** _setup(): a fresh space with the walls, the agent and the block, in the reference's order. */
    private void build() {
        space = new Space();
        space.setDamping(0.0);
        for (double[] w : WALLS) space.addShape(new Segment(space.staticBody(), w[0], w[1], w[2], w[3], WALL_RADIUS));

        agent = Body.kinematic();
        agent.setPosition(AGENT_START[0], AGENT_START[1]);
        space.addBody(agent);
        space.addShape(new Circle(agent, AGENT_RADIUS, 0, 0));

        // Upstream bug kept (§E.1): the stem's moment term reuses the bar's vertices.
        double moment = Poly.momentForPoly(BLOCK_MASS, BAR) + Poly.momentForPoly(BLOCK_MASS, BAR);
        block = Body.dynamic(BLOCK_MASS, moment);
        bar = new Poly(block, BAR);
        stem = new Poly(block, STEM);
        double[] c1 = bar.centroid(), c2 = stem.centroid();
        block.setCenterOfGravity((c1[0] + c2[0]) / 2, (c1[1] + c2[1]) / 2);
        block.setPosition(BLOCK_START[0], BLOCK_START[1]);
        block.setAngle(0.0);
        space.addBody(block);
        space.addShape(bar);
        space.addShape(stem);
        steps = 0;
        latestAction = null;
    }

    /** The legacy reset of the evaluation runner and of the dataset: draws from RandomState(seed), sets, steps once. */
    public double[] reset(long seed) {
        return resetToState(legacyDraw(seed), true);
    }

    /** The raw reset draw [agent x, agent y, block x, block y, angle] of RandomState(seed) (§E.2). */
    public static double[] legacyDraw(long seed) {
        LegacyRandom rs = new LegacyRandom(seed);
        double ax = rs.randint(AGENT_LO, AGENT_HI), ay = rs.randint(AGENT_LO, AGENT_HI);
        double bx = rs.randint(BLOCK_LO, BLOCK_HI), by = rs.randint(BLOCK_LO, BLOCK_HI);
        double angle = rs.randn() * 2 * Math.PI - Math.PI;
        return new double[] {ax, ay, bx, by, angle};
    }

    /**
     * Block origin and angle right after the legacy _set_state of a raw draw, before the physics step: the position is
     * set at angle 0, then the angle turns the block about its centre of gravity (0, 45) local (§E.2).
     */
    public double[] legacyBlockPose(double[] draw) {
        Body b = Body.dynamic(BLOCK_MASS, 1);
        b.setCenterOfGravity(block.cogX(), block.cogY());
        b.setPosition(BLOCK_START[0], BLOCK_START[1]);
        b.setAngle(0.0);
        b.setPosition(draw[2], draw[3]);
        b.setAngle(draw[4]);
        return new double[] {b.positionX(), b.positionY(), pyMod(b.angle(), 2 * Math.PI)};
    }

    /**
     * Rebuilds the scene and applies a state (_set_state). legacy=true sets the block position before its angle, so
     * the angle turns about the centre of gravity and the origin moves; then one physics step of 0.01 s runs.
     */
    public double[] resetToState(double[] state, boolean legacy) {
        if (state == null || state.length != STATE_DIM) throw new UserError("a Push-T state has 5 values (agent x, y, block x, y, angle)");
        for (double v : state) {
            if (!Double.isFinite(v)) throw new UserError("a Push-T state must be finite, got " + java.util.Arrays.toString(state));
        }
        build();
        agent.setPosition(state[0], state[1]);
        if (legacy) {
            block.setPosition(state[2], state[3]);
            block.setAngle(state[4]);
        } else {
            block.setAngle(state[4]);
            block.setPosition(state[2], state[3]);
        }
        space.step(DT);
        lastCoverage = blockCoverage();
        return obs20();
    }

    /** One 10 Hz step: 10 sub-steps of PD control towards the target position (pixels), then the reward. */
    public StepResult step(double[] action) {
        if (action == null || action.length != ACTION_DIM) {
            throw new UserError("a Push-T action has 2 values (target x, y in pixels), got "
                    + (action == null ? "null" : action.length + " values"));
        }
        if (!Double.isFinite(action[0]) || !Double.isFinite(action[1])) {
            throw new UserError("Push-T action must be finite, got (" + action[0] + ", " + action[1] + ")");
        }
        latestAction = action.clone();
        for (int i = 0; i < SUBSTEPS; i++) {
            double accX = K_P * (action[0] - agent.positionX()) + K_V * (0.0 - agent.velocityX());
            double accY = K_P * (action[1] - agent.positionY()) + K_V * (0.0 - agent.velocityY());
            agent.setVelocity(agent.velocityX() + accX * DT, agent.velocityY() + accY * DT);
            space.step(DT);
        }
        steps++;
        lastCoverage = blockCoverage();
        return new StepResult(obs20(), reward(), lastCoverage > SUCCESS_THRESHOLD, steps >= MAX_STEPS, lastCoverage);
    }

    private double blockCoverage() {
        double[] t = blockTransform;
        block.transform(t);
        return coverage.coverage(t[0], t[1], t[2], t[3], t[4], t[5]);
    }

    /** Coverage after the last reset or step. */
    public double coverage() { return lastCoverage; }

    /** clip(coverage / 0.95, 0, 1). */
    public double reward() { return Math.min(1.0, Math.max(0.0, lastCoverage / SUCCESS_THRESHOLD)); }

    /** Env steps since the last reset. */
    public int steps() { return steps; }

    /** The last action stepped (null right after a reset). */
    public double[] latestAction() { return latestAction == null ? null : latestAction.clone(); }

    /** Keypoint observation: 9 block keypoints in world pixels (x, y each), then the agent position: 20 values. */
    public double[] obs20() {
        double[] out = new double[OBS_DIM];
        keypoints(block.positionX(), block.positionY(), block.angle(), out);
        out[18] = agent.positionX();
        out[19] = agent.positionY();
        return out;
    }

    /** World keypoints of a block pose (origin x, y, angle) into out[0..17]: R(angle)·k + position (§E.3). */
    public static void keypoints(double x, double y, double angle, double[] out) {
        double c = StrictMath.cos(angle), s = StrictMath.sin(angle);
        for (int i = 0; i < BLOCK_KEYPOINTS.length; i++) {
            double kx = BLOCK_KEYPOINTS[i][0], ky = BLOCK_KEYPOINTS[i][1];
            out[2 * i] = c * kx + -s * ky + x;
            out[2 * i + 1] = s * kx + c * ky + y;
        }
    }

    /** State observation: agent x, y, block origin x, y, block angle mod 2π (Python's float modulo). */
    public double[] state5() {
        return new double[] {agent.positionX(), agent.positionY(), block.positionX(), block.positionY(),
                pyMod(block.angle(), 2 * Math.PI)};
    }

    static double pyMod(double x, double m) {
        double mod = x % m;
        if (mod != 0.0) {
            if ((m < 0) != (mod < 0)) mod += m;
        } else {
            mod = Math.copySign(0.0, m);
        }
        return mod;
    }

    /** World vertices of the block's two parts (bar, stem), each double[4][2], in Chipmunk's hull order. */
    public double[][][] blockParts() { return new double[][][] {worldVerts(block, bar), worldVerts(block, stem)}; }

    /** World vertices of the goal T's two parts. */
    public double[][][] goalParts() { return goalParts; }

    public double agentX() { return agent.positionX(); }

    public double agentY() { return agent.positionY(); }

    private static double[][] worldVerts(Body body, Poly poly) {
        double[][] local = poly.vertices();
        double[][] out = new double[local.length][];
        for (int i = 0; i < local.length; i++) out[i] = body.localToWorld(local[i][0], local[i][1]);
        return out;
    }

    /** Coverage of an arbitrary block pose (origin x, y, angle), e.g. of a recorded state. */
    public double coverageOfPose(double x, double y, double angle) {
        return coverage.coverage(x, y, angle);
    }
}
