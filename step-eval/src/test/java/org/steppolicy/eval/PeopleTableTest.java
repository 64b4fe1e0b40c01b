package org.steppolicy.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Figures for people: no trailing noise digits, the paper's method names. */
class PeopleTableTest {
    @Test
    void figuresReadAsAPersonWritesThem() {
        assertEquals("0.954", PeopleTable.score(0.95444));
        assertEquals("6.0 ms", PeopleTable.millis(6.04));
        assertEquals("20.4 ms", PeopleTable.millis(20.43));
        assertEquals("194 ms", PeopleTable.millis(193.8));
        assertEquals("9.6 min", PeopleTable.minutes(9.6));
        assertEquals("30 s", PeopleTable.minutes(0.5));
        assertEquals("22 %", PeopleTable.percent(0.22));
        assertEquals("1 step", PeopleTable.steps(1));
        assertEquals("3,250 steps", PeopleTable.steps(3250));
        assertEquals("DPM-Solver++-2", PeopleTable.name("dpmsolver:2"));
        assertEquals("STEP-2", PeopleTable.name("step:2"));
        assertEquals("DDPM-100", PeopleTable.name("ddpm:100"));
        assertEquals("predictor alone", PeopleTable.name("predictor"));
    }

    @Test
    void theTableShowsEachScoreWithItsInterval() {
        String t = PeopleTable.format(java.util.List.of(PairedComparisonTest.result("step:2", 1, 0.0, 1.0)));
        org.junit.jupiter.api.Assertions.assertTrue(t.lines().findFirst().orElseThrow().contains("   mean score [95 % interval]   success"), t);
        org.junit.jupiter.api.Assertions.assertTrue(t.lines().skip(1).findFirst().orElseThrow().matches("  STEP-2  \\(step:2\\) +0\\.500 \\[0\\.000, 1\\.000\\] +50 % +3\\.0 ms"), t);
    }
}
