using System.Linq.Expressions;
using System.Reflection;

namespace Omnichat.Core.Reporting;

/// <summary>
/// The additive counters every report is built from (PRODUCT "Definitions"). A conversation contributes counters to the
/// 15-minute intervals its parts started in; interval rows are their sums. Times are milliseconds. Everything is a
/// sum except <see cref="WaitMaxMs"/>, which is a maximum.
/// </summary>
public abstract class ReportCounters
{
    /// <summary>Conversations created (attributed to the final group and operator).</summary>
    public long Conversations { get; set; }

    /// <summary>Entries into a group's queue (one conversation may enter several queues).</summary>
    public long Offered { get; set; }

    public long Answered { get; set; }

    /// <summary>Answered within the group's service-level threshold.</summary>
    public long AnsweredInSl { get; set; }

    /// <summary>The client left while queued.</summary>
    public long Abandoned { get; set; }

    /// <summary>Abandoned within the group's short-abandon threshold.</summary>
    public long AbandonedShort { get; set; }

    /// <summary>Abandoned within the group's service-level threshold (left out of the service-level denominator).</summary>
    public long AbandonedInSl { get; set; }

    /// <summary>Left the queue for another group's queue (transfer, maximum-queue-time move).</summary>
    public long FlowedOut { get; set; }

    /// <summary>Closed while queued by staff or the system (offline answer, inactivity).</summary>
    public long ClosedInQueue { get; set; }

    public long WaitAnsweredMs { get; set; }

    public long WaitAbandonedMs { get; set; }

    public long WaitMaxMs { get; set; }

    /// <summary>Wait histogram of answered queue entries (percentiles): ≤10 s, ≤20, ≤30, ≤60, ≤120, ≤300, ≤600, longer.</summary>
    public long Wait10 { get; set; }

    public long Wait20 { get; set; }

    public long Wait30 { get; set; }

    public long Wait60 { get; set; }

    public long Wait120 { get; set; }

    public long Wait300 { get; set; }

    public long Wait600 { get; set; }

    public long WaitLonger { get; set; }

    public long MissedOffers { get; set; }

    public long DeclinedOffers { get; set; }

    /// <summary>Handling segments that ended with the conversation closed.</summary>
    public long Handled { get; set; }

    /// <summary>Accepted → closed plus wrap-up (AHT numerator).</summary>
    public long HandleMs { get; set; }

    public long WrapUpMs { get; set; }

    /// <summary>Handling segments that ended by a transfer away from the operator.</summary>
    public long TransfersOut { get; set; }

    public long FirstResponses { get; set; }

    public long FirstResponseMs { get; set; }

    /// <summary>Operator replies to waiting client messages (reply time).</summary>
    public long Replies { get; set; }

    public long ReplyMs { get; set; }

    public long Closed { get; set; }

    /// <summary>Created → closed.</summary>
    public long ResolutionMs { get; set; }

    public long Rated { get; set; }

    public long Rating1 { get; set; }

    public long Rating2 { get; set; }

    public long Rating3 { get; set; }

    public long Rating4 { get; set; }

    public long Rating5 { get; set; }

    /// <summary>Every counter property, in a fixed order (columns, sums, exports).</summary>
    public static IReadOnlyList<PropertyInfo> Properties { get; } =
        [.. typeof(ReportCounters).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.PropertyType == typeof(long) && p.GetIndexParameters().Length == 0)];

    /// <summary>The upper bounds (seconds) of the wait histogram buckets, and their counters.</summary>
    public static IReadOnlyList<(int UpToSeconds, PropertyInfo Counter)> WaitBuckets { get; } =
    [
        (10, Prop(nameof(Wait10))), (20, Prop(nameof(Wait20))), (30, Prop(nameof(Wait30))), (60, Prop(nameof(Wait60))),
        (120, Prop(nameof(Wait120))), (300, Prop(nameof(Wait300))), (600, Prop(nameof(Wait600))), (int.MaxValue, Prop(nameof(WaitLonger))),
    ];

    private static readonly Func<ReportCounters, long>[] Getters = [.. Properties.Select(Getter)];
    private static readonly Action<ReportCounters, long>[] Setters = [.. Properties.Select(Setter)];
    private static readonly int MaxIndex = Properties.ToList().FindIndex(p => p.Name == nameof(WaitMaxMs));
    private static readonly int[] BucketIndex = [.. WaitBuckets.Select(b => Properties.ToList().IndexOf(b.Counter))];

    private static PropertyInfo Prop(string name) => typeof(ReportCounters).GetProperty(name)!;

    private static Func<ReportCounters, long> Getter(PropertyInfo p)
    {
        var x = Expression.Parameter(typeof(ReportCounters));
        return Expression.Lambda<Func<ReportCounters, long>>(Expression.Property(x, p), x).Compile();
    }

    private static Action<ReportCounters, long> Setter(PropertyInfo p)
    {
        var x = Expression.Parameter(typeof(ReportCounters));
        var v = Expression.Parameter(typeof(long));
        return Expression.Lambda<Action<ReportCounters, long>>(Expression.Assign(Expression.Property(x, p), v), x, v).Compile();
    }

    public long this[int index]
    {
        get => Getters[index](this);
        set => Setters[index](this, value);
    }

    /// <summary>Adds (sign +1) or takes away (sign −1) another row's counters; the maximum only grows.</summary>
    public void Add(ReportCounters other, int sign = 1)
    {
        for (var i = 0; i < Getters.Length; i++)
        {
            if (i == MaxIndex)
            {
                this[i] = Math.Max(this[i], other[i]);
            }
            else
            {
                this[i] += sign * other[i];
            }
        }
    }

    public bool IsZero()
    {
        for (var i = 0; i < Getters.Length; i++)
        {
            if (this[i] != 0)
            {
                return false;
            }
        }

        return true;
    }

    public bool SameAs(ReportCounters other)
    {
        for (var i = 0; i < Getters.Length; i++)
        {
            if (this[i] != other[i])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Counts one answered wait into the histogram.</summary>
    public void CountWait(long waitMs)
    {
        for (var i = 0; i < BucketIndex.Length; i++)
        {
            if (waitMs <= WaitBuckets[i].UpToSeconds * 1000L)
            {
                this[BucketIndex[i]]++;
                return;
            }
        }
    }
}

/// <summary>Counters as a plain value (a query's sums).</summary>
public sealed class CounterTotals : ReportCounters;
