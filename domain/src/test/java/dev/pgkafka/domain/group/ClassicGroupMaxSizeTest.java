package dev.pgkafka.domain.group;

import static dev.pgkafka.domain.group.GroupFixtures.answer;
import static dev.pgkafka.domain.group.GroupFixtures.join;
import static dev.pgkafka.domain.group.GroupFixtures.withVersionBefore4;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.pgkafka.domain.error.ErrorCode;

/** {@code group.max.size}: new members past it get GROUP_MAX_SIZE_REACHED, as in Kafka. */
class ClassicGroupMaxSizeTest {
    final ClassicGroup group = new ClassicGroup("g", new GroupConfig(0, 300_000, 2), 0);

    private JoinResult joinNew(JoinRequest request, String id) {
        ParkedCall call = new ParkedCall();
        return answer(group.join(request, id, call, 0), call);
    }

    @Test
    void membersToldToComeBackWithTheirIdCountTowardsTheLimit() {
        assertEquals(ErrorCode.MEMBER_ID_REQUIRED, joinNew(join(""), "a").error());
        assertEquals(ErrorCode.MEMBER_ID_REQUIRED, joinNew(join(""), "b").error());
        assertEquals(ErrorCode.GROUP_MAX_SIZE_REACHED, joinNew(join(""), "c").error());
        assertEquals(ErrorCode.GROUP_MAX_SIZE_REACHED, joinNew(withVersionBefore4(join("")), "d").error(),
                "also for a client that joins without MEMBER_ID_REQUIRED");
    }

    @Test
    void aNewStaticMemberCountsButOneReplacingItsInstanceDoesNot() {
        List<Protocol> protocols = join("").protocols();
        group.join(join("", "i-1", protocols), "s1", new ParkedCall(), 0);
        group.join(join("", "i-2", protocols), "s2", new ParkedCall(), 0);
        assertEquals(ErrorCode.GROUP_MAX_SIZE_REACHED, joinNew(join("", "i-3", protocols), "s3").error());
        ParkedCall replacing = new ParkedCall();
        GroupEffects effects = group.join(join("", "i-1", protocols), "s1-again", replacing, 0);
        effects.joinAnswer(replacing).ifPresent(r -> assertEquals(ErrorCode.NONE, r.error()));
    }
}
