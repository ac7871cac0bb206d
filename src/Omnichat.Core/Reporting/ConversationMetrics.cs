using Omnichat.Core.Conversations;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Reporting;

/// <summary>
/// Computes a conversation's report figures from its recorded events and messages (PRODUCT "Definitions"), as a pure
/// function: the same conversation always gives the same figures, so recomputing after any change (or a redelivered
/// event, or a rebuild) is safe.
/// <list type="bullet">
/// <item>Each entry into a group's queue is one <em>offered</em>, counted in the interval it entered, with its outcome:
/// answered (wait = entry → assigned; within the group's service-level threshold or not), abandoned by the client
/// (within the short-abandon and service-level thresholds or not), flowed out to another queue, or closed in the queue.</item>
/// <item>Each handling segment (an operator has it, accepted → closed or transferred away) counts in the interval it
/// started: handled with its time (plus the group's wrap-up when it ended by closing), or transferred out.</item>
/// <item>The conversation's own figures (created, closed and resolution time, first response and reply times, rating)
/// count in the interval it was created, under its final group and operator.</item>
/// <item>Missed and declined offers count in the interval they happened, under the operator concerned.</item>
/// </list>
/// </summary>
public static class ConversationMetrics
{
    public sealed record Result(ReportConversation Facts, IReadOnlyList<ReportContribution> Contributions, IReadOnlyList<ReportHandling> Handlings);

    private sealed class Stay(SkillGroupId? group, DateTimeOffset enteredAt)
    {
        public SkillGroupId? Group { get; } = group;

        public DateTimeOffset EnteredAt { get; } = enteredAt;
    }

    private sealed class Segment(OperatorId op, SkillGroupId? group, DateTimeOffset startedAt)
    {
        public OperatorId Operator { get; } = op;

        public SkillGroupId? Group { get; } = group;

        public DateTimeOffset StartedAt { get; } = startedAt;
    }

