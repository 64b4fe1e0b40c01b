package org.steppolicy.sim;

import org.steppolicy.data.ImageCrop;

/**
 * A visuomotor policy's observation: the agent position, then the frame rendered as the dataset records it (96×96,
 * no action marker: the recorded images carry none), centre-cropped to {@code height}×{@code width}, channels first,
 * divided by 255 — the flat step layout of the image policies (step-models' ImageObsSpec with low-dim agent_pos).
 */
public final class ImageObservation implements PushTObservation {
    /** The recorded frames' size. */
    public static final int FRAME = 96;
    private final int height, width;

    public ImageObservation(int height, int width) {
        if (height < 1 || width < 1 || height > FRAME || width > FRAME)
            throw new IllegalArgumentException("crop " + height + "×" + width + " must fit the " + FRAME + "×" + FRAME + " frame");
        this.height = height;
        this.width = width;
    }

    /** Values per observation: 2 (agent x, y) + 3·height·width. */
    public int dim() { return 2 + 3 * height * width; }

    @Override
    public double[] observe(PushTEnv env) {
        byte[] rgb = PushTRenderer.rgbBytes(PushTRenderer.render(FrameState.ofState(env.state5(), null), FRAME));
        float[] px = new float[3 * height * width];
        ImageCrop.toChw(rgb, 0, FRAME, FRAME, 3, ImageCrop.centre(FRAME, height), ImageCrop.centre(FRAME, width),
                height, width, px, 0);
        double[] out = new double[dim()];
        out[0] = env.agentX();
        out[1] = env.agentY();
        for (int i = 0; i < px.length; i++) out[2 + i] = px[i];
        return out;
    }
}
