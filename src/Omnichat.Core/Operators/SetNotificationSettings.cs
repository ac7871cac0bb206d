using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Operators;

/// <summary>My workstation notifications: a tone, and browser notifications while the tab is hidden.</summary>
public static class SetNotificationSettings
{
    public sealed record Request(bool? Sound, bool? Desktop);

    public sealed record Response(bool Sound, bool Desktop);

    public sealed class Handler(OmnichatDbContext db)
    {
        public async Task<Response> GetAsync(OperatorId me, CancellationToken cancellationToken) =>
            await db.Operators.AsNoTracking().Where(o => o.Id == me).Select(o => new Response(o.NotifySound, o.NotifyDesktop)).FirstOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException("Operator", me);

        /// <summary>Changes what is given; the rest stays.</summary>
        public async Task<Response> HandleAsync(OperatorId me, Request request, CancellationToken cancellationToken)
        {
            var op = await db.Operators.FirstOrDefaultAsync(o => o.Id == me, cancellationToken) ?? throw new NotFoundException("Operator", me);
            op.SetNotifications(request.Sound ?? op.NotifySound, request.Desktop ?? op.NotifyDesktop);
            await db.SaveChangesAsync(cancellationToken);
            return new Response(op.NotifySound, op.NotifyDesktop);
        }
    }
}
