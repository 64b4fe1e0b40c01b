package org.steppolicy.models;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.nio.file.NoSuchFileException;
import org.steppolicy.config.UserError;
import org.steppolicy.run.Checksums;
import org.steppolicy.run.FolderFile;

/**
 * One training checkpoint, read side (docs/checkpoint-format.md): a directory holding {@code model.tensors} (raw parameters),
 * {@code ema.tensors} (EMA parameters, absent when EMA is off), {@code optimizer.bin} (AdamW state; read by the
 * trainer only), {@code normalizer.json}, {@code config.yaml} (resolved config) and {@code meta.json}
 * ({"kind":"dp"|"predictor","step":N,"val_loss":x,"arch":{...}}). Checkpoints of a run live in
 * {@code <run>/checkpoints/step-NNNNNNN}; step-train writes them, with {@code data.json} (the data trained on) and
 * {@code checksums.sha256} (SHA-256 of every file, verified on load).
 *
 * @param ema null when the run kept no EMA
 * @param valLoss NaN when no validation loss was measured
 */
public record Checkpoint(Path dir, String kind, long step, double valLoss, Map<String, Object> arch,
                         String configYaml, String normalizerJson, TensorStore model, TensorStore ema) {

    public static final String MODEL = "model.tensors";
    public static final String EMA = "ema.tensors";
    public static final String OPTIMIZER = "optimizer.bin";
    public static final String NORMALIZER = "normalizer.json";
    public static final String CONFIG = "config.yaml";
    public static final String META = "meta.json";
    /** The data the run trained on (step-data's DataFingerprint); absent in older checkpoints. */
    public static final String DATA = "data.json";
    /** A cvae-source BRIDGeR checkpoint's CVAE decoder weights (docs/bridger.md); absent otherwise. */
    public static final String SOURCE_TENSORS = "source.tensors";
    /** Sub-directory of a run directory that holds its checkpoints. */
    public static final String RUN_SUBDIR = "checkpoints";
    public static final String KIND_DP = "dp";
    public static final String KIND_PREDICTOR = "predictor";
    public static final String KIND_BRIDGER = "bridger";
    /** The CVAE source policy train-bridger trains first when bridger.source = cvae (RUN/source/). */
    public static final String KIND_CVAE = "cvae";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The parameters evaluation uses: EMA when present (docs/reference/diffusion-policy.md §B.4), else the raw ones. */
    public TensorStore evalParams() {
        return ema != null ? ema : model;
    }

    /** The DP architecture recorded by train-dp or import (meta.json arch; kind "dp"). */
    public DpArch dpArch() {
        requireKind(KIND_DP);
        try {
            return DpArch.fromArch(arch);
        } catch (IllegalArgumentException | ClassCastException e) {
            throw new UserError("checkpoint " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The DP U-Net architecture (kind "dp"). */
    public UnetConfig unetConfig() {
        return dpArch().unet();
    }

    /** The predictor architecture recorded by train-predictor (kind "predictor"). */
    public PredictorArch predictorArch() {
        requireKind(KIND_PREDICTOR);
        try {
            return PredictorArch.fromArch(arch);
        } catch (IllegalArgumentException | ClassCastException e) {
            throw new UserError("checkpoint " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * The tensors of an optional extra file of this checkpoint ({@link #SOURCE_TENSORS}), checked against its
     * checksums first; a UserError naming the file when it is missing.
     */
    public TensorStore extraTensors(String name) {
        String what = "checkpoint " + dir;
        Checksums.read(dir, what).verify(dir, name, what);
        try {
            Path f = FolderFile.regular(dir, name, Long.MAX_VALUE, true, what);
            if (f == null) throw new UserError(what + ": " + name + " is missing");
            return TensorStore.load(f);
        } catch (IOException e) {
            throw new UserError("cannot read " + what + ": " + oneLine(e.getMessage()), e);
        }
    }

    /** The BRIDGeR architecture recorded by train-bridger (kind "bridger"). */
    public BridgerArch bridgerArch() {
        requireKind(KIND_BRIDGER);
        try {
            return BridgerArch.fromArch(arch);
        } catch (IllegalArgumentException | ClassCastException e) {
            throw new UserError("checkpoint " + dir + ": " + e.getMessage(), e);
        }
    }

    public PredictorNetConfig predictorConfig() {
        return predictorArch().net();
    }

    /**
     * The image observation layout of a visuomotor checkpoint (meta.json arch "image"), null for a low-dim one. For
     * a DP, {@code global_cond_dim} is then the encoder's output and {@code obs_dim} the flat step (low-dim + pixels).
     */
    public ImageObsSpec imageSpec() {
        return ImageObsSpec.fromArch(arch.get("image"));
    }



    private void requireKind(String k) {
        if (!k.equals(kind)) throw new UserError("checkpoint " + dir + " is a " + kind + " checkpoint, expected " + k);
    }

    /**
     * Loads a checkpoint directory, or the latest checkpoint of a run directory. The files it reads are checked
     * against the checkpoint's {@value Checksums#FILE} (when it has one: older checkpoints load unchecked).
     */
    public static Checkpoint load(Path dirOrRun) {
        Path dir = resolve(dirOrRun);
        String what = "checkpoint " + dir;
        Checksums sums = Checksums.read(dir, what);
        for (String f : List.of(META, MODEL, EMA, CONFIG, NORMALIZER, DATA)) sums.verify(dir, f, what);
        Meta meta = readMeta(dir);
        try {
            // Each file is a regular file of the folder (no link out) and its size bounded before it is read.
            TensorStore model = TensorStore.load(FolderFile.regular(dir, MODEL, Long.MAX_VALUE, false, what));
            Path emaFile = FolderFile.regular(dir, EMA, Long.MAX_VALUE, true, what);
            TensorStore ema = emaFile == null ? null : TensorStore.load(emaFile);
            String config = FolderFile.regular(dir, CONFIG, FolderFile.MAX_TEXT_BYTES, true, what) == null ? ""
                    : new String(FolderFile.read(dir, CONFIG, FolderFile.MAX_TEXT_BYTES, what), StandardCharsets.UTF_8);
            String normalizer = new String(FolderFile.read(dir, NORMALIZER, FolderFile.MAX_TEXT_BYTES, what), StandardCharsets.UTF_8);
            requireNormalizer(normalizer, dir);
            Checkpoint c = new Checkpoint(dir, meta.kind(), meta.step(), meta.valLoss(), meta.arch(), config, normalizer, model, ema);
            if (KIND_DP.equals(meta.kind())) c.dpArch();   // meta.json's sizes checked on load, before anyone allocates by them
            return c;
        } catch (NoSuchFileException e) {
            throw new UserError(what + ": " + dir.relativize(Path.of(e.getFile())) + " is missing", e);
        } catch (IOException e) {
            throw new UserError("cannot read " + what + ": " + oneLine(e.getMessage()), e);
        }
    }

    /** A normaliser file that does not parse is refused here; its fields are checked where they are read. */
    private static void requireNormalizer(String json, Path dir) {
        try {
            var n = JSON.readTree(json);
            if (n == null || !n.isObject()) throw new UserError("checkpoint " + dir + ": " + NORMALIZER + " is not a JSON object");
            // Its modes too: a file whose checksum agrees may still be an old or re-hashed one. (The arrays are
            // checked where they are read, against the policy's dims; older files lack some of them.)
            for (String part : List.of("obs", "action")) {
                var mode = n.path(part).path("mode");
                if (!mode.isMissingNode() && !org.steppolicy.data.LinearNormalizer.MODES.contains(mode.asText())
                        && !org.steppolicy.data.LinearNormalizer.AFFINE.equals(mode.asText()))
                    throw new UserError("checkpoint " + dir + ": " + NORMALIZER + ": unknown " + part + " mode '" + clip(mode.asText())
                            + "' (modes: " + String.join(", ", org.steppolicy.data.LinearNormalizer.MODES) + ", "
                            + org.steppolicy.data.LinearNormalizer.AFFINE + ")");
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UserError("checkpoint " + dir + ": " + NORMALIZER + " is not valid JSON" + at(e) + ": " + oneLine(e.getOriginalMessage()), e);
        }
    }

    private static String at(com.fasterxml.jackson.core.JsonProcessingException e) {
        return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
    }

    private static String clip(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }

    private static String oneLine(String s) {
        return String.valueOf(s).replaceAll("\\s+", " ").trim();
    }

    /**
     * meta.json only (cheap): kind, step, val_loss, arch, and for a checkpoint imported from another framework its
     * {@code source} (file, SHA-256, format, upstream keys; null for one trained here).
     */
    public record Meta(String kind, long step, double valLoss, Map<String, Object> arch, Map<String, Object> source) {
        public Meta(String kind, long step, double valLoss, Map<String, Object> arch) {
            this(kind, step, valLoss, arch, null);
        }

        public String toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("kind", kind);
            m.put("step", step);
            m.put("val_loss", Double.isNaN(valLoss) ? null : valLoss);
            m.put("arch", arch);
            if (source != null) m.put("source", source);
            try {
                return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(m);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    public static Meta readMeta(Path dir) {
        Path file = dir.resolve(META);
        if (!Files.isRegularFile(file)) throw new UserError("not a checkpoint (no " + META + "): " + dir);
        FolderFile.regular(dir, META, FolderFile.MAX_TEXT_BYTES, false, "checkpoint " + dir);
        try {
            Map<String, Object> m = JSON.readValue(file.toFile(), new TypeReference<LinkedHashMap<String, Object>>() {});
            Object kind = m.get("kind"), step = m.get("step"), val = m.get("val_loss"), arch = m.get("arch"), source = m.get("source");
            if (!(kind instanceof String) || !(step instanceof Number) || !(arch instanceof Map))
                throw new UserError("checkpoint " + file + ": meta.json lacks kind, step or arch");
            @SuppressWarnings("unchecked")
            Map<String, Object> archMap = (Map<String, Object>) arch;
            @SuppressWarnings("unchecked")
            Map<String, Object> sourceMap = source instanceof Map ? (Map<String, Object>) source : null;
            return new Meta((String) kind, ((Number) step).longValue(),
                    val instanceof Number n ? n.doubleValue() : Double.NaN, archMap, sourceMap);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UserError(file + " is not valid JSON" + at(e) + ": " + oneLine(e.getOriginalMessage()), e);
        } catch (IOException e) {
            throw new UserError("cannot read " + file + ": " + oneLine(e.getMessage()), e);
        }
    }

    /** A checkpoint directory as given, or the latest (highest step) checkpoint inside a run directory. */
    public static Path resolve(Path dirOrRun) {
        if (Files.isRegularFile(dirOrRun.resolve(META))) return dirOrRun;
        List<Path> all = list(dirOrRun);
        if (all.isEmpty()) throw new UserError("no checkpoint in " + dirOrRun);
        return all.get(all.size() - 1);
    }

    /** The checkpoint with the lowest validation loss in a run directory (the latest when none has one). */
    public static Path best(Path runDir) {
        Path best = null;
        double bestLoss = Double.POSITIVE_INFINITY;
        List<Path> all = list(runDir);
        for (Path p : all) {
            double v = readMeta(p).valLoss();
            if (v < bestLoss) { bestLoss = v; best = p; }
        }
        if (best != null) return best;
        if (all.isEmpty()) throw new UserError("no checkpoint in " + runDir);
        return all.get(all.size() - 1);
    }

    /** The complete checkpoints of a run directory (its {@code checkpoints/} folder, or the folder itself), by step. */
    public static List<Path> list(Path runDir) {
        Path root = Files.isDirectory(runDir.resolve(RUN_SUBDIR)) ? runDir.resolve(RUN_SUBDIR) : runDir;
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(root)) return out;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root, "step-*")) {
            for (Path p : ds)
                if (Files.isRegularFile(p.resolve(META)) && !p.getFileName().toString().endsWith(".tmp")) out.add(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.sort((a, b) -> Long.compare(readMeta(a).step(), readMeta(b).step()));
        return out;
    }

    /** The directory name of the checkpoint at {@code step}. */
    public static String dirName(long step) {
        return String.format("step-%07d", step);
    }
}
