using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Conversations;
using Omnichat.Core.Kernel;
using Omnichat.Core.Operators;

namespace Omnichat.Core.Access;

/// <summary>
/// What a staff member may see of conversations (first cut): administrators and supervisors see all;
/// operators see conversations assigned to them and the queues of their skill groups. Access control
/// replaces this with configurable scopes (groups, branches, regions).
/// </summary>
public sealed record StaffScope(OperatorId OperatorId, bool SeesEverything, IReadOnlyList<SkillGroupId> SkillGroups)
{
    public static async Task<StaffScope> ForAsync(OmnichatDbContext db, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var id = OperatorId.From(Guid.Parse(user.FindFirstValue(ClaimTypes.NameIdentifier)
            ?? throw new InvalidOperationException("Not a staff principal.")));
        var everything = user.IsInRole(StaffRoles.Administrator) || user.IsInRole(StaffRoles.Supervisor);
        var groups = await db.Set<OperatorSkillGroup>().Where(m => m.OperatorId == id).Select(m => m.SkillGroupId).ToListAsync(cancellationToken);
        return new StaffScope(id, everything, groups);
    }

    /// <summary>The conversations this staff member may see.</summary>
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

    /// <summary>May write to or close the conversation: its operator, or a supervisor/administrator.</summary>
    public bool MayHandle(Conversation conversation) => SeesEverything || conversation.OperatorId == OperatorId;

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
