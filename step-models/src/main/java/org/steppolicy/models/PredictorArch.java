package org.steppolicy.models;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A predictor checkpoint's meta.json "arch": the network ({@link PredictorNetConfig} spells its keys) and the Ta the
 * policy executes per call, which train-predictor records for the reader; loading does not need it (0: not recorded).
 */
public record PredictorArch(PredictorNetConfig net, int nActionSteps) {
    public Map<String, Object> toArch() {
        Map<String, Object> a = new LinkedHashMap<>(net.toArch());
        if (nActionSteps > 0) a.put("n_action_steps", nActionSteps);
        return a;
    }

    public static PredictorArch fromArch(Map<String, Object> a) {
        return new PredictorArch(PredictorNetConfig.fromArch(a), a.get("n_action_steps") instanceof Number n ? n.intValue() : 0);
    }
}
