package kflow.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.apicurio.registry.serde.SerdeConfig;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import io.apicurio.registry.serde.jsonschema.JsonSchemaKafkaDeserializer;
import io.apicurio.registry.serde.jsonschema.JsonSchemaKafkaSerializer;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import org.apache.avro.Schema;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The independent side of kflow's schema interop tests: a Kafka producer and consumer whose
 * values go through Apicurio Registry's own Kafka serdes (Avro, JSON Schema) in their
 * Confluent-compatible mode (magic byte 0, the 4-byte content id the ccompat API returns), and
 * through protobuf-java for Protobuf (Apicurio 2.4.2's Protobuf serde writes its own type
 * reference instead of Confluent's message indexes, so the framing is written here).
 *
 * <p>Environment: KFLOW_TEST_BROKERS (bootstrap servers) and KFLOW_TEST_REGISTRY (the Confluent
 * API, http://HOST:PORT/apis/ccompat/v7; Apicurio's own API is /apis/registry/v2 of the same
 * server).
 *
 * <pre>
 * produce TOPIC TYPE SUBJECT[:VERSION] FILE.jsonl [TOPIC TYPE SUBJECT[:VERSION] FILE.jsonl ...]
 *     TYPE is avro, protobuf, protobuf:FULL.MESSAGE.NAME (default: the file's first) or json;
 *     each line of FILE is one value in "natural JSON"
 *     (README.md); prints nothing on success.
 * consume [--envelope] TOPIC N [TOPIC N ...]
 *     reads N values of each TOPIC (all its partitions) from its start and prints each decoded
 *     value as one JSON line (with --envelope: one kflow tail --json shaped line per record);
 *     says on stderr how long the consume loop took, without the JVM's start.
 * </pre>
 */
public final class Serde {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private Serde() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      usage();
    }
    // Kafka's clients log through slf4j -> jboss-logging -> java.util.logging; only errors count.
    java.util.logging.LogManager.getLogManager().reset();
    String brokers = env("KFLOW_TEST_BROKERS");
    Registry registry = new Registry(env("KFLOW_TEST_REGISTRY"));
    switch (args[0]) {
      case "produce" -> produce(brokers, registry, args);
      case "consume" -> consume(brokers, registry, args);
      default -> usage();
    }
  }

  private static void usage() {
    System.err.println(
        "usage: produce TOPIC TYPE SUBJECT[:VERSION] FILE.jsonl [...] | consume [--envelope] TOPIC N [...]");
    System.exit(2);
  }

  private static String env(String name) {
    String v = System.getenv(name);
    if (v == null || v.isEmpty()) {
      System.err.println(name + " is not set");
      System.exit(2);
    }
    return v;
  }

  /** The Apicurio serde settings for the Confluent wire format, shared by every serde here. */
  static Map<String, Object> apicurioConfig(Registry registry) {
    Map<String, Object> c = new HashMap<>();
    c.put(SerdeConfig.REGISTRY_URL, registry.apicurioURL);
    // A 4-byte id after the magic byte (Legacy4ByteIdHandler), as Confluent writes it ...
    c.put(SerdeConfig.ENABLE_CONFLUENT_ID_HANDLER, true);
    // ... and that id is the content id, the one Apicurio's ccompat API hands out.
    c.put(SerdeConfig.USE_ID, "contentId");
    // Everything in the value bytes, nothing in Kafka headers.
    c.put(SerdeConfig.ENABLE_HEADERS, false);
    c.put(SerdeConfig.AUTO_REGISTER_ARTIFACT, false);
    return c;
  }

  // ---------------------------------------------------------------- produce

  private static void produce(String brokers, Registry registry, String[] args) throws Exception {
    if (args.length < 5 || (args.length - 1) % 4 != 0) {
      usage();
    }
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      List<Future<RecordMetadata>> sent = new ArrayList<>();
      for (int i = 1; i < args.length; i += 4) {
        String topic = args[i];
        String type = args[i + 1];
        String subject = args[i + 2];
        String version = "latest";
        int colon = subject.lastIndexOf(':');
        if (colon > 0) {
          version = subject.substring(colon + 1);
          subject = subject.substring(0, colon);
        }
        List<String> lines = Files.readAllLines(Path.of(args[i + 3]), StandardCharsets.UTF_8);
        Encoder enc = encoder(type, registry, subject, version);
        for (String line : lines) {
          if (line.isBlank()) {
            continue;
          }
          byte[] value;
          try {
            value = enc.encode(topic, MAPPER.readTree(line));
          } catch (Exception e) {
            throw new IOException(topic + " " + type + " " + subject + ": encode " + line + ": " + e, e);
          }
          sent.add(producer.send(new ProducerRecord<>(topic, null, value)));
        }
        enc.close();
      }
      for (Future<RecordMetadata> f : sent) {
        f.get();
      }
    }
  }

  interface Encoder extends AutoCloseable {
    byte[] encode(String topic, JsonNode value) throws Exception;

    @Override
    default void close() {}
  }

  private static Encoder encoder(String type, Registry registry, String subject, String version)
      throws Exception {
    if (version.equals("latest")) {
      // A number, not apicurio.registry.find-latest: the resolver caches a lookup by version but
      // asks the registry again for every record under find-latest.
      version = registry.version(subject, "latest").path("version").asText();
    }
    Map<String, Object> c = apicurioConfig(registry);
    c.put(SerdeConfig.EXPLICIT_ARTIFACT_ID, subject);
    c.put(SerdeConfig.EXPLICIT_ARTIFACT_VERSION, version);
    switch (type) {
      case "avro" -> {
        // The record is built against the same version the serializer resolves.
        Schema schema = new Schema.Parser().parse(registry.version(subject, version).path("schema").asText());
        AvroKafkaSerializer<Object> ser = new AvroKafkaSerializer<>();
        ser.configure(c, false);
        return new Encoder() {
          @Override
          public byte[] encode(String topic, JsonNode value) {
            return ser.serialize(topic, AvroJson.fromJson(schema, value));
          }

          @Override
          public void close() {
            ser.close();
          }
        };
      }
      case "json" -> {
        JsonSchemaKafkaSerializer<JsonNode> ser = new JsonSchemaKafkaSerializer<>();
        c.put(SerdeConfig.VALIDATION_ENABLED, true);
        ser.configure(c, false);
        return new Encoder() {
          @Override
          public byte[] encode(String topic, JsonNode value) {
            return ser.serialize(topic, value);
          }

          @Override
          public void close() {
            ser.close();
          }
        };
      }
      default -> {
        if (!type.equals("protobuf") && !type.startsWith("protobuf:")) {
          throw new IllegalArgumentException("unknown type " + type + " (avro, protobuf[:MESSAGE], json)");
        }
        String message = type.equals("protobuf") ? null : type.substring("protobuf:".length());
        JsonNode v = registry.version(subject, version);
        ProtoWire.Schema schema = ProtoWire.load(registry, v);
        int id = v.path("id").asInt();
        return (topic, value) -> ProtoWire.encode(id, schema, message, value);
      }
    }
  }

  // ---------------------------------------------------------------- consume

  private static void consume(String brokers, Registry registry, String[] args) throws Exception {
    int at = 1;
    boolean envelope = false;
    if (args.length > 1 && args[1].equals("--envelope")) {
      envelope = true;
      at = 2;
    }
    if (args.length - at < 2 || (args.length - at) % 2 != 0) {
      usage();
    }
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10000);
    Decoders dec = new Decoders(registry);
    PrintStream out =
        new PrintStream(new BufferedOutputStream(new FileOut(), 1 << 16), false, StandardCharsets.UTF_8);
    long loopStart = 0;
    long total = 0;
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      for (int i = at; i < args.length; i += 2) {
        String topic = args[i];
        long want = Long.parseLong(args[i + 1]);
        List<TopicPartition> tps = new ArrayList<>();
        for (PartitionInfo pi : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
          tps.add(new TopicPartition(topic, pi.partition()));
        }
        consumer.assign(tps);
        consumer.seekToBeginning(tps);
        long got = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(300).toNanos();
        if (loopStart == 0) {
          loopStart = System.nanoTime();
        }
        while (got < want) {
          if (System.nanoTime() > deadline) {
            throw new IOException(topic + ": read " + got + " of " + want + " records in 300s");
          }
          for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
            if (got == want) {
              break;
            }
            Decoders.Decoded d = dec.decode(topic, r.value());
            if (envelope) {
              out.println(Envelope.line(r, d));
            } else {
              out.println(MAPPER.writeValueAsString(d.value));
            }
            got++;
          }
        }
        total += got;
      }
    } finally {
      out.flush();
      dec.close();
    }
    if (out.checkError()) {
      throw new IOException("writing stdout failed");
    }
    // For the benchmark: the loop's own time, without the JVM's start and the client's setup.
    System.err.printf("interop-serde: consumed %d records in %d ms of consume loop%n",
        total, (System.nanoTime() - loopStart) / 1_000_000);
  }

  /** Decodes a wire-format value with the deserializer of its schema's type. */
  static final class Decoders implements AutoCloseable {
    record Decoded(JsonNode value, int id, String type) {}

    private final Registry registry;
    private final AvroKafkaDeserializer<Object> avro = new AvroKafkaDeserializer<>();
    private final JsonSchemaKafkaDeserializer<JsonNode> json = new JsonSchemaKafkaDeserializer<>();
    private final Map<Integer, JsonNode> byId = new HashMap<>();
    private final Map<Integer, ProtoWire.Schema> protoById = new HashMap<>();

    Decoders(Registry registry) {
      this.registry = registry;
      avro.configure(apicurioConfig(registry), false);
      json.configure(apicurioConfig(registry), false);
    }

    Decoded decode(String topic, byte[] v) throws Exception {
      if (v == null || v.length < 5 || v[0] != 0) {
        throw new IOException(topic + ": not the Confluent wire format");
      }
      int id = ((v[1] & 0xff) << 24) | ((v[2] & 0xff) << 16) | ((v[3] & 0xff) << 8) | (v[4] & 0xff);
      JsonNode s = byId.get(id);
      if (s == null) {
        s = registry.byId(id);
        byId.put(id, s);
      }
      String type = s.path("schemaType").asText("AVRO");
      switch (type) {
        case "AVRO" -> {
          Object rec = avro.deserialize(topic, v);
          return new Decoded(AvroJson.toJson(rec), id, type);
        }
        case "JSON" -> {
          Object node = json.deserialize(topic, v);
          return new Decoded(MAPPER.valueToTree(node), id, type);
        }
        case "PROTOBUF" -> {
          ProtoWire.Schema ps = protoById.get(id);
          if (ps == null) {
            ps = ProtoWire.load(registry, s);
            protoById.put(id, ps);
          }
          return new Decoded(MAPPER.readTree(ProtoWire.decode(ps, v)), id, type);
        }
        default -> throw new IOException("schema " + id + ": unknown type " + type);
      }
    }

    @Override
    public void close() {
      avro.close();
      json.close();
    }
  }

  /** Writes to fd 1 without System.out's per-line flushing. */
  private static final class FileOut extends OutputStream {
    private final java.io.FileOutputStream fd = new java.io.FileOutputStream(java.io.FileDescriptor.out);

    @Override
    public void write(int b) throws IOException {
      fd.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      fd.write(b, off, len);
    }
  }

  // ---------------------------------------------------------------- registry

  /** The few Confluent-API calls the Java side makes itself (schema text and ids). */
  static final class Registry {
    final String ccompatURL;
    final String apicurioURL;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    Registry(String ccompat) {
      ccompatURL = ccompat.replaceAll("/+$", "");
      int i = ccompatURL.indexOf("/apis/ccompat/");
      if (i < 0) {
        throw new IllegalArgumentException("KFLOW_TEST_REGISTRY " + ccompat + " is not an Apicurio /apis/ccompat/vN URL");
      }
      apicurioURL = ccompatURL.substring(0, i) + "/apis/registry/v2";
    }

    /** GET /subjects/S/versions/V: subject, version, id, schema, schemaType, references. */
    JsonNode version(String subject, String version) throws IOException, InterruptedException {
      return get("/subjects/" + URLEncoder.encode(subject, StandardCharsets.UTF_8) + "/versions/" + version);
    }

    /** GET /schemas/ids/ID: schema, schemaType, references. */
    JsonNode byId(int id) throws IOException, InterruptedException {
      return get("/schemas/ids/" + id);
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
      HttpRequest req = HttpRequest.newBuilder(URI.create(ccompatURL + path)).timeout(Duration.ofSeconds(10)).build();
      HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
      if (resp.statusCode() != 200) {
        throw new IOException("GET " + ccompatURL + path + ": " + resp.statusCode() + " " + resp.body());
      }
      return MAPPER.readTree(resp.body());
    }
  }

  /** kflow tail --json's line shape, for the benchmark's like-for-like output. */
  static final class Envelope {
    private Envelope() {}

    static String line(ConsumerRecord<byte[], byte[]> r, Decoders.Decoded d) throws IOException {
      ObjectNode o = MAPPER.createObjectNode();
      o.put("topic", r.topic());
      o.put("partition", r.partition());
      o.put("offset", r.offset());
      o.put("timestamp", java.time.format.DateTimeFormatter.ISO_INSTANT.format(
          java.time.Instant.ofEpochMilli(r.timestamp())));
      o.put("timestamp_ms", r.timestamp());
      o.putNull("key");
      o.set("value", d.value);
      o.putArray("headers");
      o.put("key_size", 0);
      o.put("value_size", r.serializedValueSize());
      ObjectNode s = o.putObject("value_schema");
      s.put("id", d.id);
      s.put("type", d.type);
      return MAPPER.writeValueAsString(o);
    }
  }
}
