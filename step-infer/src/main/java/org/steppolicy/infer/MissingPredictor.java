package org.steppolicy.infer;

import java.util.Collection;
import org.steppolicy.config.UserError;

/**
 * The one message for a method whose model beside the DP is missing (a "step" or "spatial" predictor, a BRIDGeR
 * model): every place that finds the condition (a checkpoint policy, an export folder, eval's checks, the bench,
 * export-onnx --fused) says it with {@link #message}, so the checkpoint route and the export-folder route read alike.
 */
public final class MissingPredictor {
    private MissingPredictor() {}

    /**
     * "method LABEL needs a 'KIND' predictor; SOURCE has none (or: only K1, K2). " followed by what to do: train one
     * (train-predictor with predictor.kind=KIND, or train-bridger for bridger) and pass it with --predictor DIR, or for
     * an export-onnx folder add it with export-onnx.
     *
     * @param label  the method's label, e.g. step:2
     * @param kind   the kind it reads ({@link Method#predictorKind()})
     * @param source the policy's folder (or a description such as "random weights")
     * @param has    the kinds the source has
     */
    public static String message(String label, String kind, Object source, Collection<String> has) {
        String train = Method.BRIDGER_KIND.equals(kind) ? "step train-bridger" : "step train-predictor with predictor.kind=" + kind;
        return "method " + label + " needs a '" + kind + "' predictor; " + source + " has "
                + (has.isEmpty() ? "none" : "only " + String.join(", ", has))
                + ". Train one (" + train + ") and pass it with --predictor DIR"
                + " (to an export-onnx folder: step export-onnx --policy FOLDER --predictor DIR --out NEW)";
    }

    /** {@link #message} as a one-line {@link UserError}. */
    public static UserError error(String label, String kind, Object source, Collection<String> has) {
        return new UserError(message(label, kind, source, has));
    }
}
