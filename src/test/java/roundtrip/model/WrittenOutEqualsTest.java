package roundtrip.model;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Records on a one-shot run's path write their equals and hashCode out (issue 13: the generated ones spin method-handle
 * classes at every start). Written out, a component added later could be left out of them: for each such record, two
 * values that differ in any one component must differ, and equal values must hash alike.
 */
class WrittenOutEqualsTest {
    @Test
    void everyComponentCountsInEqualsAndEqualValuesHashAlike() throws Exception {
        for (Class<?> type : List.of(Source.class, Probe.class, Segment.Attachment.class, Message.RouteText.class,
                roundtrip.kernel.Tuple.class)) {
            RecordComponent[] parts = type.getRecordComponents();
            Class<?>[] types = new Class<?>[parts.length];
            for (int i = 0; i < parts.length; i++) types[i] = parts[i].getType();
            Constructor<?> make = type.getDeclaredConstructor(types);
            make.setAccessible(true);
            Object[] base = new Object[parts.length];
            for (int i = 0; i < parts.length; i++) base[i] = value(types[i], 0);
            Object a = make.newInstance(base), same = make.newInstance(base.clone());
            assertThat(a).as(type.getSimpleName()).isEqualTo(same);
            assertThat(a.hashCode()).as(type.getSimpleName()).isEqualTo(same.hashCode());
            for (int i = 0; i < parts.length; i++) {
                Object[] other = base.clone();
                other[i] = value(types[i], 1);
                assertThat(make.newInstance(other)).as(type.getSimpleName() + "." + parts[i].getName()).isNotEqualTo(a);
            }
        }
    }

    @Test
    void messagesDifferByIdValuesAndText() {
        Message a = Message.text("a");
        assertThat(a).isEqualTo(Message.text("a")).hasSameHashCodeAs(Message.text("a")).isNotEqualTo(Message.text("b"));
        Message nested = Message.of(roundtrip.sim.Sentences.NO_ANSWER_SENT, "gw", a);
        assertThat(nested).isEqualTo(Message.of(roundtrip.sim.Sentences.NO_ANSWER_SENT, "gw", Message.text("a")))
                .isNotEqualTo(Message.of(roundtrip.sim.Sentences.NO_ANSWER_SENT, "vpn", a))
                .isNotEqualTo(Message.of(roundtrip.sim.Sentences.NO_ANSWER_SENT, "gw", Message.text("b")));
        assertThat(Message.Term.of("x")).isEqualTo(Message.Term.of("x")).isNotEqualTo(Message.Term.of("y"));
    }

    private static Object value(Class<?> t, int which) {
        if (t == String.class) return which == 0 ? "a" : "b";
        if (t == int.class) return which == 0 ? 1 : 2;
        if (t == Ip.class) return Ip.parse(which == 0 ? "10.0.0.1" : "10.0.0.2");
        throw new IllegalArgumentException("no sample value of " + t);
    }
}
