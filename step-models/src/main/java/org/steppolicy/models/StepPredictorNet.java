package org.steppolicy.models;

import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * STEP's spatiotemporal warm-start predictor f(o_t, A_prev) -> Â_t (docs/reference/step-method.md, "The pieces" 2), and with
 * {@link PredictorNetConfig.Kind#SPATIAL} the same network without previous-chunk tokens.
 *
 * <p>Graph inputs: {@value #OBS} {@code [B, To, Do]} and (kind step only) {@value #PREV_ACTION}
 * {@code [B, horizon, Da]}, both normalised floats. Output: {@value #ACTION_PRED} {@code [B, horizon, Da]}.
 *
 * <p>Structure: previous-chunk tokens {@code prev_emb} Linear(Da, d) + sinusoidal code, observation tokens
 * {@code obs_emb} Linear(Do, d) + their own sinusoidal code (positions restart at 0), concatenated (previous
 * chunk first); {@code encoder.layers.i}: pre-norm TransformerEncoderLayer (GELU), then {@code encoder.norm}
 * (the final LayerNorm of a pre-norm stack; the spec leaves it open); {@code query_tokens} [horizon, d]
 * N(0, 0.02) + the action position code; {@code decoder.layers.j}: post-norm TransformerDecoderLayer
 * (self-attention, cross-attention to the encoded condition, FFN with GELU); {@code head_norm} LayerNorm and
 * {@code head} Linear(d, Da). Names follow nn.TransformerEncoderLayer / nn.TransformerDecoderLayer /
 * nn.MultiheadAttention ({@code self_attn.in_proj_weight}, {@code multihead_attn.out_proj.bias}, ...), weights
 * in the matmul layout ({@code in_proj_weight} is {@code [d, 3d]}: q, k, v blocks along the columns).
 * Init: every Linear and in-projection N(0, 0.02) with zero bias, LayerNorm (1, 0). Dropout (attention weights,
 * residual branches, FFN hidden, as PyTorch's layers place it) is active only in a training rendering
 * ({@link #buildTraining}).
 */
public final class StepPredictorNet implements NetworkDefinition {

    public static final String OBS = "obs";
    public static final String PREV_ACTION = "prev_action";
    public static final String ACTION_PRED = "action_pred";
    static final double INIT_STD = 0.02;
    static final double LN_EPS = 1e-5;

    private final PredictorNetConfig cfg;

    public StepPredictorNet(PredictorNetConfig cfg) {
        this.cfg = cfg;
    }

    public PredictorNetConfig config() {
        return cfg;
    }

    @Override
    public List<String> inputNames() {
        return cfg.usesPreviousChunk() ? List.of(OBS, PREV_ACTION) : List.of(OBS);
    }

    @Override
    public String outputName() {
        return ACTION_PRED;
    }




    /**
     * Inference graph (no dropout, dynamic batch) in {@code sd}: placeholders {@value #OBS}, {@value #PREV_ACTION};
     * returns {@value #ACTION_PRED}.
     */
    public SDVariable buildSameDiff(SameDiff sd, TensorStore params) {
        define(new SameDiffBuilder(sd, params, false));
        return sd.getVariable(ACTION_PRED);
    }

    /**
     * Training graph (dropout on) in {@code sd}, for a fixed batch size (SameDiff's dropout masks need a static
     * shape). Masks come from {@code Nd4j.getRandom()}: seed it for repeatable training.
     */
    public SDVariable buildTraining(SameDiff sd, TensorStore params, int batchSize) {
        define(SameDiffBuilder.forTraining(sd, params, batchSize));
        return sd.getVariable(ACTION_PRED);
    }

    public onnx.Onnx.ModelProto toOnnx(TensorStore params) {
        return OnnxBuilder.export(this, params, "step_predictor_" + cfg.kind().id());
    }

    @Override
    public <T> void define(NetBuilder<T> b) {
        int d = cfg.dModel(), h = cfg.horizon(), to = cfg.nObsSteps();
        T obs = b.input(OBS, -1, to, cfg.obsDim());
        T prev = cfg.usesPreviousChunk() ? b.input(PREV_ACTION, -1, h, cfg.actionDim()) : null;

        T obsTok = Layers.linearNormal(b, "obs_emb", obsFeatures(b, obs), tokenInputDim(), d);
        obsTok = b.add(b.reshape(obsTok, -1, to, d), b.constant(positionCode(to, d), to, d));
        T cond = obsTok;
        int len = to;
        if (prev != null) {
            T prevTok = Layers.linearNormal(b, "prev_emb", b.reshape(prev, -1, cfg.actionDim()), cfg.actionDim(), d);
            prevTok = b.add(b.reshape(prevTok, -1, h, d), b.constant(positionCode(h, d), h, d));
            cond = b.concat(1, List.of(prevTok, obsTok));
            len += h;
        }
        // Token streams stay 2-D [B*L, d] so that every Linear and LayerNorm is one op; attention reshapes.
        T mem = b.reshape(cond, -1, d);
        for (int i = 0; i < cfg.encoderLayers(); i++) mem = encoderLayer(b, "encoder.layers." + i, mem, len);
        mem = Layers.layerNorm(b, "encoder.norm", mem, d);

        T queries = b.param("query_tokens", Layers.normal(INIT_STD, h, d));
        queries = b.add(queries, b.constant(positionCode(h, d), h, d));
        T x = b.reshape(b.expandBatch(queries, obs), -1, d);
        for (int j = 0; j < cfg.blocks(); j++) x = decoderLayer(b, "decoder.layers." + j, x, mem, h, len);

        x = Layers.layerNorm(b, "head_norm", x, d);
        x = Layers.linearNormal(b, "head", x, d, cfg.actionDim());
        b.output(ACTION_PRED, b.reshape(x, -1, h, cfg.actionDim()));
    }

    /** Values per observation token: the raw step, or (images) the encoder's features then the low-dim values. */
    private int tokenInputDim() {
        return cfg.image() == null ? cfg.obsDim() : cfg.image().encodedStepDim();
    }

    /**
     * One row per observation step, {@code [B·To, tokenInputDim]}. With images, each step's frame goes through the
     * image encoder (STEP's small conv encoder, parameters under {@code obs_encoder.}) and its features are
     * followed by the step's low-dim values.
     */
    private <T> T obsFeatures(NetBuilder<T> b, T obs) {
        ImageObsSpec im = cfg.image();
        if (im == null) return b.reshape(obs, -1, cfg.obsDim());
        return im.encodeSteps(b, ImageObsEncoder.PREFIX, b.reshape(obs, -1, im.stepDim()));
    }

    /** Pre-norm nn.TransformerEncoderLayer: x += Drop(SA(LN1 x)); x += Drop(FF(LN2 x)). */
    private <T> T encoderLayer(NetBuilder<T> b, String p, T x, int len) {
        int d = cfg.dModel();
        T a = attention(b, p + ".self_attn", Layers.layerNorm(b, p + ".norm1", x, d), null, len, len);
        x = b.add(x, b.dropout(a, cfg.dropout()));
        T f = feedForward(b, p, Layers.layerNorm(b, p + ".norm2", x, d));
        return b.add(x, b.dropout(f, cfg.dropout()));
    }

    /** Post-norm nn.TransformerDecoderLayer: x = LN1(x + SA x); x = LN2(x + CA(x, mem)); x = LN3(x + FF x). */
    private <T> T decoderLayer(NetBuilder<T> b, String p, T x, T mem, int lq, int lkv) {
        int d = cfg.dModel();
        double drop = cfg.dropout();
        x = Layers.layerNorm(b, p + ".norm1", b.add(x, b.dropout(attention(b, p + ".self_attn", x, null, lq, lq), drop)), d);
        x = Layers.layerNorm(b, p + ".norm2", b.add(x, b.dropout(attention(b, p + ".multihead_attn", x, mem, lq, lkv), drop)), d);
        return Layers.layerNorm(b, p + ".norm3", b.add(x, b.dropout(feedForward(b, p, x), drop)), d);
    }

    private <T> T feedForward(NetBuilder<T> b, String p, T x) {
        int d = cfg.dModel(), ff = cfg.ffDim();
        T hdn = b.dropout(b.gelu(Layers.linearNormal(b, p + ".linear1", x, d, ff)), cfg.dropout());
        return Layers.linearNormal(b, p + ".linear2", hdn, ff, d);
    }

    /**
     * nn.MultiheadAttention on 2-D token streams: xq {@code [B*lq, d]}; kv {@code [B*lkv, d]} or null for
     * self-attention (one fused in-projection then).
     */
    private <T> T attention(NetBuilder<T> b, String p, T xq, T kv, int lq, int lkv) {
        int d = cfg.dModel(), heads = cfg.nHeads(), dh = d / heads;
        T w = b.param(p + ".in_proj_weight", Layers.normal(INIT_STD, d, 3L * d));
        T bias = b.param(p + ".in_proj_bias", Layers.constant(0, 3L * d));
        T q, k, v;
        if (kv == null) {
            T qkv = b.linear(xq, w, bias);
            q = b.slice(qkv, 1, 0, d);
            k = b.slice(qkv, 1, d, 2L * d);
            v = b.slice(qkv, 1, 2L * d, 3L * d);
        } else {
            q = b.linear(xq, b.slice(w, 1, 0, d), b.slice(bias, 0, 0, d));
            T kvp = b.linear(kv, b.slice(w, 1, d, 3L * d), b.slice(bias, 0, d, 3L * d));
            k = b.slice(kvp, 1, 0, d);
            v = b.slice(kvp, 1, d, 2L * d);
        }
        T q4 = b.permute(b.reshape(b.scale(q, 1 / Math.sqrt(dh)), -1, lq, heads, dh), 0, 2, 1, 3);  // [B,h,lq,dh]
        T kT = b.permute(b.reshape(k, -1, lkv, heads, dh), 0, 2, 3, 1);                         // [B,h,dh,lkv]
        T v4 = b.permute(b.reshape(v, -1, lkv, heads, dh), 0, 2, 1, 3);                         // [B,h,lkv,dh]
        T att = b.dropout(b.softmax(b.matmul(q4, kT)), cfg.dropout());
        T o = b.reshape(b.permute(b.matmul(att, v4), 0, 2, 1, 3), -1, d);
        T ow = b.param(p + ".out_proj.weight", Layers.normal(INIT_STD, d, d));
        T ob = b.param(p + ".out_proj.bias", Layers.constant(0, d));
        return b.linear(o, ow, ob);
    }

    /** Transformer sinusoidal code: pe[pos, 2i] = sin(pos / 10000^(2i/d)), pe[pos, 2i+1] = cos(same). */
    static float[] positionCode(int len, int d) {
        float[] pe = new float[len * d];
        for (int pos = 0; pos < len; pos++) {
            for (int i = 0; i < d / 2; i++) {
                double angle = pos * Math.exp(-2.0 * i * Math.log(10000) / d);
                pe[pos * d + 2 * i] = (float) Math.sin(angle);
                pe[pos * d + 2 * i + 1] = (float) Math.cos(angle);
            }
        }
        return pe;
    }
}
