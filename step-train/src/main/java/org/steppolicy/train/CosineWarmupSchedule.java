package org.steppolicy.train;

/**
 * diffusers' {@code get_cosine_schedule_with_warmup} (half a cosine cycle), as Diffusion Policy and STEP train with
 * (docs/reference/diffusion-policy.md §B.4). {@code step} is the number of optimiser steps already taken, so the first step uses
 * lr = 0 exactly as PyTorch's LambdaLR does.
 */
public record CosineWarmupSchedule(double baseLr, long warmupSteps, long totalSteps) {
    public CosineWarmupSchedule {
        if (baseLr < 0) throw new IllegalArgumentException("learning rate must be >= 0, got " + baseLr);
        if (warmupSteps < 0) throw new IllegalArgumentException("warm-up steps must be >= 0, got " + warmupSteps);
        if (totalSteps < 1) throw new IllegalArgumentException("total steps must be >= 1, got " + totalSteps);
    }

    public double lr(long step) {
        return baseLr * factor(step);
    }

    double factor(long step) {
        if (step < warmupSteps) return step / (double) Math.max(1, warmupSteps);
        double progress = (step - warmupSteps) / (double) Math.max(1, totalSteps - warmupSteps);
        return Math.max(0.0, 0.5 * (1.0 + Math.cos(Math.PI * progress)));
    }
}
