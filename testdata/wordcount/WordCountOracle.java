// Java's own word counts of a text file, with the exact expression Apache
// Kafka's WordCountDemo applies to each record value, for kflow's
// SplitWords tests (kafka/wordcount_corpus_test.go):
//
//   java -Duser.language=en testdata/wordcount/WordCountOracle.java \
//       testdata/wordcount/sample.txt > testdata/wordcount/sample-counts-java.txt
//
// Prints "word<TAB>count" lines sorted by word; empty words are dropped as
// kflow drops them (the demo would count "" for lines starting with a
// non-word character).
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

public class WordCountOracle {
    public static void main(String[] args) throws Exception {
        Map<String, Long> counts = new TreeMap<>();
        for (String line : Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8)) {
            for (String w : line.toLowerCase(Locale.getDefault()).split("\\W+")) {
                if (!w.isEmpty()) {
                    counts.merge(w, 1L, Long::sum);
                }
            }
        }
        StringBuilder out = new StringBuilder();
        counts.forEach((w, n) -> out.append(w).append('\t').append(n).append('\n'));
        System.out.print(out);
    }
}
