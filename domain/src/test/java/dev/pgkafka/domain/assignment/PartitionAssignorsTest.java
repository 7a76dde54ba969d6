package dev.pgkafka.domain.assignment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class PartitionAssignorsTest {
    @Test
    void theBuiltInAssignorsAreKafkasDefaultsWithUniformFirst() {
        PartitionAssignors assignors = PartitionAssignors.builtIn();
        assertEquals(List.of("uniform", "range"), assignors.names());
        assertEquals("uniform", assignors.defaultAssignor().name());
        assertEquals("range", assignors.find("range").orElseThrow().name());
        assertTrue(assignors.find("sticky").isEmpty(), "answered with UNSUPPORTED_ASSIGNOR");
        assertTrue(assignors.find("Uniform").isEmpty(), "names match exactly");
    }

    @Test
    void namesMustBeDistinctAndTheListNotEmpty() {
        assertThrows(IllegalArgumentException.class, () -> PartitionAssignors.of(List.of()));
        assertThrows(IllegalArgumentException.class,
                () -> PartitionAssignors.of(List.of(new RangeAssignor(), new RangeAssignor())));
        assertEquals("range", PartitionAssignors.of(List.of(new RangeAssignor())).defaultAssignor().name());
    }
}
