/**
 * Consumer groups on Kafka's classic protocol as plain Java: the {@link dev.pgkafka.domain.group.ClassicGroup}
 * aggregate (its state machine, members, protocol vote, static members and deadlines), committed
 * offsets and their retention, and the few bytes of Kafka's consumer protocol the broker reads.
 * Nothing here knows threads, storage or the wire: operations take the current time and return
 * what to answer and what to persist.
 */
package dev.pgkafka.domain.group;
