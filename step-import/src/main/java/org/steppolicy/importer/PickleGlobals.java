package org.steppolicy.importer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.razorvine.pickle.IObjectConstructor;
import org.steppolicy.config.UserError;

/**
 * The allow-list of Python globals a checkpoint pickle may name, each mapped to a plain Java stand-in. A pickle can
 * only call what its GLOBAL opcodes name, so resolving nothing else means unpickling runs no code: any other name
 * refuses the whole file. The list is what real diffusion_policy checkpoints use (torch tensor rebuilding and
 * storage types, OmegaConf containers and nodes, dill's builtin-type loader, collections, {@code _codecs.encode},
 * {@code typing.Any}); docs/import.md lists it.
 */
final class PickleGlobals {

    private PickleGlobals() {}

    /** A Python type or marker that may be referenced as a value but never called. */
    record Marker(String name) implements IObjectConstructor {
        @Override
        public Object construct(Object[] args) {
            throw new UserError("refused: the pickle calls " + name + ", which a checkpoint never does");
        }
    }

    /** A builtin type (dict, list, int ...) named through {@code builtins} or dill's {@code _load_type}. */
    private static final Set<String> BUILTIN_TYPES = Set.of("dict", "list", "tuple", "set", "frozenset", "int", "float",
            "str", "bool", "bytes", "NoneType");

    private static final Map<String, OmegaNode.Kind> OMEGACONF = Map.ofEntries(
            Map.entry("omegaconf.dictconfig.DictConfig", OmegaNode.Kind.DICT),
            Map.entry("omegaconf.listconfig.ListConfig", OmegaNode.Kind.LIST),
            Map.entry("omegaconf.nodes.AnyNode", OmegaNode.Kind.VALUE),
            Map.entry("omegaconf.nodes.StringNode", OmegaNode.Kind.VALUE),
            Map.entry("omegaconf.nodes.IntegerNode", OmegaNode.Kind.VALUE),
            Map.entry("omegaconf.nodes.FloatNode", OmegaNode.Kind.VALUE),
            Map.entry("omegaconf.nodes.BooleanNode", OmegaNode.Kind.VALUE),
            Map.entry("omegaconf.nodes.BytesNode", OmegaNode.Kind.VALUE),
            Map.entry("omegaconf.nodes.PathNode", OmegaNode.Kind.VALUE),
            Map.entry("omegaconf.base.Metadata", OmegaNode.Kind.METADATA),
            Map.entry("omegaconf.base.ContainerMetadata", OmegaNode.Kind.METADATA));

    /** Every allowed name, for docs and messages. */
    static List<String> allowed() {
        List<String> out = new ArrayList<>(List.of("torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_tensor",
                "torch._utils._rebuild_parameter", "torch.<Float|Double|Half|BFloat16|Long|Int|Short|Char|Byte|Bool>Storage",
                "collections.OrderedDict", "collections.defaultdict", "dill._dill._load_type", "builtins.<builtin type>",
                "_codecs.encode", "typing.Any"));
        out.addAll(OMEGACONF.keySet().stream().sorted().toList());
        return out;
    }

    /** The stand-in for {@code module.name}, or a refusal naming it. */
    static IObjectConstructor resolve(String module, String name) {
        String full = module + "." + name;
        OmegaNode.Kind omega = OMEGACONF.get(full);
        if (omega != null) return args -> new OmegaNode(omega, name);
        if (module.equals("torch")) {
            Dtype d = Dtype.ofTorchStorage(name);
            if (d != null) return new StorageType(d, full);
        }
        if ((module.equals("builtins") || module.equals("__builtin__")) && BUILTIN_TYPES.contains(name)) return builtinType(name);
        return switch (full) {
            case "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_tensor" -> PickleGlobals::rebuildTensor;
            case "torch._utils._rebuild_parameter" -> args -> {
                if (args.length < 1 || !(args[0] instanceof TorchTensor t)) throw malformed(full);
                return t;   // requires_grad and hooks do not matter here
            };
            case "collections.OrderedDict" -> PickleGlobals::orderedDict;
            case "collections.defaultdict" -> args -> new LinkedHashMap<>();   // the default factory is never called
            case "dill._dill._load_type" -> args -> {
                if (args.length != 1 || !(args[0] instanceof String t) || !BUILTIN_TYPES.contains(t))
                    throw refused("dill._dill._load_type(" + (args.length == 1 && args[0] instanceof String n ? n : "...") + ")");
                return builtinType(t);
            };
            case "_codecs.encode" -> PickleGlobals::codecsEncode;
            case "typing.Any" -> new Marker(full);
            default -> throw refused(full);
        };
    }

