package org.steppolicy.data;

/**
 * (H, W, C) uint8 frames to the networks' channels-first float crops in [0, 1] (Diffusion Policy's image
 * normalisation: divide by 255, no mean/std). Training draws a random crop position per window, evaluation takes the
 * centre (torchvision CenterCrop: top = round((H − h) / 2)).
 */
public final class ImageCrop {
    private ImageCrop() {}

    /** CenterCrop's offset along one axis. */
    public static int centre(int size, int crop) {
        if (crop > size) throw new IllegalArgumentException("crop " + crop + " larger than the image " + size);
        return (int) Math.round((size - crop) / 2.0);
    }

    /**
     * Writes the {@code ch}×{@code cw} crop at ({@code top}, {@code left}) of the (h, w, c) frame at
     * {@code frame[fOff..]} into {@code out[off..]} as (c, ch, cw) floats / 255.
     */
    public static void toChw(byte[] frame, int fOff, int h, int w, int c, int top, int left, int ch, int cw,
                             float[] out, int off) {
        if (top < 0 || left < 0 || top + ch > h || left + cw > w)
            throw new IllegalArgumentException("crop " + ch + "×" + cw + " at (" + top + ", " + left + ") outside " + h + "×" + w);
        int plane = ch * cw;
        for (int y = 0; y < ch; y++) {
            int row = fOff + ((top + y) * w + left) * c;
            int o = off + y * cw;
            for (int x = 0; x < cw; x++) {
                int p = row + x * c;
                for (int k = 0; k < c; k++) out[o + k * plane + x] = (frame[p + k] & 0xFF) / 255f;
            }
        }
    }
}
