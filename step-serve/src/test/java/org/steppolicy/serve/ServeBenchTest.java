package org.steppolicy.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServeBenchTest {
    @Test
    void benchRunsAllThreeRunsWithoutErrors(@TempDir Path dir) throws Exception {
        List<String> log = new ArrayList<>();
        ServeBench.Result r;
        try (StepServedPolicy p = TinyPolicy.served(2)) {
            r = ServeBench.run(p, new ServeBench.Settings("step:2", 3, 30, 2, Duration.ofSeconds(60), 3), log::add);
        }
        assertEquals(3, r.runs().size());
        for (ServeBench.Run run : r.runs()) {
            assertEquals(0, run.errors(), run.toString());
            assertEquals(30, run.completed(), run.toString());
            assertTrue(run.p50Ms() > 0 && run.p99Ms() >= run.p50Ms() && run.throughputPerS() > 0, run.toString());
        }
        assertEquals(3, r.runs().get(2).sessions());
        assertTrue(r.rssAfterKb() > 0);
        String md = ServeBench.markdown(r);
        assertTrue(md.contains("| in-process policy | 1 | 30 / 30 | 0 |"), md);
        assertTrue(md.contains("server overhead at p50"), md);
        ServeBench.writeJson(r, dir.resolve("b.json"));
        JsonNode j = new ObjectMapper().readTree(dir.resolve("b.json").toFile());
        assertEquals("step:2", j.get("method").asText());
        assertEquals(3, j.get("runs").size());
        System.out.println(md);
    }
}
