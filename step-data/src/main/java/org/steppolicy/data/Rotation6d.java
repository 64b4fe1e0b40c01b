package org.steppolicy.data;

/**
 * Rotation representations of RoboMimic's absolute actions (docs/reference/diffusion-policy.md §D.1), computed in
 * double: axis-angle (a rotation vector, angle = its norm) ↔ 3×3 matrix ↔ rot6d. rot6d is the first two ROWS of the
 * matrix, flattened (pytorch3d's {@code matrix_to_rotation_6d}); its inverse is Gram–Schmidt on those rows
 * ({@code rotation_6d_to_matrix}), so a network's slightly non-orthogonal output still maps to a rotation.
 * Matrices are row-major {@code double[9]}.
 */
public final class Rotation6d {
    /** Below this angle (or quaternion vector norm) the closed forms lose precision; the Taylor series is used. */
    private static final double SMALL = 1e-6;

    private Rotation6d() {}

    /** Rodrigues: R = I + (sin θ/θ)·K + ((1 − cos θ)/θ²)·K², K the cross-product matrix of the rotation vector v. */
    public static double[] axisAngleToMatrix(double x, double y, double z) {
        double t2 = x * x + y * y + z * z, t = Math.sqrt(t2);
        double a, b;
        if (t < SMALL) {
            a = 1 - t2 / 6;
            b = 0.5 - t2 / 24;
        } else {
            a = Math.sin(t) / t;
            b = (1 - Math.cos(t)) / t2;
        }
        return new double[] {
                1 - b * (y * y + z * z), -a * z + b * x * y, a * y + b * x * z,
                a * z + b * x * y, 1 - b * (x * x + z * z), -a * x + b * y * z,
                -a * y + b * x * z, a * x + b * y * z, 1 - b * (x * x + y * y)};
    }

    /** The first two rows of the matrix. */
    public static double[] matrixToRot6d(double[] m) {
        return new double[] {m[0], m[1], m[2], m[3], m[4], m[5]};
    }

    /** Gram–Schmidt on the two rows: b1 = a1/|a1|, b2 = normalise(a2 − (b1·a2)·b1), b3 = b1 × b2; stacked as rows. */
    public static double[] rot6dToMatrix(double[] r) {
        double[] b1 = normalize(r[0], r[1], r[2]);
        double d = b1[0] * r[3] + b1[1] * r[4] + b1[2] * r[5];
        double[] b2 = normalize(r[3] - d * b1[0], r[4] - d * b1[1], r[5] - d * b1[2]);
        return new double[] {
                b1[0], b1[1], b1[2],
                b2[0], b2[1], b2[2],
                b1[1] * b2[2] - b1[2] * b2[1], b1[2] * b2[0] - b1[0] * b2[2], b1[0] * b2[1] - b1[1] * b2[0]};
    }

    /**
     * The rotation vector of a rotation matrix, angle in [0, π]: through the unit quaternion (Shepperd's choice of the
     * largest term keeps it accurate near π), sign fixed so that w ≥ 0, then angle = 2·atan2(|q_xyz|, w).
     */
    public static double[] matrixToAxisAngle(double[] m) {
        double tr = m[0] + m[4] + m[8];
        double w, x, y, z;
        if (tr >= m[0] && tr >= m[4] && tr >= m[8]) {
            double s = 2 * Math.sqrt(1 + tr);
            w = s / 4; x = (m[7] - m[5]) / s; y = (m[2] - m[6]) / s; z = (m[3] - m[1]) / s;
        } else if (m[0] >= m[4] && m[0] >= m[8]) {
            double s = 2 * Math.sqrt(1 + m[0] - m[4] - m[8]);
            x = s / 4; w = (m[7] - m[5]) / s; y = (m[1] + m[3]) / s; z = (m[2] + m[6]) / s;
        } else if (m[4] >= m[8]) {
            double s = 2 * Math.sqrt(1 - m[0] + m[4] - m[8]);
            y = s / 4; w = (m[2] - m[6]) / s; x = (m[1] + m[3]) / s; z = (m[5] + m[7]) / s;
        } else {
            double s = 2 * Math.sqrt(1 - m[0] - m[4] + m[8]);
            z = s / 4; w = (m[3] - m[1]) / s; x = (m[2] + m[6]) / s; y = (m[5] + m[7]) / s;
        }
        if (w < 0) { w = -w; x = -x; y = -y; z = -z; }
        double n = Math.sqrt(w * w + x * x + y * y + z * z);
        w /= n; x /= n; y /= n; z /= n;
        double v = Math.sqrt(x * x + y * y + z * z);
        // rotation vector = q_xyz · θ / sin(θ/2), with sin(θ/2) = v; near 0, θ/v = 2·asin(v)/v ≈ 2·(1 + v²/6)
        double k = v < SMALL ? 2 * (1 + v * v / 6) : 2 * Math.atan2(v, w) / v;
        return new double[] {k * x, k * y, k * z};
    }

    private static double[] normalize(double x, double y, double z) {
        double n = Math.max(Math.sqrt(x * x + y * y + z * z), 1e-12); // pytorch3d's F.normalize eps
        return new double[] {x / n, y / n, z / n};
    }
}
