using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Conversations;
using Omnichat.Core.Kernel;
using Omnichat.Core.Operators;

namespace Omnichat.Core.Access;

/// <summary>
/// Who is asking and what they may see and do: the permissions of their roles (or an API key's), the skill groups
/// they are a member of, and their data boundary. Resolving it for a request also installs the boundary as the
/// query filter of the request's <see cref="OmnichatDbContext"/>, so every query on conversations in that request —
/// lists, counts, searches, reports, exports — stays inside it whatever the endpoint forgets.
/// </summary>
public sealed record StaffScope(OperatorId OperatorId, IReadOnlySet<string> Permissions, IReadOnlyList<SkillGroupId> SkillGroups, DataBoundary Data,
    bool IsApiKey = false)
{
    /// <summary>The claim an API key principal carries (its key id).</summary>
    public const string ApiKeyClaim = "omnichat:api-key";

    public bool Has(string permission) => Permissions.Contains(permission);

    /// <summary>Who acts, for audit records: the operator, or the API key (as <c>api-key:{id}</c>).</summary>
    public Actor Actor => IsApiKey ? new Actor(ActorKind.System, "api-key:" + OperatorId) : Actor.ForOperator(OperatorId);

    public bool HasAny(params ReadOnlySpan<string> permissions)
    {
        foreach (var p in permissions)
        {
            if (Permissions.Contains(p))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Reads every conversation inside the data boundary (supervisors, analysts); others see their own and their groups' queues.</summary>
    public bool SeesEverything => HasAny(Access.Permissions.ViewConversations, Access.Permissions.SuperviseConversations);

    /// <summary>May answer, close and take over any conversation inside the boundary.</summary>
    public bool Supervises => Has(Access.Permissions.SuperviseConversations);

    /// <summary>Skill groups whose conversations are inside the boundary: the scope's and the member groups.</summary>
    public IReadOnlyList<SkillGroupId> BoundaryGroups { get; } = [.. Data.SkillGroups.Union(SkillGroups)];

    /// <summary>A copy for a system step taken on behalf of this user (reading a conversation back after moving it away).</summary>
    public StaffScope Elevated() => this with { Permissions = new HashSet<string>(Access.Permissions.All, StringComparer.Ordinal), Data = DataBoundary.Everything };

    public static async Task<StaffScope> ForAsync(OmnichatDbContext db, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var keyClaim = user.FindFirstValue(ApiKeyClaim);
        var id = Guid.Parse(keyClaim ?? user.FindFirstValue(ClaimTypes.NameIdentifier)
            ?? throw new InvalidOperationException("Not a staff principal."));
        if (db.Visibility is { } cached && cached.OperatorId.Value == id)
        {
            return cached;
        }

        var scope = keyClaim is not null ? await ForKeyAsync(db, id, cancellationToken) : await ForUserAsync(db, id, cancellationToken);
        db.Visibility = scope;
        return scope;
    }

    private static async Task<StaffScope> ForUserAsync(OmnichatDbContext db, Guid id, CancellationToken cancellationToken)
    {
        var operatorId = OperatorId.From(id);
        var roles = await (from ur in db.UserRoles
                           join r in db.Roles on ur.RoleId equals r.Id
                           where ur.UserId == id
                           select new { r.Id, r.Name }).ToListAsync(cancellationToken);
        var permissions = new HashSet<string>(StringComparer.Ordinal);
        var custom = new List<Guid>();
        foreach (var role in roles)
        {
            if (role.Name is not null && Access.Permissions.BuiltIn.TryGetValue(role.Name, out var set))
            {
                permissions.UnionWith(set);
            }
            else
            {
                custom.Add(role.Id);
            }
        }

        if (custom.Count > 0)
        {
            permissions.UnionWith(await db.RoleClaims.Where(c => custom.Contains(c.RoleId) && c.ClaimType == Access.Permissions.ClaimType)
                .Select(c => c.ClaimValue!).ToListAsync(cancellationToken));
        }

        var groups = await db.Set<OperatorSkillGroup>().Where(m => m.OperatorId == operatorId).Select(m => m.SkillGroupId).ToListAsync(cancellationToken);
        var boundary = roles.Exists(r => r.Name == StaffRoles.Administrator)
            ? DataBoundary.Everything
            : await BoundaryAsync(db, id, cancellationToken);
        return new StaffScope(operatorId, permissions, groups, boundary);
    }

    private static async Task<StaffScope> ForKeyAsync(OmnichatDbContext db, Guid id, CancellationToken cancellationToken)
    {
        var key = await db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Id == ApiKeyId.From(id), cancellationToken)
                  ?? throw new InvalidOperationException("Unknown API key.");
        var permissions = new HashSet<string>(key.Scopes.SelectMany(ApiKeyScopes.PermissionsOf), StringComparer.Ordinal);
        return new StaffScope(OperatorId.From(id), permissions, [], await BoundaryAsync(db, id, cancellationToken), IsApiKey: true);
    }

    private static async Task<DataBoundary> BoundaryAsync(OmnichatDbContext db, Guid ownerId, CancellationToken cancellationToken)
    {
        var row = await db.StaffVisibility.AsNoTracking().FirstOrDefaultAsync(v => v.OwnerId == ownerId, cancellationToken);
        return row is null ? new DataBoundary(false, [], [], [])
            : row.All ? DataBoundary.Everything
            : new DataBoundary(false, [.. row.SkillGroupIds.Select(SkillGroupId.From)], [.. row.BranchIds.Select(BranchId.From)],
                [.. row.RegionIds.Select(RegionId.From)]);
    }

    /// <summary>The conversations this staff member may see (inside the boundary the query filter already enforces).</summary>
    public IQueryable<Conversation> Visible(IQueryable<Conversation> conversations) =>
        SeesEverything
            ? conversations
            : conversations.Where(c => c.OperatorId == OperatorId
                                       || (c.Status == ConversationStatus.Queued && c.SkillGroupId != null && SkillGroups.Contains(c.SkillGroupId.Value)));

    /// <summary>
    /// Earlier conversations of a client whose current conversation I may see: mine, and my groups' (any
    /// status) — the omnichannel history an operator needs without opening other teams' work.
    /// </summary>
    public IQueryable<Conversation> VisibleHistory(IQueryable<Conversation> conversations) =>
        SeesEverything
            ? conversations
            : conversations.Where(c => c.OperatorId == OperatorId || (c.SkillGroupId != null && SkillGroups.Contains(c.SkillGroupId.Value)));

    /// <summary>May write to or close the conversation: its operator, or a supervisor of it.</summary>
    public bool MayHandle(Conversation conversation) => Supervises || conversation.OperatorId == OperatorId;

    /// <summary>
    /// The conversation for a change only its handler may make: 404 when I may not see it, 409 with
    /// <paramref name="refusal"/> when I see it but do not handle it.
    /// </summary>
    public async Task<Conversation> HandledAsync(IQueryable<Conversation> conversations, Guid id, string refusal, CancellationToken cancellationToken)
    {
        var conversation = await Visible(conversations).FirstOrDefaultAsync(c => c.Id == ConversationId.From(id), cancellationToken)
            ?? throw new NotFoundException("Conversation", id);
        return MayHandle(conversation) ? conversation : throw new ConflictException(refusal, "conversationId");
    }
}
