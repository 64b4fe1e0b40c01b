package org.steppolicy.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class Rotation6dTest {

    @Test
    void identityIsRot6dOneZeroZeroZeroOneZero() {
        assertArrayEquals(new double[] {1, 0, 0, 0, 1, 0}, Rotation6d.matrixToRot6d(Rotation6d.axisAngleToMatrix(0, 0, 0)), 0);
        assertArrayEquals(new double[] {0, 0, 0}, Rotation6d.matrixToAxisAngle(Rotation6d.rot6dToMatrix(
                new double[] {1, 0, 0, 0, 1, 0})), 0);
    }

    @Test
    void quarterTurnsHaveTheExpectedRows() {
        double h = Math.PI / 2;
        // 90° about z maps x to y: rows (0,-1,0), (1,0,0), (0,0,1)
        assertArrayEquals(new double[] {0, -1, 0, 1, 0, 0, 0, 0, 1}, Rotation6d.axisAngleToMatrix(0, 0, h), 1e-15);
        assertArrayEquals(new double[] {0, -1, 0, 1, 0, 0}, Rotation6d.matrixToRot6d(Rotation6d.axisAngleToMatrix(0, 0, h)), 1e-15);
        // 90° about x: rows (1,0,0), (0,0,-1), (0,1,0)
        assertArrayEquals(new double[] {1, 0, 0, 0, 0, -1, 0, 1, 0}, Rotation6d.axisAngleToMatrix(h, 0, 0), 1e-15);
        // 180° about y: diag(-1, 1, -1)
        assertArrayEquals(new double[] {-1, 0, 0, 0, 1, 0, 0, 0, -1}, Rotation6d.axisAngleToMatrix(0, Math.PI, 0), 1e-15);
        assertArrayEquals(new double[] {0, 0, h}, Rotation6d.matrixToAxisAngle(Rotation6d.axisAngleToMatrix(0, 0, h)), 1e-15);
    }

    @Test
    void roundTripsRandomRotationsIncludingNearZeroAndNearPi() {
        Random rnd = new Random(7);
        double[] angles = new double[3000];
        for (int i = 0; i < angles.length; i++) {
            angles[i] = switch (i % 3) {
                case 0 -> rnd.nextDouble() * Math.PI;                   // anywhere in [0, π)
                case 1 -> Math.pow(10, -1 - 9 * rnd.nextDouble());      // 1e-10 .. 0.1
                default -> Math.PI - Math.pow(10, -1 - 7 * rnd.nextDouble()); // π − (1e-8 .. 0.1)
            };
        }
        angles[0] = 0;
        for (double theta : angles) {
            double[] axis = unit(rnd.nextGaussian(), rnd.nextGaussian(), rnd.nextGaussian());
            double[] v = {axis[0] * theta, axis[1] * theta, axis[2] * theta};
            double[] r6 = Rotation6d.matrixToRot6d(Rotation6d.axisAngleToMatrix(v[0], v[1], v[2]));
            double[] back = Rotation6d.matrixToAxisAngle(Rotation6d.rot6dToMatrix(r6));
            assertArrayEquals(v, back, 1e-6, () -> "angle " + theta);
        }
    }

    @Test
    void halfTurnRoundTripsToTheSameRotation() {
        // at exactly π, v and −v are the same rotation: compare matrices
        double[] v = {0, Math.PI * 0.6, Math.PI * 0.8};
        double[] m = Rotation6d.axisAngleToMatrix(v[0], v[1], v[2]);
        double[] back = Rotation6d.matrixToAxisAngle(Rotation6d.rot6dToMatrix(Rotation6d.matrixToRot6d(m)));
        assertEquals(Math.PI, Math.sqrt(back[0] * back[0] + back[1] * back[1] + back[2] * back[2]), 1e-9);
        assertArrayEquals(m, Rotation6d.axisAngleToMatrix(back[0], back[1], back[2]), 1e-9);
    }

    @Test
    void gramSchmidtMakesARotationOfANoisyRot6d() {
        double[] m = Rotation6d.rot6dToMatrix(new double[] {2, 0.1, 0, 0.3, 0.5, 0});
        // rows orthonormal, determinant +1
        double[][] r = {{m[0], m[1], m[2]}, {m[3], m[4], m[5]}, {m[6], m[7], m[8]}};
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                assertEquals(i == j ? 1 : 0, r[i][0] * r[j][0] + r[i][1] * r[j][1] + r[i][2] * r[j][2], 1e-12);
        double det = r[0][0] * (r[1][1] * r[2][2] - r[1][2] * r[2][1]) - r[0][1] * (r[1][0] * r[2][2] - r[1][2] * r[2][0])
                + r[0][2] * (r[1][0] * r[2][1] - r[1][1] * r[2][0]);
        assertEquals(1, det, 1e-12);
        // the first row keeps the first vector's direction
        assertArrayEquals(unit(2, 0.1, 0), r[0], 1e-12);
    }

    private static double[] unit(double x, double y, double z) {
        double n = Math.sqrt(x * x + y * y + z * z);
        return new double[] {x / n, y / n, z / n};
    }
}
