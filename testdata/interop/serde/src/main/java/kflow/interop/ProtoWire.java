package kflow.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.util.JsonFormat;
import com.squareup.wire.schema.internal.parser.ProtoFileElement;
import com.squareup.wire.schema.internal.parser.ProtoParser;
import io.apicurio.registry.utils.protobuf.schema.FileDescriptorUtils;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Protobuf in the Confluent wire format: magic byte 0, the 4-byte schema id, the message
 * indexes (a zig-zag varint count, then each index; the first message is the single byte 0),
 * then the message. Apicurio 2.4.2's ProtobufKafkaSerializer writes a delimited
 * io.apicurio...Ref (the message's name) where Confluent has the indexes, so the framing is
 * written here; the .proto text (with its references, fetched from the registry) is compiled by
 * Apicurio's FileDescriptorUtils (square wire's parser) and the body is protobuf-java's.
 */
final class ProtoWire {
  private ProtoWire() {}

  /** A compiled registry schema. */
  record Schema(FileDescriptor file) {}

  /**
   * Compiles v (a ccompat schema answer: schema, references) with its references, fetched
   * recursively, and the well-known types (Apicurio's FileDescriptorUtils.toDescriptor links only
   * the dependencies it is given, so google/protobuf/*.proto are added from protobuf-java).
   */
  static Schema load(Serde.Registry registry, JsonNode v) throws Exception {
    Map<String, ProtoFileElement> deps = new HashMap<>();
    for (FileDescriptor wk : FileDescriptorUtils.baseDependencies()) {
      deps.put(wk.getName(), FileDescriptorUtils.fileDescriptorToProtoFile(wk.toProto()));
    }
    addReferences(registry, v, deps);
    ProtoFileElement file = parse(v);
    Descriptor first = FileDescriptorUtils.toDescriptor(FileDescriptorUtils.firstMessage(file).getName(), file, deps);
    return new Schema(first.getFile());
  }

  private static void addReferences(Serde.Registry registry, JsonNode v, Map<String, ProtoFileElement> deps)
      throws Exception {
    for (JsonNode ref : v.path("references")) {
      JsonNode rv = registry.version(ref.path("subject").asText(), ref.path("version").asText());
      deps.put(ref.path("name").asText(), parse(rv));
      addReferences(registry, rv, deps);
    }
  }

  private static ProtoFileElement parse(JsonNode v) {
    return ProtoParser.Companion.parse(FileDescriptorUtils.DEFAULT_LOCATION, v.path("schema").asText());
  }

  /**
   * The wire format of value (protobuf JSON) as the message named message (full name; null: the
   * file's first), under schema id.
   */
  static byte[] encode(int id, Schema s, String message, JsonNode value) throws IOException {
    List<Integer> path = new ArrayList<>();
    Descriptor d;
    if (message == null) {
      d = s.file().getMessageTypes().get(0);
      path.add(0);
    } else {
      d = find(s.file().getMessageTypes(), message, path);
      if (d == null) {
        throw new IllegalArgumentException("no message " + message + " in " + s.file().getName());
      }
    }
    DynamicMessage.Builder b = DynamicMessage.newBuilder(d);
    JsonFormat.parser().merge(Serde.MAPPER.writeValueAsString(value), b);
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    bos.write(0);
    bos.write(id >>> 24);
    bos.write(id >>> 16);
    bos.write(id >>> 8);
    bos.write(id);
    CodedOutputStream cos = CodedOutputStream.newInstance(bos);
    if (path.equals(List.of(0))) {
      cos.writeSInt32NoTag(0); // indexes [0]: Confluent's one-byte shorthand
    } else {
      cos.writeSInt32NoTag(path.size());
      for (int i : path) {
        cos.writeSInt32NoTag(i);
      }
    }
    b.build().writeTo(cos);
    cos.flush();
    return bos.toByteArray();
  }

  /** The message named full among ds and their nested messages; path gets its indexes. */
  private static Descriptor find(List<Descriptor> ds, String full, List<Integer> path) {
    for (int i = 0; i < ds.size(); i++) {
      Descriptor d = ds.get(i);
      path.add(i);
      if (d.getFullName().equals(full)) {
        return d;
      }
      Descriptor n = find(d.getNestedTypes(), full, path);
      if (n != null) {
        return n;
      }
      path.remove(path.size() - 1);
    }
    return null;
  }

  /** The protobuf JSON of a wire-format value. */
  static String decode(Schema s, byte[] v) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(v, 5, v.length - 5);
    int n = in.readSInt32();
    List<Integer> path = new ArrayList<>();
    if (n == 0) {
      path.add(0);
    } else {
      for (int i = 0; i < n; i++) {
        path.add(in.readSInt32());
      }
    }
    Descriptor d = s.file().getMessageTypes().get(path.get(0));
    for (int i = 1; i < path.size(); i++) {
      d = d.getNestedTypes().get(path.get(i));
    }
    DynamicMessage m = DynamicMessage.parseFrom(d, in);
    return JsonFormat.printer().omittingInsignificantWhitespace().print(m);
  }
}
