package org.steppolicy.data;

import java.util.Optional;

/**
 * RoboMimic absolute actions between the file's layout and the one Diffusion Policy trains on
 * (docs/reference/diffusion-policy.md §D.1): {@code low_dim_abs.hdf5} stores per arm [position 3, axis-angle 3,
 * gripper 1] = 7 values; DP converts on load to [position 3, rot6d 6, gripper 1] = 10 (two arms for transport: 14 → 20,
 * arm after arm). The inverse maps a policy's 10/20-d action back to what the robot controller takes.
 */
public record AbsActionConverter(int arms) {
    /** Values per arm in the file and in the model. */
    public static final int FILE_ARM_DIMS = 7, MODEL_ARM_DIMS = 10;

    public AbsActionConverter {
        if (arms < 1) throw new IllegalArgumentException("arms must be >= 1, got " + arms);
    }

    /**
     * The conversion that turns a file's {@code fileDim} action values into the config's {@code configDim}: present
     * exactly when the file holds 7 per arm and the config asks 10 per arm for the same number of arms.
     */
    public static Optional<AbsActionConverter> between(int fileDim, int configDim) {
        if (fileDim <= 0 || fileDim % FILE_ARM_DIMS != 0) return Optional.empty();
        int arms = fileDim / FILE_ARM_DIMS;
        return configDim == arms * MODEL_ARM_DIMS ? Optional.of(new AbsActionConverter(arms)) : Optional.empty();
    }

    public int fileDim() { return arms * FILE_ARM_DIMS; }

    public int modelDim() { return arms * MODEL_ARM_DIMS; }

    /** One step, file layout (7 per arm) to model layout (10 per arm). */
    public float[] toRot6d(float[] a) {
        check(a, fileDim());
        float[] out = new float[modelDim()];
        for (int arm = 0; arm < arms; arm++) {
            int i = arm * FILE_ARM_DIMS, o = arm * MODEL_ARM_DIMS;
            System.arraycopy(a, i, out, o, 3);
            double[] r6 = Rotation6d.matrixToRot6d(Rotation6d.axisAngleToMatrix(a[i + 3], a[i + 4], a[i + 5]));
            for (int k = 0; k < 6; k++) out[o + 3 + k] = (float) r6[k];
            out[o + 9] = a[i + 6];
        }
        return out;
    }

    /** One step, model layout (10 per arm) back to file layout (7 per arm), e.g. for a controller or offline comparison. */
    public float[] toAxisAngle(float[] a) {
        check(a, modelDim());
        float[] out = new float[fileDim()];
        for (int arm = 0; arm < arms; arm++) {
            int i = arm * MODEL_ARM_DIMS, o = arm * FILE_ARM_DIMS;
            System.arraycopy(a, i, out, o, 3);
            double[] r6 = new double[6];
            for (int k = 0; k < 6; k++) r6[k] = a[i + 3 + k];
            double[] aa = Rotation6d.matrixToAxisAngle(Rotation6d.rot6dToMatrix(r6));
            for (int k = 0; k < 3; k++) out[o + 3 + k] = (float) aa[k];
            out[o + 6] = a[i + 9];
        }
        return out;
    }

    public float[][] toRot6d(float[][] rows) {
        float[][] out = new float[rows.length][];
        for (int t = 0; t < rows.length; t++) out[t] = toRot6d(rows[t]);
        return out;
    }

    public float[][] toAxisAngle(float[][] rows) {
        float[][] out = new float[rows.length][];
        for (int t = 0; t < rows.length; t++) out[t] = toAxisAngle(rows[t]);
        return out;
    }

    /** One line for progress logs. */
    public String describe() {
        return "actions converted on load: [pos 3, axis-angle 3, gripper 1] -> [pos 3, rot6d 6, gripper 1] per arm ("
                + fileDim() + " -> " + modelDim() + ")";
    }

    private static void check(float[] a, int expected) {
        if (a.length != expected) throw new IllegalArgumentException("expected " + expected + " action values, got " + a.length);
    }
}
