package dev.pgkafka.domain.group;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What one group operation decided beyond its direct result: answers to parked JoinGroup and
 * SyncGroup calls (the caller's own among them when it is answered at once), and a write to make
 * before those answers go out.
 */
public final class GroupEffects {
    private final List<Answer<JoinResult>> joins = new ArrayList<>();
    private final List<Answer<SyncResult>> syncs = new ArrayList<>();
    private GroupWrite write;

    /** An answer for a parked call. */
    public record Answer<R>(ParkedCall call, R result) {
    }

    void answerJoin(ParkedCall call, JoinResult result) {
        if (call != null) {
            joins.add(new Answer<>(call, result));
        }
    }

    void answerSync(ParkedCall call, SyncResult result) {
        if (call != null) {
            syncs.add(new Answer<>(call, result));
        }
    }

    void requestWrite(GroupWrite kind) {
        if (write == GroupWrite.ASSIGNMENT || write == GroupWrite.STATIC_MEMBER_REPLACED) {
            if (kind != write) {
                throw new IllegalStateException("a " + write + " write is pending; cannot also write " + kind);
            }
            return;
        }
        write = kind;
    }

    /** Moves everything of {@code later} into this, keeping this write when {@code later} has none. */
    public GroupEffects addAll(GroupEffects later) {
        joins.addAll(later.joins);
        syncs.addAll(later.syncs);
        write = later.write;
        return this;
    }

    public List<Answer<JoinResult>> joins() {
        return List.copyOf(joins);
    }

    public List<Answer<SyncResult>> syncs() {
        return List.copyOf(syncs);
    }

    /** The write to make before answering, or empty. */
    public Optional<GroupWrite> write() {
        return Optional.ofNullable(write);
    }

    /** The answer for one call, if this operation gave it. */
    public Optional<JoinResult> joinAnswer(ParkedCall call) {
        return joins.stream().filter(a -> a.call() == call).map(Answer::result).findFirst();
    }

    /** The answer for one call, if this operation gave it. */
    public Optional<SyncResult> syncAnswer(ParkedCall call) {
        return syncs.stream().filter(a -> a.call() == call).map(Answer::result).findFirst();
    }

    @Override
    public String toString() {
        return "GroupEffects[joins=" + joins + ", syncs=" + syncs + ", write=" + write + "]";
    }
}
