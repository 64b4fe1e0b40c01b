package org.steppolicy.data;

import java.util.OptionalLong;

/**
 * One demonstration: obs (n × Do, the selected keys concatenated in config order) and actions (n × Da), both float32
 * as DP casts them. {@code seed} is the demo's {@code seed} attribute (Push-T: the env reset seed), when present.
 */
public record Episode(String name, OptionalLong seed, float[][] obs, float[][] actions) {
    public Episode {
        if (obs.length != actions.length) {
            throw new IllegalArgumentException(name + ": " + obs.length + " obs rows but " + actions.length + " actions");
        }
    }

    public int length() { return actions.length; }

    public int obsDim() { return obs.length == 0 ? 0 : obs[0].length; }

    public int actionDim() { return actions.length == 0 ? 0 : actions[0].length; }
}
