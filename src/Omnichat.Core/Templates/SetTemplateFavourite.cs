using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Access;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Templates;

/// <summary>Pins a visible template to the top of my list, or unpins it (both idempotent).</summary>
public static class SetTemplateFavourite
{
    public sealed class Handler(OmnichatDbContext db)
    {
        public async Task HandleAsync(StaffScope staff, Guid id, bool favourite, CancellationToken cancellationToken)
        {
            var templateId = ReplyTemplateId.From(id);
            if (!await TemplateAccess.Visible(db.Set<ReplyTemplate>(), staff).AnyAsync(t => t.Id == templateId, cancellationToken))
            {
                throw new NotFoundException("Template", id);
            }

            var existing = await db.Set<ReplyTemplateFavourite>().FirstOrDefaultAsync(f => f.OperatorId == staff.OperatorId && f.TemplateId == templateId, cancellationToken);
            if (favourite && existing is null)
            {
                db.Add(new ReplyTemplateFavourite { OperatorId = staff.OperatorId, TemplateId = templateId });
            }
            else if (!favourite && existing is not null)
            {
                db.Remove(existing);
            }

            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException) when (favourite)
            {
                // Pinned twice at once: it is pinned.
            }
        }
    }
}
