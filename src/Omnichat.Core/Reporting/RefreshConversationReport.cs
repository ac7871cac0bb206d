using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Conversations;
using Omnichat.Core.Kernel;
using Omnichat.Core.Kernel.Outbox;

namespace Omnichat.Core.Reporting;

/// <summary>
/// Recomputes one conversation's report figures from its events and messages and moves the interval roll-up by the
/// difference from what the conversation contributed before — so a late event corrects the interval it belongs to,
/// and a redelivered event changes nothing. Facts, contributions, handling segments and interval sums commit together.
/// </summary>
public sealed class RefreshConversationReport(OmnichatDbContext db, TimeProvider time)
{
    public Task RefreshAsync(ConversationId id, CancellationToken cancellationToken) =>
        MessageRules.WithConflictRetryAsync(db, async ct =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var hours = await RefreshInTransactionAsync(id, ct);
            await db.SaveChangesAsync(ct);

            // The hourly roll-ups of the hours whose interval rows moved are computed again by the reporting job. Marked last:
            // every refresh of an hour updates its mark, so the row is held only from here to the commit.
            await ReportHourRollup.MarkAsync(db, hours, ct);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return true;
        }, cancellationToken);

    /// <summary>Stages the changes for one conversation on the context (the caller saves); returns the hours whose interval rows moved.</summary>
    public async Task<IReadOnlySet<long>> RefreshInTransactionAsync(ConversationId id, CancellationToken cancellationToken)
    {
        var input = await LoadAsync(id, cancellationToken);
        if (input is null)
        {
            return new HashSet<long>();
        }

        var thresholds = await ThresholdsAsync(input.Events.Select(e => e.SkillGroupId).Append(input.SkillGroupId), cancellationToken);
        var result = ConversationMetrics.Compute(input, g => g is { } gid && thresholds.TryGetValue(gid, out var t) ? t : GroupThresholds.Default,
            time.GetUtcNow());
        return await ApplyAsync(id, result, cancellationToken);
    }

    private async Task<ConversationInput?> LoadAsync(ConversationId id, CancellationToken cancellationToken)
    {
        var c = await db.Conversations.AsNoTracking().IgnoreQueryFilters().Where(x => x.Id == id)
            .Select(x => new { x.ChannelId, x.SkillGroupId, x.OperatorId, x.BranchId, x.RegionId, x.Topic, x.CreatedAt, x.ClosedAt, x.Rating })
            .FirstOrDefaultAsync(cancellationToken);
        if (c is null)
        {
            return null;
        }

        var events = await db.ConversationEvents.AsNoTracking().Where(e => e.ConversationId == id).OrderBy(e => e.Id).ToListAsync(cancellationToken);
        var messages = await db.Messages.AsNoTracking().Where(m => m.ConversationId == id && m.Direction != MessageDirection.Note)
            .OrderBy(m => m.Seq).Select(m => new { m.Direction, m.AuthorKind, m.CreatedAt }).ToListAsync(cancellationToken);
        return new ConversationInput(id, c.ChannelId, c.SkillGroupId, c.OperatorId, c.BranchId, c.RegionId, c.Topic, c.CreatedAt, c.ClosedAt, c.Rating,
            events, [.. messages.Select(m => (m.Direction, m.AuthorKind, m.CreatedAt))]);
    }

    private async Task<Dictionary<SkillGroupId, GroupThresholds>> ThresholdsAsync(IEnumerable<SkillGroupId?> groups, CancellationToken cancellationToken)
    {
        var ids = groups.OfType<SkillGroupId>().Distinct().ToList();
        return await db.SkillGroups.AsNoTracking().Where(g => ids.Contains(g.Id))
            .ToDictionaryAsync(g => g.Id, g => new GroupThresholds(g.ServiceLevelSeconds, g.ShortAbandonSeconds, g.WrapUpSeconds), cancellationToken);
    }

    private async Task<IReadOnlySet<long>> ApplyAsync(ConversationId id, ConversationMetrics.Result result, CancellationToken cancellationToken)
    {
        // Contributions: move the roll-up by (new − old) per key.
        var old = await db.ReportContributions.Where(p => p.ConversationId == id).ToListAsync(cancellationToken);
        var keys = old.Cast<IReportDimensions>().Concat(result.Contributions).ToList();
        var done = new List<IReportDimensions>();
        var hours = new HashSet<long>();
        foreach (var key in keys)
        {
            if (done.Exists(d => Same(d, key)))
            {
                continue;
            }

            done.Add(key);
            var before = old.Find(o => o.SameKey(key));
            var after = result.Contributions.FirstOrDefault(n => n.SameKey(key));
            if (before is not null && after is not null && before.SameAs(after))
            {
                continue;
            }

            var delta = new CounterTotals();
            if (after is not null)
            {
                delta.Add(after);
            }

            if (before is not null)
            {
                delta.Add(before, -1);
            }

            await AddToIntervalAsync(key, delta, cancellationToken);
            hours.Add(ReportHourRollup.HourOf(key.IntervalStart));
            if (before is not null && after is not null)
            {
                for (var i = 0; i < ReportCounters.Properties.Count; i++)
                {
                    before[i] = after[i];
                }
            }
            else if (before is not null)
            {
                db.ReportContributions.Remove(before);
            }
            else
            {
                db.ReportContributions.Add(after!);
            }
        }

        // Per-conversation facts.
        var facts = await db.ReportConversations.FirstOrDefaultAsync(f => f.ConversationId == id, cancellationToken);
        if (facts is null)
        {
            db.ReportConversations.Add(result.Facts);
        }
        else
        {
            var version = facts.Version;
            db.Entry(facts).CurrentValues.SetValues(result.Facts);
            facts.Version = version + 1;
        }

        // Handling segments (occupancy, concurrency): replaced when they changed.
        var oldSpans = await db.ReportHandlings.Where(h => h.ConversationId == id).OrderBy(h => h.Id).ToListAsync(cancellationToken);
        var same = oldSpans.Count == result.Handlings.Count && oldSpans.Zip(result.Handlings)
            .All(p => p.First.OperatorId == p.Second.OperatorId && p.First.StartedAt == p.Second.StartedAt && p.First.EndedAt == p.Second.EndedAt);
        if (!same)
        {
            db.ReportHandlings.RemoveRange(oldSpans);
            db.ReportHandlings.AddRange(result.Handlings);
            if (oldSpans.Count > 0 || result.Handlings.Count > 0)
            {
                // Operator times of the intervals these segments touched must be computed again.
                foreach (var start in oldSpans.Concat(result.Handlings).Select(h => Intervals.StartOf(h.StartedAt)).Distinct())
                {
                    if (start < Intervals.StartOf(time.GetUtcNow()) && !await db.ReportDirtyIntervals.AnyAsync(d => d.IntervalStart == start, cancellationToken)
                        && db.ReportDirtyIntervals.Local.All(d => d.IntervalStart != start))
                    {
                        db.ReportDirtyIntervals.Add(new ReportDirtyInterval { IntervalStart = start });
                    }
                }
            }
        }

        return hours;
    }

    private static bool Same(IReportDimensions a, IReportDimensions b) =>
        a.IntervalStart == b.IntervalStart && a.SkillGroupId == b.SkillGroupId && a.ChannelId == b.ChannelId && a.OperatorId == b.OperatorId
        && a.BranchId == b.BranchId && a.RegionId == b.RegionId && a.Topic == b.Topic;

    private async Task AddToIntervalAsync(IReportDimensions k, CounterTotals delta, CancellationToken cancellationToken)
    {
        var row = db.ReportIntervals.Local.FirstOrDefault(i => Same(i, k))
                  ?? await db.ReportIntervals.FirstOrDefaultAsync(i => i.IntervalStart == k.IntervalStart && i.SkillGroupId == k.SkillGroupId
                      && i.ChannelId == k.ChannelId && i.OperatorId == k.OperatorId && i.BranchId == k.BranchId && i.RegionId == k.RegionId
                      && i.Topic == k.Topic, cancellationToken);
        if (row is null)
        {
            row = new ReportInterval
            {
                IntervalStart = k.IntervalStart, SkillGroupId = k.SkillGroupId, ChannelId = k.ChannelId, OperatorId = k.OperatorId, BranchId = k.BranchId,
                RegionId = k.RegionId, Topic = k.Topic,
            };
            db.ReportIntervals.Add(row);
        }
        else
        {
            row.Version++;
        }

        row.Add(delta);
    }
}

