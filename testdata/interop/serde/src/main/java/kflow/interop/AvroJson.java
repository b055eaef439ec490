package kflow.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.GenericRecord;

/**
 * Avro generic data to and from "natural JSON", written here from the conventions only (never
 * from kflow's code): records are objects in field order; a union is its branch's bare value (on
 * the way in, the first branch the value fits); enums their symbol; bytes and fixed standard
 * base64; decimal a string with exactly its scale's digits; date "yyyy-MM-dd"; timestamp-millis
 * RFC 3339 UTC with three fraction digits; uuid its string.
 */
final class AvroJson {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final DateTimeFormatter MILLIS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private AvroJson() {}

  // ------------------------------------------------------------- JSON -> Avro

  /** The generic datum of value for schema (raw representations: no logical-type conversions). */
  static Object fromJson(Schema s, JsonNode v) {
    LogicalType lt = s.getLogicalType();
    switch (s.getType()) {
      case NULL:
        if (!v.isNull()) {
          throw mismatch(s, v);
        }
        return null;
      case BOOLEAN:
        if (!v.isBoolean()) {
          throw mismatch(s, v);
        }
        return v.booleanValue();
      case INT:
        if (lt instanceof LogicalTypes.Date) {
          if (!v.isTextual()) {
            throw mismatch(s, v);
          }
          return (int) LocalDate.parse(v.textValue()).toEpochDay();
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
          throw mismatch(s, v);
        }
        return v.intValue();
      case LONG:
        if (lt instanceof LogicalTypes.TimestampMillis) {
          if (!v.isTextual()) {
            throw mismatch(s, v);
          }
          return Instant.parse(v.textValue()).toEpochMilli();
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
          throw mismatch(s, v);
        }
        return v.longValue();
      case FLOAT:
        if (!v.isNumber()) {
          throw mismatch(s, v);
        }
        return v.floatValue();
      case DOUBLE:
        if (!v.isNumber()) {
          throw mismatch(s, v);
        }
        return v.doubleValue();
      case STRING:
        if (!v.isTextual()) {
          throw mismatch(s, v);
        }
        if (lt != null && lt.getName().equals("uuid")) {
          UUID.fromString(v.textValue());
        }
        return v.textValue();
      case BYTES:
        if (lt instanceof LogicalTypes.Decimal d) {
          return ByteBuffer.wrap(unscaled(d, v));
        }
        if (!v.isTextual()) {
          throw mismatch(s, v);
        }
        return ByteBuffer.wrap(Base64.getDecoder().decode(v.textValue()));
      case FIXED: {
        byte[] b;
        if (lt instanceof LogicalTypes.Decimal d) {
          byte[] u = unscaled(d, v);
          b = new byte[s.getFixedSize()];
          byte pad = (byte) (u.length > 0 && u[0] < 0 ? 0xff : 0);
          java.util.Arrays.fill(b, 0, b.length - u.length, pad);
          System.arraycopy(u, 0, b, b.length - u.length, u.length);
        } else {
          if (!v.isTextual()) {
            throw mismatch(s, v);
          }
          b = Base64.getDecoder().decode(v.textValue());
        }
        if (b.length != s.getFixedSize()) {
          throw mismatch(s, v);
        }
        return new GenericData.Fixed(s, b);
      }
      case ENUM:
        if (!v.isTextual() || !s.getEnumSymbols().contains(v.textValue())) {
          throw mismatch(s, v);
        }
        return new GenericData.EnumSymbol(s, v.textValue());
      case ARRAY: {
        if (!v.isArray()) {
          throw mismatch(s, v);
        }
        List<Object> items = new ArrayList<>();
        for (JsonNode item : v) {
          items.add(fromJson(s.getElementType(), item));
        }
        return new GenericData.Array<>(s, items);
      }
      case MAP: {
        if (!v.isObject()) {
          throw mismatch(s, v);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          m.put(e.getKey(), fromJson(s.getValueType(), e.getValue()));
        }
        return m;
      }
      case RECORD: {
        if (!v.isObject()) {
          throw mismatch(s, v);
        }
        GenericData.Record r = new GenericData.Record(s);
        for (Schema.Field f : s.getFields()) {
          JsonNode fv = v.get(f.name());
          if (fv == null) {
            if (!f.hasDefaultValue()) {
              throw new IllegalArgumentException(s.getFullName() + "." + f.name() + " is missing");
            }
            r.put(f.pos(), GenericData.get().getDefaultValue(f));
          } else {
            r.put(f.pos(), fromJson(f.schema(), fv));
          }
        }
        for (Iterator<String> it = v.fieldNames(); it.hasNext(); ) {
          String name = it.next();
          if (s.getField(name) == null) {
            throw new IllegalArgumentException(s.getFullName() + " has no field " + name);
          }
        }
        return r;
      }
      case UNION: {
        RuntimeException first = null;
        for (Schema branch : s.getTypes()) {
          try {
            return fromJson(branch, v);
          } catch (RuntimeException e) {
            if (first == null) {
              first = e;
            }
          }
        }
        throw new IllegalArgumentException("no branch of " + s + " fits " + v, first);
      }
      default:
        throw new IllegalArgumentException("unsupported " + s);
    }
  }

