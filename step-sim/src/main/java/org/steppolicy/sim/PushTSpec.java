package org.steppolicy.sim;

/** The numbers of the Push-T task, each from docs/reference/pusht-env.md (section given per constant). */
public final class PushTSpec {
    private PushTSpec() {}

    /** §E.1 world: 512x512 pixels, y down. */
    public static final int WINDOW = 512;
    /** §E.1: sim_hz 100, control_hz 10. */
    public static final double DT = 1.0 / 100;
    public static final int SUBSTEPS = 100 / 10;
    /** §E.1 PD control. */
    public static final double K_P = 100, K_V = 20;
    /** §E.1 walls: (a, b) pairs with radius 2, in the reference's insertion order. */
    public static final double[][] WALLS = {
            {5, 506, 5, 5}, {5, 5, 506, 5}, {506, 5, 506, 506}, {5, 506, 506, 506}};
    public static final double WALL_RADIUS = 2;
    /** §E.1 agent: kinematic circle, created at (256, 400). */
    public static final double AGENT_RADIUS = 15;
    public static final double[] AGENT_START = {256, 400};
    /** §E.1 block: mass 1, two polygons (scale 30, length 4), created at (256, 300), angle 0. */
    public static final double BLOCK_MASS = 1;
    public static final double[][] BAR = {{-60, 30}, {60, 30}, {60, 0}, {-60, 0}};
    public static final double[][] STEM = {{-15, 30}, {-15, 120}, {15, 120}, {15, 30}};
    public static final double[] BLOCK_START = {256, 300};
    /** §E.2 goal pose (x, y, angle). */
    public static final double[] GOAL_POSE = {256, 256, Math.PI / 4};
    /** §E.3 reward. */
    public static final double SUCCESS_THRESHOLD = 0.95;
    /** §E.4 evaluation. */
    public static final int MAX_STEPS = 300;
    /** §E.2 reset draws. */
    public static final int AGENT_LO = 50, AGENT_HI = 450, BLOCK_LO = 100, BLOCK_HI = 400;

    /** §E.3 the hard-coded local keypoint map of the block (9 points, x then y). */
    public static final double[][] BLOCK_KEYPOINTS = {
            {9.2697867138, 90.0409735239}, {-60.9834723645, -1.1867297608}, {60.9127555773, -1.3933642242},
            {-0.2705034390, 25.5436249915}, {-14.0649275762, 122.8158535541}, {39.0027385002, 32.8574042766},
            {-39.9664144247, 32.7296554464}, {-16.8243443794, 62.8631789223}, {23.5414612202, -1.7002881095}};

    /** Observation sizes: 9 keypoints (18) + agent (2); the state is agent x, y, block x, y, angle. */
    public static final int OBS_DIM = 20, STATE_DIM = 5, ACTION_DIM = 2;
}
