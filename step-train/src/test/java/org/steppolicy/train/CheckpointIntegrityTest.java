package org.steppolicy.train;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steppolicy.config.UserError;
import org.steppolicy.models.Checkpoint;
import org.steppolicy.run.Checksums;

/** Checksums written with every checkpoint and verified on load; a stop request checkpoints and stops. */
class CheckpointIntegrityTest {
    private static final int T = 8, Do = 3, Da = 2;

    private static DpTrainSettings settings() {
        return DpTrainSettings.pushT().withObsAsGlobalCond(true).withNet(List.of(8, 16), 16).withSchedule(16, 8, 2, 2, 3).withHorizon(T);
    }

    private static DpTask task(DpTrainSettings s) {
        return new DpTask(s, ToyNets.randomWindows(40, T, Do, Da, 1), null, "{\"toy\":true}",
                ToyNets.denoiser(T, Da, s.nObsSteps() * Do, 12, 7));
    }

    @Test
    void aFlippedByteIsRefusedNamingTheFile(@TempDir Path dir) throws Exception {
        DpTrainSettings s = settings();
        Trainer.Summary r = new Trainer(task(s), s.trainerSettings(), dir, null).withCheckpointFile("data.json", "{}").run(null, 2);
        Path ck = r.lastCheckpoint();
        assertEquals(7, Checksums.read(ck, "x").sums().size(), "model, ema, optimizer, normaliser, config, data, meta");
        assertTrue(Files.readString(ck.resolve(Checksums.FILE)).contains("  ema.tensors\n"));
        Checkpoint.load(ck);                                             // intact: loads

        Path ema = ck.resolve(Checkpoint.EMA);
        byte[] b = Files.readAllBytes(ema);
        b[b.length - 2] ^= 0x40;                                         // the exponent byte of the last float
        Files.write(ema, b);
        UserError e = assertThrows(UserError.class, () -> Checkpoint.load(ck));
        assertEquals("checkpoint " + ck + ": ema.tensors does not match its SHA-256 in checksums.sha256 (the file was changed or is corrupt)",
                e.getMessage());

        // a checkpoint written before checksums existed still loads, unchecked
        Files.delete(ck.resolve(Checksums.FILE));
        assertEquals(2, Checkpoint.load(ck).step());
    }

    @Test
    void aStopRequestFinishesTheStepWritesACheckpointAndStops(@TempDir Path dir) {
        DpTrainSettings s = settings();
        AtomicInteger polls = new AtomicInteger();
        TrainingInterrupted e = assertThrows(TrainingInterrupted.class,
                () -> new Trainer(task(s), s.trainerSettings(), dir, null).stopWhen(() -> polls.incrementAndGet() >= 3).run(null));
        assertEquals(3, e.step());
        assertEquals(dir.resolve("checkpoints/step-0000003"), e.checkpoint());
        assertEquals(3, Checkpoint.load(e.checkpoint()).step());
        assertTrue(e.getMessage().endsWith("continue with --resume " + dir), e.getMessage());
    }

    @Test
    void pruningNeverRemovesTheCheckpointJustWritten(@TempDir Path dir) {
        DpTrainSettings s = settings();
        Trainer.Settings t = s.trainerSettings();
        Trainer.Settings keepOne = new Trainer.Settings(t.totalSteps(), t.warmupSteps(), t.lr(), t.adam(), t.ema(), t.valEvery(),
                t.checkpointEvery(), 1, t.seed());
        new Trainer(task(s), t, dir, null).run(null);                           // checkpoints at 3, 6, 8
        // resumed from step 3 and stopped at 4, with later checkpoints of the old timeline present: step 4 survives
        Trainer.Summary r = new Trainer(task(s), keepOne, dir, null).run(dir.resolve("checkpoints/step-0000003"), 4);
        assertEquals(dir.resolve("checkpoints/step-0000004"), r.lastCheckpoint());
        assertTrue(Files.isDirectory(r.lastCheckpoint()), r.lastCheckpoint() + " exists");
    }
}
