package roundtrip.report;

import org.junit.jupiter.api.Test;
import roundtrip.model.Message;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every sentence id has its Chinese, with only the values its English names; the catalogue files nothing else. */
class ZhCatalogueTest {
    /** Every enum of sentence ids in the build (found in target/classes, so a new layer's enum is not forgotten). */
    static List<Message.Id> allIds() throws IOException, ClassNotFoundException {
        Path root = Path.of("target/classes");
        List<Message.Id> out = new ArrayList<>();
        List<Path> classes;
        try (Stream<Path> s = Files.walk(root)) {
            classes = s.filter(p -> p.toString().endsWith(".class")).toList();
        }
        for (Path p : classes) {
            String name = root.relativize(p).toString().replace('/', '.').replaceAll("\\.class$", "");
            Class<?> c = Class.forName(name, false, ZhCatalogueTest.class.getClassLoader());
            if (c.isEnum() && Message.Id.class.isAssignableFrom(c))
                for (Object o : c.getEnumConstants()) out.add((Message.Id) o);
        }
        return out;
    }

    @Test void everySentenceHasChineseWithTheSameValues() throws Exception {
        List<String> missing = new ArrayList<>(), wrongNames = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        List<Message.Id> ids = allIds();
        // every layer's enum found (the scan of the build must not come back empty and pass on nothing)
        assertThat(ids).hasSizeGreaterThan(500);
        assertThat(ids.stream().map(id -> id.key().substring(0, id.key().indexOf('.'))).distinct()).containsExactlyInAnyOrderElementsOf(Zh.LAYERS);
        for (Message.Id id : ids) {
            assertThat(keys.add(id.key())).as("two sentences file under " + id.key()).isTrue();
            assertThat(Zh.LAYERS).as("the layer of " + id.key()).contains(id.key().substring(0, id.key().indexOf('.')));
            String zh = Zh.template(id);
            if (zh == null) { missing.add(id.key() + " = " + id.english()); continue; }
            if (!Message.names(id.english()).containsAll(Message.names(zh))) wrongNames.add(id.key() + ": " + Message.names(zh));
        }
        assertThat(missing).as("sentences without Chinese").isEmpty();
        assertThat(wrongNames).as("Chinese naming values the English does not have").isEmpty();
        assertThat(Zh.keys()).as("Chinese filed for no sentence").isSubsetOf(keys);
    }

    /** No Chinese template leaves English words of its own (three in a row), outside quotes and values. */
    @Test void everyChineseTemplateIsChinese() throws Exception {
        UntranslatedEnglish check = new UntranslatedEnglish(List.of());
        List<String> english = new ArrayList<>();
        for (Message.Id id : allIds()) {
            String zh = Zh.template(id);
            if (zh == null) continue;
            String run = check.find(zh.replaceAll("\\{[a-zA-Z][a-zA-Z0-9]*}", "¤"));
            if (run != null) english.add(id.key() + " = " + zh + "   <-- \"" + run + "\"");
        }
        assertThat(english).as("Chinese templates with English left in them").isEmpty();
    }
}
