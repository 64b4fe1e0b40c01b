package org.steppolicy.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steppolicy.models.Checkpoint;
import org.steppolicy.models.TensorStore;

class DpTrainerTest {
    private static final int T = 8, Do = 3, Da = 2;

    private static DpTrainSettings settings(boolean globalCond, List<Integer> dims) {
        return DpTrainSettings.pushT().withObsAsGlobalCond(globalCond).withNet(dims, 16)
                .withSchedule(16, 8, 2, 2, 3).withHorizon(T, 2, 4);
    }

    private static DpTask task(DpTrainSettings s) {
        WindowSource train = ToyNets.randomWindows(40, T, Do, Da, 1);
        WindowSource valid = ToyNets.randomWindows(10, T, Do, Da, 2);
        int dim = s.obsAsGlobalCond() ? Da : Da + Do;
        int cond = s.obsAsGlobalCond() ? s.nObsSteps() * Do : 0;
        return new DpTask(s, train, valid, "{\"toy\":true}", ToyNets.denoiser(T, dim, cond, 12, 7));
    }

    @Test
    void interruptedAndResumedRunEqualsUninterruptedOne(@TempDir Path dir) throws Exception {
        DpTrainSettings s = settings(true, List.of(8, 16));
        Trainer.Summary full = new Trainer(task(s), s.trainerSettings(), dir.resolve("full"), null).run(null);
        assertEquals(8, full.lastStep());

        Path split = dir.resolve("split");
        Trainer.Summary first = new Trainer(task(s), s.trainerSettings(), split, null).run(null, 5);
        assertEquals(5, first.lastStep());
        Trainer.Summary second = new Trainer(task(s), s.trainerSettings(), split, null).run(split);
        assertEquals(5, second.firstStep());
        assertEquals(8, second.lastStep());

        Checkpoint a = Checkpoint.load(full.lastCheckpoint()), b = Checkpoint.load(second.lastCheckpoint());
        assertEquals(8, a.step());
        assertSame(a.model(), b.model());
        assertSame(a.ema(), b.ema());
        assertSame(TensorStore.load(a.dir().resolve(Checkpoint.OPTIMIZER)), TensorStore.load(b.dir().resolve(Checkpoint.OPTIMIZER)));
        // the resumed run's CSV reads as one run: steps 1..8 once each
        List<String> csv = Files.readAllLines(split.resolve(Trainer.METRICS));
        assertEquals(MetricsLog.HEADER, csv.get(0));
        assertEquals(9, csv.size());
        for (int i = 1; i <= 8; i++) assertTrue(csv.get(i).startsWith(i + ","), csv.get(i));
        assertTrue(Files.size(split.resolve(Trainer.PLOT)) > 1000, "loss plot written");
        assertTrue(Files.readString(split.resolve(Trainer.CONFIG)).contains("down_dims"));
        // the EMA differs from the raw weights after a few steps (it is really averaged)
        float[] raw = a.model().get("l1.weight").data(), avg = a.ema().get("l1.weight").data();
        assertTrue(!java.util.Arrays.equals(raw, avg));
    }

    @Test
    void keepsLastKAndTheBestCheckpoint(@TempDir Path dir) {
        DpTrainSettings s = settings(true, List.of(8, 16)).withSchedule(16, 12, 2, 1, 1);
        Trainer.Summary sum = new Trainer(task(s), new Trainer.Settings(12, 2, 1e-3, new AdamW.Settings(0.95, 0.999, 1e-8, 1e-6),
                EmaModel.Settings.diffusionPolicy(), 1, 1, 2, 42), dir, null).run(null);
        List<Path> left = Checkpoint.list(dir);
        assertTrue(left.size() == 2 || left.size() == 3, "last 2 plus possibly the best: " + left);
        assertEquals(12, Checkpoint.readMeta(left.get(left.size() - 1)).step());
        double bestSeen = sum.rows().stream().mapToDouble(MetricsLog.Row::valLoss).min().orElseThrow();
        assertEquals(bestSeen, Checkpoint.readMeta(Checkpoint.best(dir)).valLoss(), 1e-6 * bestSeen);
        assertTrue(left.stream().noneMatch(p -> p.getFileName().toString().endsWith(".tmp")));
    }

    @Test
    void inpaintingTrainsAndLowersTheLoss(@TempDir Path dir) {
        DpTrainSettings s = settings(false, List.of(8, 16)).withSchedule(40, 60, 5, 30, 60);
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        Trainer.Summary sum = new Trainer(task(s), new Trainer.Settings(60, 5, 3e-3, new AdamW.Settings(0.95, 0.999, 1e-8, 1e-6),
                null, 30, 60, 1, 42), dir, new PrintStream(progress)).run(null);
        assertTrue(sum.meanLoss(10, true) < sum.meanLoss(10, false), "loss falls: " + sum.meanLoss(10, false) + " -> " + sum.meanLoss(10, true));
        Checkpoint c = Checkpoint.load(dir);
        assertEquals(null, c.ema(), "EMA off: no ema.tensors");
        assertEquals(0, c.unetConfig().globalCondDim());
        assertEquals(Da + Do, c.unetConfig().inputDim());
        org.steppolicy.models.UnetConfig u = c.unetConfig();
        assertEquals(Da + Do, u.inputDim());
        assertTrue(u.inpainting());
        assertEquals(List.of(8, 16), u.downDims());
        assertEquals(T, c.dpArch().horizon());
        String bar = progress.toString();
        assertTrue(bar.contains("\r") && bar.contains("step 60/60") && bar.contains("ETA"), bar);
    }

    @Test
    void resumingADifferentArchitectureFailsWithOneLine(@TempDir Path dir) {
        DpTrainSettings s = settings(true, List.of(8, 16));
        new Trainer(task(s), s.trainerSettings(), dir, null).run(null, 3);
        DpTrainSettings other = settings(true, List.of(8, 32));
        org.steppolicy.config.UserError e = assertThrows(org.steppolicy.config.UserError.class,
                () -> new Trainer(task(other), other.trainerSettings(), dir, null).run(dir));
        assertTrue(e.getMessage().contains("architecture differs (down_dims[1]: 16 in checkpoint, 32 in config)"), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"));
    }

    private static void assertSame(TensorStore x, TensorStore y) {
        assertNotNull(x);
        assertEquals(x.names(), y.names());
        for (String n : x.names()) assertArrayEquals(x.get(n).data(), y.get(n).data(), 0f, n);
    }
}
