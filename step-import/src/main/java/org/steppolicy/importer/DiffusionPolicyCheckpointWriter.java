package org.steppolicy.importer;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.steppolicy.config.ConfigLoader;
import org.steppolicy.config.StepConfig;
import org.steppolicy.data.DatasetNormalizer;
import org.steppolicy.data.LinearNormalizer;
import org.steppolicy.models.Checkpoint;
import org.steppolicy.models.TensorStore;

/**
 * Writes a diffusion_policy workspace checkpoint ({@code latest.ckpt} layout: a STORED zip with
 * {@code archive/data.pkl}, one {@code archive/data/<i>} record per float32 tensor, {@code archive/version}) from a
 * cfg tree and state dicts in PyTorch layout. The cfg is pickled as OmegaConf DictConfig/ListConfig/AnyNode objects
 * with unresolved interpolations, like Hydra's. {@link #fromNative} turns a checkpoint trained here into one, which
 * is how the importer's round trip is tested; {@link Contents} is plain data so tests can damage it.
 */
public final class DiffusionPolicyCheckpointWriter {

    /** A float32 tensor in PyTorch layout. */
    public record Tensor(long[] shape, float[] data) {}

    /**
     * @param cfg plain nested maps, lists and values (strings may hold {@code ${...}} interpolations)
     * @param stateDicts section ("model", "ema_model", "optimizer") to key to tensor; the optimizer may be empty
     */
    public record Contents(Map<String, Object> cfg, Map<String, Map<String, Tensor>> stateDicts, int globalStep) {}

    /** The workspace cfg as diffusion_policy saves it, a resource beside this class; nulls stand for this checkpoint's values. */
    private static final String CFG_TEMPLATE = "lowdim-workspace-cfg.yaml";

    private DiffusionPolicyCheckpointWriter() {}

    /** The workspace checkpoint diffusion_policy would have saved for this native DP checkpoint (low-dim). */
    public static Contents fromNative(Path checkpointDir) {
        Checkpoint c = Checkpoint.load(checkpointDir);
        StepConfig conf = c.configYaml().isBlank() ? ConfigLoader.defaults(List.of())
                : ConfigLoader.fromResolvedYaml(c.configYaml(), checkpointDir.toString());
        var a = c.dpArch();
        // The template's nulls by key: the arch's shape and U-Net, the schedule length, the config's sampler, the task.
        Map<String, Object> values = new HashMap<>(a.toArch());
        values.put("num_train_timesteps", a.numTrainTimesteps());
        values.put("beta_schedule", conf.policy().betaSchedule());
        values.put("clip_sample", conf.policy().clipSample());
        values.put("prediction_type", conf.policy().predictionType());
        values.put("name", conf.task().name());
        Map<String, Object> cfg = fillNulls(readCfgTemplate(), values);

        DatasetNormalizer norm = DatasetNormalizer.fromJson(c.normalizerJson());
        Map<String, Map<String, Tensor>> dicts = new LinkedHashMap<>();
        dicts.put("model", policyStateDict(c.model(), norm));
        if (c.ema() != null) dicts.put("ema_model", policyStateDict(c.ema(), norm));
        dicts.put("optimizer", new LinkedHashMap<>());
        return new Contents(cfg, dicts, (int) c.step());
    }

