using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Access;

public sealed record ApiKeyView(Guid Id, string Name, string Prefix, IReadOnlyList<string> Scopes, ScopeSpec Visibility, DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt, bool Active);

/// <summary>The created key: the only time its secret is shown.</summary>
public sealed record CreatedApiKey(ApiKeyView Key, string Secret);

/// <summary>API keys for integrations: scoped, hashed, shown once, revocable, with the time of last use.</summary>
public static class ManageApiKeys
{
    public sealed record Request(string Name, IReadOnlyList<string>? Scopes, ScopeSpec? Visibility, DateTimeOffset? ExpiresAt);

    public sealed class Validator : AbstractValidator<Request>
    {
        public Validator()
        {
            RuleFor(r => r.Name).ValidName(ApiKey.MaxNameLength);
            RuleFor(r => r.Scopes).NotEmpty()
                .Must(s => s is null || (s.Count <= ApiKeyScopes.All.Count && s.All(ApiKeyScopes.All.Contains)))
                .WithMessage("Scopes must be among: " + string.Join(", ", ApiKeyScopes.All) + ".");
            ScopeRules.Shape(RuleFor(r => r.Visibility));
        }
    }

    public sealed class Handler(OmnichatDbContext db, TimeProvider time)
    {
        public async Task<IReadOnlyList<ApiKeyView>> ListAsync(CancellationToken cancellationToken)
        {
            var keys = await db.ApiKeys.AsNoTracking().OrderByDescending(k => k.CreatedAt).ToListAsync(cancellationToken);
            var ids = keys.Select(k => k.Id.Value).ToList();
            var scopes = await db.StaffVisibility.AsNoTracking().Where(v => ids.Contains(v.OwnerId)).ToDictionaryAsync(v => v.OwnerId, cancellationToken);
            var now = time.GetUtcNow();
            return [.. keys.Select(k => View(k, scopes.GetValueOrDefault(k.Id.Value)?.ToSpec() ?? ScopeSpec.Nothing, now))];
        }

        public async Task<CreatedApiKey> CreateAsync(StaffScope actor, Request request, CancellationToken cancellationToken)
        {
            var now = time.GetUtcNow();
            if (request.ExpiresAt is { } expires && expires <= now)
            {
                throw new FieldValidationException("expiresAt", "'expiresAt' must be in the future.");
            }

            ManageRoles.NoEscalation(actor, request.Scopes!.SelectMany(ApiKeyScopes.PermissionsOf));
            var visibility = request.Visibility ?? ScopeSpec.Nothing;
            await Operators.OperatorRules.CheckGrantAsync(db, actor, null, visibility, cancellationToken);
            var (key, secret) = ApiKey.Create(request.Name, request.Scopes!, actor.IsApiKey ? null : actor.OperatorId.Value, request.ExpiresAt, now);
            db.ApiKeys.Add(key);
            db.StaffVisibility.Add(StaffVisibility.Create(key.Id.Value, visibility, now));
            await db.SaveChangesAsync(cancellationToken);
            return new CreatedApiKey(View(key, visibility, now), secret);
        }

        public async Task<ApiKeyView> RevokeAsync(Guid id, CancellationToken cancellationToken)
        {
            var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == ApiKeyId.From(id), cancellationToken) ?? throw new NotFoundException("API key", id);
            key.Revoke(time.GetUtcNow());
            await db.SaveChangesAsync(cancellationToken);
            var scope = await db.StaffVisibility.AsNoTracking().FirstOrDefaultAsync(v => v.OwnerId == id, cancellationToken);
            return View(key, scope?.ToSpec() ?? ScopeSpec.Nothing, time.GetUtcNow());
        }

        private static ApiKeyView View(ApiKey k, ScopeSpec visibility, DateTimeOffset now) =>
            new(k.Id.Value, k.Name, ApiKey.KeyPrefix + k.Prefix, k.Scopes, visibility, k.CreatedAt, k.ExpiresAt, k.LastUsedAt, k.RevokedAt, k.IsActive(now));
    }
}
