package roundtrip.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * picocli is compiled from its sources with the project (pom.xml) because the JVM's class-data archive keeps classes
 * older than Java 6 (class-file version 50) unverified, and every one-shot run verified picocli's 119 again (issue 13).
 * With picocli's own jar (version 49) back on the class path, this fails.
 */
class PicocliClassVersionTest {
    @Test
    void picocliIsOfAClassFileVersionTheArchiveHoldsVerified() throws IOException {
        for (String name : new String[] {"picocli/CommandLine.class", "picocli/CommandLine$Model$CommandSpec.class",
                "picocli/CommandLine$Interpreter.class"}) {
            try (InputStream in = Main.class.getClassLoader().getResourceAsStream(name)) {
                assertThat(in).as(name).isNotNull();
                byte[] head = in.readNBytes(8);
                assertThat(head[0] & 0xff).isEqualTo(0xCA);
                int major = (head[6] & 0xff) << 8 | head[7] & 0xff;
                // what this project compiles to (maven.compiler.release 17)
                assertThat(major).as(name).isEqualTo(61);
            }
        }
    }
}
