package org.steppolicy.sim;

/** What a policy observes of the env after a reset and after every step: one raw observation vector. */
@FunctionalInterface
public interface PushTObservation {
    double[] observe(PushTEnv env);

    /** The low-dim observation: 9 block keypoints then the agent position (obs_keys [keypoint, agent_pos]). */
    PushTObservation KEYPOINTS = PushTEnv::obs20;
}
