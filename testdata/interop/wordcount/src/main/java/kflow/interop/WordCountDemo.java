package kflow.interop;

import java.nio.file.Files;
import java.util.Arrays;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Produced;

/**
 * Apache Kafka's WordCountDemo topology (org.apache.kafka.streams.examples.wordcount), written
 * again here: lines from INPUT are lowered, split on \W+, grouped by word (a repartition topic)
 * and counted (a state store with its changelog), every count going to OUTPUT as a long.
 *
 * <p>Unlike the demo, which turns the record cache off (statestore.cache.max.bytes=0) so that a
 * reader sees every update, this runs with Kafka Streams' defaults for a throughput comparison:
 * processing.guarantee=exactly_once_v2 (commit.interval.ms 100 ms, its exactly-once default) and
 * the record cache on at its default size, so each commit writes a word's last count only, as
 * kflow's engine does. One stream thread, as the demo.
 *
 * <pre>java -jar interop-wordcount.jar BOOTSTRAP APPLICATION_ID INPUT OUTPUT</pre>
 *
 * It runs until it is killed (the benchmark stops it once OUTPUT holds the final counts).
 */
public final class WordCountDemo {
    private WordCountDemo() {}

    public static void main(final String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: WordCountDemo BOOTSTRAP APPLICATION_ID INPUT OUTPUT");
            System.exit(2);
        }
        final Properties props = new Properties();
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, args[1]);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("kflow-wordcountdemo").toString());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");

        final StreamsBuilder builder = new StreamsBuilder();
        final KStream<String, String> source = builder.stream(args[2]);
        final KTable<String, Long> counts = source
            .flatMapValues(value -> Arrays.asList(value.toLowerCase(Locale.getDefault()).split("\\W+")))
            .groupBy((key, value) -> value)
            .count();
        counts.toStream().to(args[3], Produced.with(Serdes.String(), Serdes.Long()));

        final KafkaStreams streams = new KafkaStreams(builder.build(), props);
        final CountDownLatch latch = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            streams.close();
            latch.countDown();
        }));
        streams.setUncaughtExceptionHandler(e -> {
            e.printStackTrace();
            System.exit(1);
            return null;
        });
        streams.start();
        System.out.println("started");
        latch.await();
    }
}