/// <summary>Keeps the report figures current: every change of a conversation recomputes it (the recomputation is idempotent).</summary>
public sealed class ReportingListeners(RefreshConversationReport refresh, OmnichatDbContext db) :
    IDomainEventListener<ConversationOpened>, IDomainEventListener<ConversationQueued>, IDomainEventListener<ConversationAssigned>,
    IDomainEventListener<ConversationTransferred>, IDomainEventListener<ConversationClosed>, IDomainEventListener<ConversationRated>,
    IDomainEventListener<ConversationOfferMissed>, IDomainEventListener<MessageAppended>
{
    public Task HandleAsync(EventEnvelope envelope, ConversationOpened domainEvent, CancellationToken cancellationToken) =>
        refresh.RefreshAsync(domainEvent.ConversationId, cancellationToken);

    public Task HandleAsync(EventEnvelope envelope, ConversationQueued domainEvent, CancellationToken cancellationToken) =>
        refresh.RefreshAsync(domainEvent.ConversationId, cancellationToken);

    public Task HandleAsync(EventEnvelope envelope, ConversationAssigned domainEvent, CancellationToken cancellationToken) =>
        refresh.RefreshAsync(domainEvent.ConversationId, cancellationToken);

    public Task HandleAsync(EventEnvelope envelope, ConversationTransferred domainEvent, CancellationToken cancellationToken) =>
        refresh.RefreshAsync(domainEvent.ConversationId, cancellationToken);

    public Task HandleAsync(EventEnvelope envelope, ConversationClosed domainEvent, CancellationToken cancellationToken) =>
        refresh.RefreshAsync(domainEvent.ConversationId, cancellationToken);

    public Task HandleAsync(EventEnvelope envelope, ConversationRated domainEvent, CancellationToken cancellationToken) =>
        refresh.RefreshAsync(domainEvent.ConversationId, cancellationToken);

    public Task HandleAsync(EventEnvelope envelope, ConversationOfferMissed domainEvent, CancellationToken cancellationToken) =>
        refresh.RefreshAsync(domainEvent.ConversationId, cancellationToken);

    /// <summary>
    /// An operator's message matters to the interval figures only as the first response (until then the conversation
    /// has none); later reply times are counted when the conversation is recomputed at closing.
    /// </summary>
    public async Task HandleAsync(EventEnvelope envelope, MessageAppended domainEvent, CancellationToken cancellationToken)
    {
        if (domainEvent.Direction != MessageDirection.Out || domainEvent.AuthorKind != ActorKind.Operator)
        {
            return;
        }

        var answered = await db.ReportConversations.AsNoTracking()
            .AnyAsync(f => f.ConversationId == domainEvent.ConversationId && f.FirstResponseAt != null, cancellationToken);
        if (!answered)
        {
            await refresh.RefreshAsync(domainEvent.ConversationId, cancellationToken);
        }
    }
}