    private static Map<String, Object> readCfgTemplate() {
        try (InputStream in = DiffusionPolicyCheckpointWriter.class.getResourceAsStream(CFG_TEMPLATE)) {
            if (in == null) throw new IllegalStateException(CFG_TEMPLATE + " is missing from the classpath");
            return new ObjectMapper(new YAMLFactory()).readValue(in, new TypeReference<LinkedHashMap<String, Object>>() {});
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + CFG_TEMPLATE + ": " + e.getMessage(), e);
        }
    }

    /** Fills every null in {@code tree}, at any depth, with the entry of the same key in {@code values}. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> fillNulls(Map<String, Object> tree, Map<String, Object> values) {
        for (Map.Entry<String, Object> e : tree.entrySet()) {
            if (e.getValue() instanceof Map<?, ?> m) {
                fillNulls((Map<String, Object>) m, values);
            } else if (e.getValue() == null) {
                if (!values.containsKey(e.getKey())) throw new IllegalStateException(CFG_TEMPLATE + " has no value for " + e.getKey());
                e.setValue(values.get(e.getKey()));
            }
        }
        return tree;
    }

    /** DiffusionUnetLowdimPolicy.state_dict(): {@code model.} + the U-Net in PyTorch layout, then the normaliser. */
    private static Map<String, Tensor> policyStateDict(TensorStore params, DatasetNormalizer norm) {
        Map<String, Tensor> d = new LinkedHashMap<>();
        d.put("_dummy_variable", new Tensor(new long[] {0}, new float[0]));
        for (String k : params.names()) {
            TensorStore.Tensor t = params.get(k);
            d.put("model." + k, new Tensor(TorchLayout.torchShape(t.shape()), TorchLayout.toTorch(t.data(), t.shape())));
        }
        d.put("mask_generator._dummy_variable", new Tensor(new long[] {0}, new float[0]));
        for (String f : List.of("obs", "action")) {
            LinearNormalizer n = f.equals("obs") ? norm.obs() : norm.action();
            String p = "normalizer.params_dict." + f + ".";
            long[] s = {n.dim()};
            d.put(p + "offset", new Tensor(s, n.offset()));
            d.put(p + "scale", new Tensor(s, n.scale()));
            d.put(p + "input_stats.max", new Tensor(s, n.inputMax()));
            d.put(p + "input_stats.min", new Tensor(s, n.inputMin()));
        }
        return d;
    }

    public static void write(Contents c, Path file) {
        List<byte[]> storages = new ArrayList<>();
        PickleWriter p = new PickleWriter().proto();
        p.emptyDict().mark();
        p.string("cfg");
        omegaconf(p, c.cfg(), null);
        p.string("state_dicts").emptyDict().mark();
        for (Map.Entry<String, Map<String, Tensor>> s : c.stateDicts().entrySet()) {
            p.string(s.getKey());
            if (s.getKey().equals("optimizer")) {   // an AdamW state without moments: nothing here reads it
                p.emptyDict().mark().string("state").emptyDict().string("param_groups").emptyList().setItems();
                continue;
            }
            p.emptyDict();
            if (!s.getValue().isEmpty()) {
                p.mark();
                for (Map.Entry<String, Tensor> t : s.getValue().entrySet()) tensor(p.string(t.getKey()), t.getValue(), storages);
                p.setItems();
            }
        }
        p.setItems();
        p.string("pickles").emptyDict().mark()
                .string("_output_dir").bytes(new byte[] {(byte) 0x80, 4, 'N', '.'})
                .string("global_step").bytes(PickleWriter.protocol4Int(c.globalStep()))
                .string("epoch").bytes(PickleWriter.protocol4Int(0))
                .setItems();
        p.setItems().stop();

        try (OutputStream os = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(os)) {
            stored(zip, "archive/data.pkl", p.toByteArray());
            for (int i = 0; i < storages.size(); i++) stored(zip, "archive/data/" + i, storages.get(i));
            stored(zip, "archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
            stored(zip, "archive/byteorder", "little".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** {@code _rebuild_tensor_v2(storage, 0, size, stride, False, OrderedDict())}, one storage per tensor. */
    private static void tensor(PickleWriter p, Tensor t, List<byte[]> storages) {
        String key = String.valueOf(storages.size());
        ByteBuffer b = ByteBuffer.allocate(4 * t.data().length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : t.data()) b.putFloat(f);
        storages.add(b.array());
        p.global("torch._utils", "_rebuild_tensor_v2").mark();
        p.mark().string("storage").global("torch", "FloatStorage").string(key).string("cpu").integer(t.data().length).tuple().binPersId();
        p.integer(0);
        p.mark();
        for (long d : t.shape()) p.integer(d);
        p.tuple().mark();
        long stride = 1;
        long[] strides = new long[t.shape().length];
        for (int k = strides.length - 1; k >= 0; k--) {
            strides[k] = stride;
            stride *= t.shape()[k];
        }
        for (long s : strides) p.integer(s);
        p.tuple().bool(false).global("collections", "OrderedDict").emptyTuple().reduce();
        p.tuple().reduce();
    }

    /** A plain value as the OmegaConf object Hydra pickles: containers with metadata, leaves as AnyNode. */
    private static void omegaconf(PickleWriter p, Object v, String key) {
        if (v instanceof Map<?, ?> m) {
            p.global("omegaconf.dictconfig", "DictConfig").emptyTuple().newObj();
            p.emptyDict().mark().string("_metadata");
            containerMetadata(p, key, "dict");
            p.string("_parent").none().string("_content").emptyDict();
            if (!m.isEmpty()) {
                p.mark();
                for (Map.Entry<?, ?> e : m.entrySet()) omegaconf(p.string(String.valueOf(e.getKey())), e.getValue(), String.valueOf(e.getKey()));
                p.setItems();
            }
            p.setItems().build();
        } else if (v instanceof List<?> l) {
            p.global("omegaconf.listconfig", "ListConfig").emptyTuple().newObj();
            p.emptyDict().mark().string("_metadata");
            containerMetadata(p, key, "list");
            p.string("_parent").none().string("_content").emptyList();
            if (!l.isEmpty()) {
                p.mark();
                for (Object o : l) omegaconf(p, o, null);
                p.appends();
            }
            p.setItems().build();
        } else {
            p.global("omegaconf.nodes", "AnyNode").emptyTuple().newObj();
            p.emptyDict().mark().string("_metadata");
            p.global("omegaconf.base", "Metadata").emptyTuple().newObj().emptyDict().mark()
                    .string("ref_type").global("typing", "Any").string("object_type").none().string("optional").bool(true)
                    .string("key");
            keyValue(p, key);
            p.string("flags").emptyDict().string("flags_root").bool(false).string("resolver_cache");
            defaultDict(p);
            p.setItems().build();
            p.string("_parent").none().string("_val");
            value(p, v);
            p.setItems().build();
        }
    }

    private static void containerMetadata(PickleWriter p, String key, String type) {
        p.global("omegaconf.base", "ContainerMetadata").emptyTuple().newObj().emptyDict().mark()
                .string("ref_type").global("typing", "Any")
                .string("object_type").global("dill._dill", "_load_type").mark().string(type).tuple().reduce()
                .string("optional").bool(true).string("key");
        keyValue(p, key);
        p.string("flags").emptyDict().string("flags_root").bool(false).string("resolver_cache");
        defaultDict(p);
        p.string("key_type").global("typing", "Any").string("element_type").global("typing", "Any");
        p.setItems().build();
    }

    private static void defaultDict(PickleWriter p) {
        p.global("collections", "defaultdict").mark().global("dill._dill", "_load_type").mark().string("dict").tuple().reduce().tuple().reduce();
    }

    private static void keyValue(PickleWriter p, String key) {
        if (key == null) p.none();
        else p.string(key);
    }

    private static void value(PickleWriter p, Object v) {
        if (v == null) p.none();
        else if (v instanceof Boolean b) p.bool(b);
        else if (v instanceof Integer || v instanceof Long) p.integer(((Number) v).longValue());
        else if (v instanceof Number n) p.floating(n.doubleValue());
        else p.string(String.valueOf(v));
    }

    private static void stored(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(data.length);
        e.setCompressedSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        e.setCrc(crc.getValue());
        zip.putNextEntry(e);
        zip.write(data);
        zip.closeEntry();
    }
}