  private static byte[] unscaled(LogicalTypes.Decimal d, JsonNode v) {
    BigDecimal n;
    if (v.isTextual()) {
      n = new BigDecimal(v.textValue());
    } else if (v.isNumber()) {
      n = v.decimalValue();
    } else {
      throw new IllegalArgumentException("decimal wants a string, got " + v);
    }
    return n.setScale(d.getScale(), RoundingMode.UNNECESSARY).unscaledValue().toByteArray();
  }

  private static IllegalArgumentException mismatch(Schema s, JsonNode v) {
    return new IllegalArgumentException(v + " is not a " + s);
  }

  // ------------------------------------------------------------- Avro -> JSON

  /** The natural JSON of a datum the Apicurio deserializer returned (a record at the top). */
  static JsonNode toJson(Object datum) {
    if (datum instanceof GenericRecord r) {
      return toJson(r.getSchema(), datum);
    }
    throw new IllegalArgumentException("not a record: " + datum);
  }

  static JsonNode toJson(Schema s, Object d) {
    LogicalType lt = s.getLogicalType();
    switch (s.getType()) {
      case NULL:
        return F.nullNode();
      case BOOLEAN:
        return F.booleanNode((Boolean) d);
      case INT:
        if (lt instanceof LogicalTypes.Date) {
          return F.textNode(d instanceof LocalDate ld ? ld.toString() : LocalDate.ofEpochDay((Integer) d).toString());
        }
        return F.numberNode((Integer) d);
      case LONG:
        if (lt instanceof LogicalTypes.TimestampMillis) {
          Instant i = d instanceof Instant in ? in : Instant.ofEpochMilli((Long) d);
          return F.textNode(MILLIS.format(i));
        }
        return F.numberNode((Long) d);
      case FLOAT:
        return special(((Float) d).doubleValue(), F.numberNode((Float) d));
      case DOUBLE:
        return special((Double) d, F.numberNode((Double) d));
      case STRING:
        return F.textNode(d.toString());
      case BYTES: {
        if (d instanceof BigDecimal bd) {
          return F.textNode(bd.toPlainString());
        }
        ByteBuffer bb = ((ByteBuffer) d).duplicate();
        byte[] b = new byte[bb.remaining()];
        bb.get(b);
        if (lt instanceof LogicalTypes.Decimal dec) {
          return F.textNode(new BigDecimal(new BigInteger(b), dec.getScale()).toPlainString());
        }
        return F.textNode(Base64.getEncoder().encodeToString(b));
      }
      case FIXED: {
        if (d instanceof BigDecimal bd) {
          return F.textNode(bd.toPlainString());
        }
        byte[] b = ((GenericFixed) d).bytes();
        if (lt instanceof LogicalTypes.Decimal dec) {
          return F.textNode(new BigDecimal(new BigInteger(b), dec.getScale()).toPlainString());
        }
        return F.textNode(Base64.getEncoder().encodeToString(b));
      }
      case ENUM:
        return F.textNode(((GenericEnumSymbol<?>) d).toString());
      case ARRAY: {
        ArrayNode a = F.arrayNode();
        for (Object item : (Collection<?>) d) {
          a.add(toJson(s.getElementType(), item));
        }
        return a;
      }
      case MAP: {
        ObjectNode o = F.objectNode();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) d).entrySet()) {
          o.set(e.getKey().toString(), toJson(s.getValueType(), e.getValue()));
        }
        return o;
      }
      case RECORD: {
        GenericRecord r = (GenericRecord) d;
        ObjectNode o = F.objectNode();
        for (Schema.Field f : s.getFields()) {
          o.set(f.name(), toJson(f.schema(), r.get(f.pos())));
        }
        return o;
      }
      case UNION:
        return toJson(s.getTypes().get(GenericData.get().resolveUnion(s, d)), d);
      default:
        throw new IllegalArgumentException("unsupported " + s);
    }
  }

  private static JsonNode special(double v, JsonNode number) {
    if (Double.isNaN(v)) {
      return F.textNode("NaN");
    }
    if (Double.isInfinite(v)) {
      return F.textNode(v > 0 ? "Infinity" : "-Infinity");
    }
    return number;
  }
}
