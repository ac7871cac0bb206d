using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Operators;

/// <summary>The configured not-ready reasons (a new installation gets the defaults on first use).</summary>
public static class ListStatusReasons
{
    public sealed class Handler(OmnichatDbContext db)
    {
        public async Task<IReadOnlyList<StatusReasonView>> HandleAsync(bool enabledOnly, CancellationToken cancellationToken)
        {
            await EnsureDefaultsAsync(db, cancellationToken);
            var reasons = await db.StatusReasons.AsNoTracking().Where(r => !enabledOnly || r.Enabled).ToListAsync(cancellationToken);
            return reasons.OrderBy(r => r.Position).ThenBy(r => r.Code, StringComparer.Ordinal).Select(StatusReasonView.From).ToList();
        }

        /// <summary>Seeds the default reasons once, when none were ever configured.</summary>
        public static async Task EnsureDefaultsAsync(OmnichatDbContext db, CancellationToken cancellationToken)
        {
            if (await db.StatusReasons.AnyAsync(cancellationToken))
            {
                return;
            }

            var position = 0;
            foreach (var (code, ru, en) in StatusReason.Defaults)
            {
                db.StatusReasons.Add(new StatusReason { Code = code, NameRu = ru, NameEn = en, Position = position++ });
            }

            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                db.ChangeTracker.Clear(); // another request seeded them at the same moment
            }
        }
    }
}
