package org.steppolicy.infer;

/**
 * Overwrites known entries of the trajectory (inpainting: the observed obs channels). The solvers apply it before every
 * denoiser call and once after the loop, as Diffusion Policy's conditional_sample does (§B.1 "What inpainting means").
 */
@FunctionalInterface
public interface SampleConstraint {
    SampleConstraint NONE = x -> { };

    void apply(float[] x);
}