    static UserError refused(String what) {
        // the name is the pickle's to choose, however long; a message quotes enough of it to recognise
        if (what.length() > 100) what = what.substring(0, 100) + "...";
        return new UserError("refused to unpickle: it names the global " + what
                + ", which is not on the allow-list of checkpoint globals (docs/import.md)");
    }

    private static UserError malformed(String what) {
        return new UserError("malformed pickle: unexpected arguments to " + what);
    }

    /** A torch storage class: only ever a value inside a persistent id, never called. */
    record StorageType(Dtype dtype, String name) implements IObjectConstructor {
        @Override
        public Object construct(Object[] args) {
            throw new UserError("refused: the pickle calls " + name + ", which a checkpoint never does");
        }
    }

    /** dict/list called with no arguments make empty containers (protocol-2 copies of them); other calls refuse. */
    private static IObjectConstructor builtinType(String name) {
        return args -> {
            if (args.length == 0 && name.equals("dict")) return new LinkedHashMap<>();
            if (args.length == 0 && name.equals("list")) return new ArrayList<>();
            throw new UserError("refused: the pickle calls builtins." + name + " with arguments, which a checkpoint never does");
        };
    }

    /** (storage, storage_offset, size, stride, requires_grad?, backward_hooks?, metadata?). */
    private static Object rebuildTensor(Object[] args) {
        if (args.length < 4 || !(args[0] instanceof TorchTensor.Storage s) || !(args[1] instanceof Number off)
                || !(args[2] instanceof Object[] size) || !(args[3] instanceof Object[] stride) || size.length != stride.length)
            throw malformed("torch._utils._rebuild_tensor_v2");
        if (size.length > 64) throw new UserError("malformed checkpoint: a tensor of " + size.length + " dimensions");
        long[] shape = longs(size), strides = longs(stride);
        TorchTensor t = new TorchTensor(s, off.longValue(), shape, strides);
        // The view must stay inside its storage, so reading it later cannot run past the record.
        long last = t.offset();
        try {
            for (int k = 0; k < shape.length; k++) {
                if (shape[k] < 0 || strides[k] < 0) throw malformed("torch._utils._rebuild_tensor_v2");
                if (shape[k] > 0) last = Math.addExact(last, Math.multiplyExact(shape[k] - 1, strides[k]));
            }
            t.numel();
        } catch (ArithmeticException e) {   // a crafted shape or stride whose extent overflows a long
            throw new UserError("malformed checkpoint: a tensor of shape " + java.util.Arrays.toString(shape) + " overflows");
        }
        if (t.numel() > 0 && (t.offset() < 0 || last >= s.numel()))
            throw new UserError("malformed checkpoint: a tensor of shape " + java.util.Arrays.toString(shape)
                    + " reaches past its storage " + s.key() + " (" + s.numel() + " elements)");
        return t;
    }

    private static long[] longs(Object[] values) {
        long[] out = new long[values.length];
        for (int i = 0; i < out.length; i++) {
            if (!(values[i] instanceof Number n)) throw malformed("torch._utils._rebuild_tensor_v2");
            out[i] = n.longValue();
        }
        return out;
    }

    private static Object orderedDict(Object[] args) {
        Map<Object, Object> m = new LinkedHashMap<>();
        if (args.length == 1 && args[0] instanceof List<?> pairs) {
            for (Object p : pairs) {
                if (p instanceof Object[] kv && kv.length == 2) m.put(PickleBudget.hashable(kv[0]), kv[1]);
                else if (p instanceof List<?> kv && kv.size() == 2) m.put(PickleBudget.hashable(kv.get(0)), kv.get(1));
                else throw malformed("collections.OrderedDict");
            }
        } else if (args.length != 0) {
            throw malformed("collections.OrderedDict");
        }
        return m;
    }

    /** Protocol 2 stores bytes as {@code _codecs.encode(str, 'latin1')}: each char is one byte. */
    private static Object codecsEncode(Object[] args) {
        if (args.length != 2 || !(args[0] instanceof String s) || !(args[1] instanceof String enc)
                || !(enc.equalsIgnoreCase("latin1") || enc.equalsIgnoreCase("latin-1")))
            throw malformed("_codecs.encode");
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
