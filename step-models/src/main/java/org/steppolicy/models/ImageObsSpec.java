package org.steppolicy.models;

import java.util.LinkedHashMap;
import java.util.Map;
import org.steppolicy.config.SizeLimits;

/**
 * How a visuomotor policy sees one observation step: {@code lowDim} low-dim values (Push-T: agent_pos) followed by
 * one RGB image, channels-first, {@code height}×{@code width} (the crop: 84×84 of the 96×96 frame), values in [0, 1].
 * The whole step travels as one flat vector of {@link #stepDim()} values, so the observation history, the
 * normaliser (identity on pixels), the solvers and the runtimes stay those of low-dim policies; the networks split it
 * again inside ({@link ImageObsEncoder}). {@code encoder}: {@code resnet18_gn} (Diffusion Policy's ResNet-18 with
 * GroupNorm, 512 features) or {@code small_conv} (STEP's 4-conv encoder with a Linear head of {@code featureDim}).
 * {@code imagePool}: how the encoder pools its last feature map, {@code avg} (global average pooling) or
 * {@code spatial_softmax} ({@link SpatialSoftmax} with {@code spatialSoftmaxKeypoints} keypoints; small_conv only).
 * Null means avg (a meta.json written before the key existed), and avg keeps no keypoint count.
 */
public record ImageObsSpec(int lowDim, int height, int width, String encoder, int featureDim, String imagePool,
                           int spatialSoftmaxKeypoints) {
    public static final int CHANNELS = 3;
    public static final String RESNET18_GN = "resnet18_gn", SMALL_CONV = "small_conv";

    public ImageObsSpec {
        if (lowDim < 0 || height < 1 || width < 1) throw new IllegalArgumentException("bad image observation " + lowDim + " + " + height + "×" + width);
        if (RESNET18_GN.equals(encoder)) featureDim = ResNet18GroupNorm.FEATURES;
        else if (!SMALL_CONV.equals(encoder))
            throw new IllegalArgumentException("image encoder must be " + RESNET18_GN + " or " + SMALL_CONV + ", got '" + encoder + "'");
        if (featureDim < 1) throw new IllegalArgumentException("image feature dim must be positive, got " + featureDim);
        if (imagePool == null || SpatialSoftmax.AVG.equals(imagePool)) {
            imagePool = SpatialSoftmax.AVG;
            spatialSoftmaxKeypoints = 0;
        } else if (!SpatialSoftmax.SPATIAL_SOFTMAX.equals(imagePool)) {
            throw new IllegalArgumentException("image pool must be " + SpatialSoftmax.AVG + " or " + SpatialSoftmax.SPATIAL_SOFTMAX + ", got '" + imagePool + "'");
        } else if (!SMALL_CONV.equals(encoder)) {
            throw new IllegalArgumentException("image pool " + imagePool + " is implemented for the " + SMALL_CONV + " encoder only, not " + encoder);
        } else if (spatialSoftmaxKeypoints < 1 || spatialSoftmaxKeypoints > SizeLimits.MAX_CHANNELS) {
            throw new IllegalArgumentException("spatial softmax keypoints must be in [1, " + SizeLimits.MAX_CHANNELS + "], got " + spatialSoftmaxKeypoints);
        }
    }

    /** With global average pooling (every encoder before policy.image_pool, and the predictor's). */
    public ImageObsSpec(int lowDim, int height, int width, String encoder, int featureDim) {
        this(lowDim, height, width, encoder, featureDim, SpatialSoftmax.AVG, 0);
    }

    public boolean spatialSoftmax() { return SpatialSoftmax.SPATIAL_SOFTMAX.equals(imagePool); }

    /** Pixels of one image. */
    public int pixels() { return CHANNELS * height * width; }

    /** Values of one observation step: low-dim, then the image. */
    public int stepDim() { return lowDim + pixels(); }

    /** Features of one encoded step: the image features, then the low-dim values (the reference's key order). */
    public int encodedStepDim() { return featureDim + lowDim; }

    /** The image encoder applied to {@code images} {@code [N, 3, H, W]}, parameters under {@code prefix}. */
    public <T> T encode(NetBuilder<T> b, String prefix, T images) {
        return encoderNetwork().features(b, prefix, images);
    }

    /** The image encoder this spec describes, as a network of its own. */
    public ImageEncoder encoderNetwork() {
        return RESNET18_GN.equals(encoder) ? new ResNet18GroupNorm(height, width) : new SmallConvEncoder(height, width, featureDim, spatialSoftmaxKeypoints);
    }

    /**
     * Encodes flat observation steps {@code [N, stepDim]} to {@code [N, F + lowDim]}: each step's image through the
     * encoder (parameters under {@code prefix}), followed by its low-dim values.
     */
    public <T> T encodeSteps(NetBuilder<T> b, String prefix, T steps) {
        T images = b.reshape(b.slice(steps, 1, lowDim, stepDim()), -1, CHANNELS, height, width);
        T features = encode(b, prefix, images);
        return lowDim == 0 ? features : b.concat(1, java.util.List.of(features, b.slice(steps, 1, 0, lowDim)));
    }

    /** Checkpoint arch entry (meta.json "image"); avg pooling writes no pool keys, so its meta.json is as before them. */
    public Map<String, Object> toArch() {
        Map<String, Object> a = new LinkedHashMap<>(RecordFields.of(this));
        if (!spatialSoftmax()) {
            a.remove("image_pool");
            a.remove("spatial_softmax_keypoints");
        }
        return a;
    }

    /** From a checkpoint's arch entry; null when the entry is absent (a low-dim policy). */
    public static ImageObsSpec fromArch(Object entry) {
        if (!(entry instanceof Map<?, ?> m)) return null;
        return new ImageObsSpec(((Number) m.get("low_dim")).intValue(), ((Number) m.get("height")).intValue(),
                ((Number) m.get("width")).intValue(), String.valueOf(m.get("encoder")), ((Number) m.get("feature_dim")).intValue(),
                m.get("image_pool") == null ? null : String.valueOf(m.get("image_pool")),
                m.get("spatial_softmax_keypoints") instanceof Number k ? k.intValue() : 0);
    }
}
