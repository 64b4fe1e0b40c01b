package org.steppolicy.models;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Architecture of {@link StepPredictorNet} (docs/reference/step-method.md, "The pieces" 2). Defaults: d 128, 4 heads,
 * feed-forward 256, dropout 0.1, 2 encoder layers, 2 blocks.
 */
public record PredictorNetConfig(int obsDim, int actionDim, int nObsSteps, int horizon, int dModel, int nHeads,
                                 int ffDim, double dropout, int encoderLayers, int blocks, Kind kind, ImageObsSpec image) {

    /** step: conditioned on observations and the previous chunk; spatial: observations only (BRIDGER-style). */
    public enum Kind {
        STEP, SPATIAL;

        public static Kind parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("predictor kind must be step or spatial, got '" + s + "'");
            }
        }

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public PredictorNetConfig {
        if (obsDim <= 0 || actionDim <= 0 || nObsSteps <= 0 || horizon <= 0) {
            throw new IllegalArgumentException("predictor dims must be positive");
        }
        if (dModel % nHeads != 0) throw new IllegalArgumentException("dModel " + dModel + " not divisible by nHeads " + nHeads);
        if (dModel % 2 != 0) throw new IllegalArgumentException("dModel must be even for the sinusoidal code");
        if (dropout < 0 || dropout >= 1) throw new IllegalArgumentException("dropout must be in [0, 1): " + dropout);
        if (encoderLayers < 0 || blocks < 1) throw new IllegalArgumentException("need encoderLayers >= 0 and blocks >= 1");
        if (image != null && image.stepDim() != obsDim)
            throw new IllegalArgumentException("image predictor obs dim " + obsDim + " must be low-dim + pixels = " + image.stepDim());
    }

    /** A low-dim predictor. */
    public PredictorNetConfig(int obsDim, int actionDim, int nObsSteps, int horizon, int dModel, int nHeads,
                              int ffDim, double dropout, int encoderLayers, int blocks, Kind kind) {
        this(obsDim, actionDim, nObsSteps, horizon, dModel, nHeads, ffDim, dropout, encoderLayers, blocks, kind, null);
    }

    /** The same network reading image observations (STEP's visuomotor predictor: small conv encoder per frame). */
    public PredictorNetConfig withImage(ImageObsSpec spec) {
        return new PredictorNetConfig(spec.stepDim(), actionDim, nObsSteps, horizon, dModel, nHeads, ffDim, dropout,
                encoderLayers, blocks, kind, spec);
    }

    /** The paper's sizes for the given task dimensions. */
    public static PredictorNetConfig defaults(int obsDim, int actionDim, int nObsSteps, int horizon, Kind kind) {
        return new PredictorNetConfig(obsDim, actionDim, nObsSteps, horizon, 128, 4, 256, 0.1, 2, 2, kind);
    }

    /** The network's part of meta.json "arch" (docs/checkpoint-format.md); {@link #fromArch} reads it back. */
    public Map<String, Object> toArch() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("net", "step_predictor");
        a.put("kind", kind.id());
        a.put("obs_dim", obsDim);
        a.put("action_dim", actionDim);
        a.put("n_obs_steps", nObsSteps);
        a.put("horizon", horizon);
        a.put("d_model", dModel);
        a.put("n_heads", nHeads);
        a.put("ff_dim", ffDim);
        a.put("dropout", dropout);
        a.put("encoder_layers", encoderLayers);
        a.put("blocks", blocks);
        if (image != null) a.put("image", image.toArch());
        return a;
    }

    /** The network of an arch map written by {@link #toArch}; a missing key is an IllegalArgumentException naming it. */
    public static PredictorNetConfig fromArch(Map<String, Object> a) {
        return new PredictorNetConfig(ArchMap.integer(a, "obs_dim"), ArchMap.integer(a, "action_dim"),
                ArchMap.integer(a, "n_obs_steps"), ArchMap.integer(a, "horizon"), ArchMap.integer(a, "d_model"),
                ArchMap.integer(a, "n_heads"), ArchMap.integer(a, "ff_dim"), ArchMap.number(a, "dropout"),
                ArchMap.integer(a, "encoder_layers"), ArchMap.integer(a, "blocks"),
                Kind.parse(String.valueOf(a.get("kind"))), ImageObsSpec.fromArch(a.get("image")));
    }

    public boolean usesPreviousChunk() {
        return kind == Kind.STEP;
    }
}
