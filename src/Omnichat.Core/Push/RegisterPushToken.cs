using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Access;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Push;

/// <summary>An app registers (or removes) its device's push token for the signed-in client.</summary>
public static class RegisterPushToken
{
    public sealed record Request(string? Platform, string? Token);

    public sealed class Validator : AbstractValidator<Request>
    {
        public Validator()
        {
            RuleFor(r => r.Platform).NotEmpty().Must(p => p is null || PushDevice.Platforms.Contains(p))
                .WithMessage("'platform' must be fcm, apns or other.");
            RuleFor(r => r.Token).NotEmpty().MaximumLength(PushDevice.MaxTokenLength)
                .Must(t => t is null || !t.Any(char.IsControl)).WithMessage("'token' must not contain control characters.");
        }
    }

    public sealed class Handler(OmnichatDbContext db, TimeProvider time)
    {
        public async Task RegisterAsync(ClientPrincipal client, Request request, CancellationToken cancellationToken)
        {
            var token = request.Token!.Trim();
            // A token belongs to one installation: if another client had it (a new sign-in on the device), it moves.
            await db.PushDevices.Where(d => d.Token == token && d.ClientId != client.ClientId).ExecuteDeleteAsync(cancellationToken);
            var device = await db.PushDevices.FirstOrDefaultAsync(d => d.ClientId == client.ClientId && d.Token == token, cancellationToken);
            if (device is null)
            {
                db.PushDevices.Add(new PushDevice { ClientId = client.ClientId, Platform = request.Platform!, Token = token, RegisteredAt = time.GetUtcNow() });
            }
            else
            {
                device.Platform = request.Platform!;
                device.RegisteredAt = time.GetUtcNow();
            }

            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                // The same registration raced in: it exists now, which is what was asked.
            }
        }

        public async Task RemoveAsync(ClientPrincipal client, string token, CancellationToken cancellationToken) =>
            await db.PushDevices.Where(d => d.ClientId == client.ClientId && d.Token == token.Trim()).ExecuteDeleteAsync(cancellationToken);
    }
}
