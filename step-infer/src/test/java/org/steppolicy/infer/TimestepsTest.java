package org.steppolicy.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TimestepsTest {
    @Test
    void ddimStridedAsInTheDocument() {
        assertArrayEquals(new int[] {84, 72, 60, 48, 36, 24, 12, 0}, SolverKind.stridedTimesteps(100, 8));
        assertArrayEquals(new int[] {90, 80, 70, 60, 50, 40, 30, 20, 10, 0}, SolverKind.stridedTimesteps(100, 10));
        assertArrayEquals(new int[] {90, 84, 78, 72, 66, 60, 54, 48, 42, 36, 30, 24, 18, 12, 6, 0},
                SolverKind.stridedTimesteps(100, 16));
        assertArrayEquals(new int[] {50, 0}, SolverKind.stridedTimesteps(100, 2));
        assertArrayEquals(new int[] {75, 50, 25, 0}, SolverKind.stridedTimesteps(100, 4));
        int[] full = SolverKind.stridedTimesteps(100, 100);
        for (int i = 0; i < 100; i++) assertEquals(99 - i, full[i]);
    }

    @Test
    void dpmLinspaceMatchesNumpyRounding() {
        // values from numpy: np.linspace(0, 99, k+1).round()[::-1][:-1]
        assertArrayEquals(new int[] {99, 50}, SolverKind.linspaceTimesteps(100, 2));
        assertArrayEquals(new int[] {99, 66, 33}, SolverKind.linspaceTimesteps(100, 3));
        assertArrayEquals(new int[] {99, 74, 50, 25}, SolverKind.linspaceTimesteps(100, 4));
        assertArrayEquals(new int[] {99, 79, 59, 40, 20}, SolverKind.linspaceTimesteps(100, 5));
        assertArrayEquals(new int[] {99, 82, 66, 50, 33, 16}, SolverKind.linspaceTimesteps(100, 6));
        assertArrayEquals(new int[] {99, 89, 79, 69, 59, 50, 40, 30, 20, 10}, SolverKind.linspaceTimesteps(100, 10));
        assertArrayEquals(new int[] {99, 92, 86, 79, 73, 66, 59, 53, 46, 40, 33, 26, 20, 13, 7},
                SolverKind.linspaceTimesteps(100, 15));
        // numpy gives 50 twice for k = 100; the duplicate is dropped.
        assertEquals(99, SolverKind.linspaceTimesteps(100, 100).length);
    }

    @Test
    void fineSingleSteps() {
        assertArrayEquals(new int[] {1, 0}, SolverKind.singleStepTimesteps(100, 2));
        assertArrayEquals(new int[] {3, 2, 1, 0}, SolverKind.singleStepTimesteps(100, 4));
    }

    @Test
    void outOfRangeStepsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> SolverKind.stridedTimesteps(100, 0));
        assertThrows(IllegalArgumentException.class, () -> SolverKind.linspaceTimesteps(100, 101));
        assertThrows(IllegalArgumentException.class, () -> SolverKind.parse("euler"));
        assertEquals(SolverKind.DPMSOLVER, SolverKind.parse("DPMSolver"));
    }
}
