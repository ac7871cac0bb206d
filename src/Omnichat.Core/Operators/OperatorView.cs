namespace Omnichat.Core.Operators;

public sealed record OperatorView(
    Guid Id, string Login, string DisplayName, int Capacity, bool Enabled, OperatorStatus Status,
    IReadOnlyList<string> Roles, IReadOnlyList<Guid> SkillGroupIds, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, string? Email,
    IReadOnlyList<SkillGroupLevel> SkillGroups, string? StatusReason, DateTimeOffset StatusSince, int Load, DateTimeOffset? WrapUpUntil,
    Access.ScopeSpec? Scope = null, bool TwoFactorEnabled = false)
{
    public static OperatorView From(Operator o, IEnumerable<string> roles, string? email, Access.ScopeSpec? scope = null, bool twoFactor = false) => new(
        o.Id.Value, o.Login, o.DisplayName, o.Capacity, o.Enabled, o.Status, roles.Order(StringComparer.Ordinal).ToList(),
        o.SkillGroups.Select(g => g.SkillGroupId.Value).Order().ToList(), o.CreatedAt, o.UpdatedAt, email,
        o.SkillGroups.OrderBy(g => g.SkillGroupId.Value).Select(g => new SkillGroupLevel(g.SkillGroupId.Value, g.Level)).ToList(),
        o.StatusReason, o.StatusSince, o.Load, o.WrapUpUntil, scope, twoFactor);
}