    public static Result Compute(ConversationInput c, Func<SkillGroupId?, GroupThresholds> thresholds, DateTimeOffset now)
    {
        var parts = new List<ReportContribution>();
        var handlings = new List<ReportHandling>();
        var facts = new ReportConversation { ConversationId = c.Id, RefreshedAt = now };
        var topic = c.Topic ?? "";

        ReportContribution Part(DateTimeOffset at, SkillGroupId? group, OperatorId? op)
        {
            var key = new ReportContribution
            {
                ConversationId = c.Id, IntervalStart = Intervals.StartOf(at), SkillGroupId = group, ChannelId = c.ChannelId, OperatorId = op,
                BranchId = c.BranchId, RegionId = c.RegionId, Topic = topic,
            };
            var existing = parts.Find(p => p.SameKey(key));
            if (existing is not null)
            {
                return existing;
            }

            parts.Add(key);
            return key;
        }

        Stay? stay = null;
        Segment? segment = null;
        double waitTotal = 0;
        var anyStay = false;

        void EndStay(DateTimeOffset at, string outcome, OperatorId? op)
        {
            var s = stay!;
            stay = null;
            var t = thresholds(s.Group);
            var waitMs = Math.Max(0, (long)(at - s.EnteredAt).TotalMilliseconds);
            waitTotal += waitMs / 1000.0;
            var p = Part(s.EnteredAt, s.Group, outcome == "answered" ? op : null);
            p.Offered++;
            switch (outcome)
            {
                case "answered":
                    p.Answered++;
                    p.WaitAnsweredMs += waitMs;
                    p.WaitMaxMs = Math.Max(p.WaitMaxMs, waitMs);
                    p.CountWait(waitMs);
                    if (waitMs <= t.ServiceLevelSeconds * 1000L)
                    {
                        p.AnsweredInSl++;
                    }

                    facts.AnsweredAt ??= at;
                    break;
                case "abandoned":
                    p.Abandoned++;
                    p.WaitAbandonedMs += waitMs;
                    p.WaitMaxMs = Math.Max(p.WaitMaxMs, waitMs);
                    if (waitMs <= t.ShortAbandonSeconds * 1000L)
                    {
                        p.AbandonedShort++;
                    }

                    if (waitMs <= t.ServiceLevelSeconds * 1000L)
                    {
                        p.AbandonedInSl++;
                    }

                    facts.Abandoned = true;
                    break;
                case "flowed-out":
                    p.FlowedOut++;
                    break;
                default:
                    p.ClosedInQueue++;
                    break;
            }
        }

        void EndSegment(DateTimeOffset at, bool closed)
        {
            var s = segment!;
            segment = null;
            var p = Part(s.StartedAt, s.Group, s.Operator);
            var ms = Math.Max(0, (long)(at - s.StartedAt).TotalMilliseconds);
            if (closed)
            {
                var wrapMs = thresholds(s.Group).WrapUpSeconds * 1000L;
                p.Handled++;
                p.HandleMs += ms + wrapMs;
                p.WrapUpMs += wrapMs;
                facts.HandleSeconds = (facts.HandleSeconds ?? 0) + ((ms + wrapMs) / 1000.0);
            }
            else
            {
                p.TransfersOut++;
            }

            handlings[^1].EndedAt = at;
        }

        void StartSegment(OperatorId op, SkillGroupId? group, DateTimeOffset at)
        {
            segment = new Segment(op, group, at);
            handlings.Add(new ReportHandling { ConversationId = c.Id, OperatorId = op, StartedAt = at });
        }

        foreach (var e in c.Events)
        {
            switch (e.Type)
            {
                case "queued":
                    if (stay is not null)
                    {
                        EndStay(e.OccurredAt, "flowed-out", null);
                    }

                    stay = new Stay(e.SkillGroupId, e.OccurredAt);
                    facts.FirstQueuedAt ??= e.OccurredAt;
                    anyStay = true;
                    break;
                case "assigned" when e.OperatorId is { } op:
                    if (stay is not null)
                    {
                        EndStay(e.OccurredAt, "answered", op);
                    }

                    if (segment is null || segment.Operator != op)
                    {
                        if (segment is not null)
                        {
                            EndSegment(e.OccurredAt, closed: false);
                        }

                        StartSegment(op, e.SkillGroupId, e.OccurredAt);
                    }

                    break;
                case "transferred":
                    facts.Transfers++;
                    if (segment is not null)
                    {
                        EndSegment(e.OccurredAt, closed: false);
                    }

                    if (e.OperatorId is { } to)
                    {
                        // To an operator: from the queue an "assigned" follows (the queue entry ends answered there);
                        // from another operator the new operator's segment starts now.
                        if (stay is null)
                        {
                            StartSegment(to, e.SkillGroupId, e.OccurredAt);
                        }
                    }
                    else if (stay is not null)
                    {
                        EndStay(e.OccurredAt, "flowed-out", null);
                    }

                    break;
                case "abandoned":
                    if (stay is not null)
                    {
                        EndStay(e.OccurredAt, "abandoned", null);
                    }

                    break;
                case "missed" or "declined":
                    facts.MissedOffers++;
                    var m = Part(e.OccurredAt, e.SkillGroupId, e.OperatorId);
                    if (e.Type == "missed")
                    {
                        m.MissedOffers++;
                    }
                    else
                    {
                        m.DeclinedOffers++;
                    }

                    break;
                case "closed":
                    if (stay is not null)
                    {
                        EndStay(e.OccurredAt, "closed", null);
                    }

                    if (segment is not null)
                    {
                        EndSegment(e.OccurredAt, closed: true);
                    }

                    break;
            }
        }

        if (stay is not null)
        {
            // Still waiting: offered now; the outcome counts when it comes.
            Part(stay.EnteredAt, stay.Group, null).Offered++;
            waitTotal += Math.Max(0, (now - stay.EnteredAt).TotalSeconds);
        }

        facts.WaitSeconds = anyStay ? Math.Round(waitTotal, 3) : null;

        // The conversation's own figures, under its final group and operator.
        var own = Part(c.CreatedAt, c.SkillGroupId, c.OperatorId);
        own.Conversations++;
        if (c.ClosedAt is { } closedAt)
        {
            own.Closed++;
            var ms = Math.Max(0, (long)(closedAt - c.CreatedAt).TotalMilliseconds);
            own.ResolutionMs += ms;
            facts.ResolutionSeconds = ms / 1000.0;
        }

        if (c.Rating is { } r and >= 1 and <= 5)
        {
            own.Rated++;
            switch (r)
            {
                case 1: own.Rating1++; break;
                case 2: own.Rating2++; break;
                case 3: own.Rating3++; break;
                case 4: own.Rating4++; break;
                default: own.Rating5++; break;
            }
        }

        // First response: first client message → the first operator message after it; reply time: each operator message
        // that answers waiting client messages, from the earliest of them.
        DateTimeOffset? waitingSince = null;
        foreach (var msg in c.Messages)
        {
            if (msg.Direction == MessageDirection.In)
            {
                facts.ClientMessages++;
                waitingSince ??= msg.At;
            }
            else if (msg.Direction == MessageDirection.Out && msg.Author == ActorKind.Operator)
            {
                facts.OperatorMessages++;
                if (waitingSince is { } since)
                {
                    var ms = Math.Max(0, (long)(msg.At - since).TotalMilliseconds);
                    if (facts.FirstResponseAt is null)
                    {
                        facts.FirstResponseAt = msg.At;
                        facts.FirstResponseSeconds = ms / 1000.0;
                        own.FirstResponses++;
                        own.FirstResponseMs += ms;
                    }

                    own.Replies++;
                    own.ReplyMs += ms;
                    waitingSince = null;
                }
            }
        }

        parts.RemoveAll(p => p.IsZero());
        return new Result(facts, parts, handlings);
    }
}
