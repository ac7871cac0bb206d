using System.Linq.Expressions;
using Omnichat.Core.Access;
using Omnichat.Core.Kernel;
using Omnichat.Core.Operators;

namespace Omnichat.Core.Reporting;

/// <summary>
/// The data boundary applied to report rows: the same rule as the conversation query filter (own conversations, and
/// those of the scope's and member skill groups, branches and regions), read from the row's dimensions.
/// </summary>
public static class ReportScope
{
    public static IQueryable<T> Within<T>(IQueryable<T> rows, StaffScope scope) where T : class, IReportDimensions
    {
        if (scope.Data.All)
        {
            return rows;
        }

        var me = (OperatorId?)scope.OperatorId;
        var groups = scope.BoundaryGroups;
        var branches = scope.Data.Branches;
        var regions = scope.Data.Regions;
        Expression<Func<IReportDimensions, bool>> rule = r =>
            r.OperatorId == me
            || (r.SkillGroupId != null && groups.Contains(r.SkillGroupId.Value))
            || (r.BranchId != null && branches.Contains(r.BranchId.Value))
            || (r.RegionId != null && regions.Contains(r.RegionId.Value));
        return rows.Where(Retype<T>(rule));
    }

    /// <summary>Operators whose figures the caller may read: everyone for an unlimited scope, else members of the boundary's groups and themselves.</summary>
    public static IQueryable<Operator> VisibleOperators(OmnichatDbContext db, StaffScope scope)
    {
        if (scope.Data.All)
        {
            return db.Operators;
        }

        var groups = scope.BoundaryGroups;
        var me = scope.OperatorId;
        return db.Operators.Where(o => o.Id == me || o.SkillGroups.Any(m => groups.Contains(m.SkillGroupId)));
    }

    /// <summary>The filters of a query applied to report rows.</summary>
    /// <remarks>Any row type with the members the set filters read (the hourly roll-ups lack some dimensions: the caller checks).</remarks>
    public static IQueryable<T> Filtered<T>(IQueryable<T> rows, ReportQuery q) where T : class
    {
        var from = Intervals.StartOf(q.From);
        var to = Intervals.StartOf(q.To);
        rows = rows.Where(Retype<T>(r => r.IntervalStart >= from && r.IntervalStart < to));
        if (q.Channels.Count > 0)
        {
            var ids = q.Channels;
            rows = rows.Where(Retype<T>(r => ids.Contains(r.ChannelId)));
        }

        if (q.Groups.Count > 0)
        {
            var ids = q.Groups;
            rows = rows.Where(Retype<T>(r => r.SkillGroupId != null && ids.Contains(r.SkillGroupId.Value)));
        }

        if (q.Operators.Count > 0)
        {
            var ids = q.Operators;
            rows = rows.Where(Retype<T>(r => r.OperatorId != null && ids.Contains(r.OperatorId.Value)));
        }

        if (q.Branches.Count > 0)
        {
            var ids = q.Branches;
            rows = rows.Where(Retype<T>(r => r.BranchId != null && ids.Contains(r.BranchId.Value)));
        }

        if (q.Regions.Count > 0)
        {
            var ids = q.Regions;
            rows = rows.Where(Retype<T>(r => r.RegionId != null && ids.Contains(r.RegionId.Value)));
        }

        if (q.Topics.Count > 0)
        {
            var topics = q.Topics;
            rows = rows.Where(Retype<T>(r => topics.Contains(r.Topic)));
        }

        return rows;
    }

    /// <summary>Rewrites a rule over the dimensions interface into one over the concrete row type (so EF maps the members).</summary>
    public static Expression<Func<T, bool>> Retype<T>(Expression<Func<IReportDimensions, bool>> rule) => Retype<IReportDimensions, T, bool>(rule);

    /// <summary>Rewrites an expression over one row type into the same over another, member by member name.</summary>
    public static Expression<Func<T, TResult>> Retype<TFrom, T, TResult>(Expression<Func<TFrom, TResult>> e)
    {
        var p = Expression.Parameter(typeof(T), "r");
        var body = new Rebind(e.Parameters[0], p).Visit(e.Body);
        return Expression.Lambda<Func<T, TResult>>(body, p);
    }

    private sealed class Rebind(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitMember(MemberExpression node)
        {
            if (node.Expression == from)
            {
                return Expression.Property(to, node.Member.Name);
            }

            return base.VisitMember(node);
        }

        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);
    }
}
