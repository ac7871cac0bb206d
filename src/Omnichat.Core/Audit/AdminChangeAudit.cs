using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Omnichat.Core.Access;
using Omnichat.Core.Channels;
using Omnichat.Core.Kernel;
using Omnichat.Core.Mail;
using Omnichat.Core.Operators;
using Omnichat.Core.Organisation;
using Omnichat.Core.Routing;
using Omnichat.Core.Templates;

namespace Omnichat.Core.Audit;

/// <summary>
/// Administrative changes audit themselves (PRODUCT S2): whenever a staff member's (or API key's) save touches
/// configuration — channels, groups, branches, regions, routing, reasons, templates, mail, accounts, roles, scopes,
/// keys — one record per changed subject is written in the same transaction, with the values before and after.
/// Secrets are never copied: they show as <c>(changed)</c>. Work a person does in the workstation (status, load)
/// is not configuration and is left out.
/// </summary>
public sealed class AdminChangeAudit(TimeProvider time) : SaveChangesInterceptor
{
    private const string Hidden = "(changed)";

    private sealed record Subject(string Type, Func<EntityEntry, string> Id, bool Part = false, params string[] Ignored);

    private static readonly string[] OperatorWork =
    [
        nameof(Operator.Status), nameof(Operator.StatusReason), nameof(Operator.StatusSince), nameof(Operator.Load), nameof(Operator.WrapUpUntil),
        nameof(Operator.IdleSince), nameof(Operator.LastAssignedAt), nameof(Operator.LastSeenAt), nameof(Operator.Version), nameof(Operator.UpdatedAt),
        nameof(Operator.NotifySound), nameof(Operator.NotifyDesktop),
    ];

    private static readonly Dictionary<Type, Subject> Subjects = new()
    {
        [typeof(Channel)] = new("channel", e => Key(e, nameof(Channel.Id)), false, nameof(Channel.UpdatedAt)),
        [typeof(SkillGroup)] = new("skill-group", e => Key(e, nameof(SkillGroup.Id)), false, nameof(SkillGroup.UpdatedAt)),
        [typeof(SkillGroupChannel)] = new("skill-group", e => Key(e, nameof(SkillGroupChannel.SkillGroupId)), true),
        [typeof(SkillGroupBranch)] = new("skill-group", e => Key(e, nameof(SkillGroupBranch.SkillGroupId)), true),
        [typeof(SkillGroupRegion)] = new("skill-group", e => Key(e, nameof(SkillGroupRegion.SkillGroupId)), true),
        [typeof(SkillGroupBackup)] = new("skill-group", e => Key(e, nameof(SkillGroupBackup.SkillGroupId)), true),
        [typeof(Branch)] = new("branch", e => Key(e, nameof(Branch.Id))),
        [typeof(Region)] = new("region", e => Key(e, nameof(Region.Id))),
        [typeof(RoutingRule)] = new("routing-rule", e => Key(e, nameof(RoutingRule.Id))),
        [typeof(StatusReason)] = new("status-reason", e => Key(e, nameof(StatusReason.Code))),
        [typeof(ReplyTemplate)] = new("template", e => Key(e, nameof(ReplyTemplate.Id)), false, nameof(ReplyTemplate.UsageCount), nameof(ReplyTemplate.UpdatedAt)),
        [typeof(MailSettingsRecord)] = new("mail-settings", _ => "smtp"),
        [typeof(Operator)] = new("user", e => Key(e, nameof(Operator.Id)), false, OperatorWork),
        [typeof(OperatorSkillGroup)] = new("user", e => Key(e, nameof(OperatorSkillGroup.OperatorId)), true, nameof(OperatorSkillGroup.LastAssignedAt)),
        [typeof(StaffUser)] = new("user", e => Key(e, nameof(StaffUser.Id)), false,
            nameof(StaffUser.SecurityStamp), nameof(StaffUser.ConcurrencyStamp), nameof(StaffUser.AccessFailedCount), nameof(StaffUser.NormalizedEmail),
            nameof(StaffUser.NormalizedUserName)),
        [typeof(IdentityUserRole<Guid>)] = new("user", e => Key(e, nameof(IdentityUserRole<>.UserId)), true),
        [typeof(IdentityRole<Guid>)] = new("role", e => Key(e, nameof(IdentityRole<>.Id)), false, nameof(IdentityRole<>.ConcurrencyStamp),
            nameof(IdentityRole<>.NormalizedName)),
        [typeof(IdentityRoleClaim<Guid>)] = new("role", e => Key(e, nameof(IdentityRoleClaim<>.RoleId)), true),
        [typeof(StaffVisibility)] = new("scope", e => Key(e, nameof(StaffVisibility.OwnerId)), false, nameof(StaffVisibility.UpdatedAt)),
        [typeof(ApiKey)] = new("api-key", e => Key(e, nameof(ApiKey.Id)), false, nameof(ApiKey.LastUsedAt)),
    };

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Record(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        Record(eventData.Context);
        return ValueTask.FromResult(result);
    }

    private void Record(DbContext? context)
    {
        if (context is not OmnichatDbContext { Visibility: { } actor } db)
        {
            return;
        }

        var changes = new Dictionary<(string Type, string Id), JsonObject>();
        foreach (var entry in db.ChangeTracker.Entries().ToList())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted)
                || !Subjects.TryGetValue(entry.Metadata.ClrType, out var subject))
            {
                continue;
            }

            var values = Describe(entry, subject);
            if (values is null)
            {
                continue;
            }

            var key = (subject.Type, subject.Id(entry));
            if (!changes.TryGetValue(key, out var details))
            {
                changes[key] = details = new JsonObject();
            }

            if (subject.Part)
            {
                var parts = (JsonArray)(details["parts"] ??= new JsonArray());
                values["part"] = entry.Metadata.ClrType.Name;
                values["change"] = entry.State == EntityState.Added ? "added" : entry.State == EntityState.Deleted ? "removed" : "changed";
                parts.Add(values);
            }
            else
            {
                details["change"] = entry.State == EntityState.Added ? "created" : entry.State == EntityState.Deleted ? "deleted" : "updated";
                foreach (var (name, value) in values.ToList())
                {
                    values.Remove(name);
                    details[name] = value;
                }
            }
        }

        if (changes.Count == 0)
        {
            return;
        }

        var who = actor.Actor;
        var now = time.GetUtcNow();
        foreach (var ((type, id), details) in changes)
        {
            var verb = details["change"]?.GetValue<string>() ?? "updated";
            db.AuditRecords.Add(AuditRecord.Create(who, type + "." + verb, type, id, null, null, details, now));
        }
    }

    /// <summary>Changed values as { name: { before, after } } (created: after only; deleted: before only); null when nothing audited changed.</summary>
    private static JsonObject? Describe(EntityEntry entry, Subject subject)
    {
        var values = new JsonObject();
        foreach (var p in entry.Properties)
        {
            var name = p.Metadata.Name;
            if (subject.Ignored.Contains(name) || p.Metadata.IsShadowProperty())
            {
                continue;
            }

            var secret = IsSecret(entry.Metadata.ClrType, name);
            switch (entry.State)
            {
                case EntityState.Added:
                    values[Camel(name)] = new JsonObject { ["after"] = Value(p.CurrentValue, secret) };
                    break;
                case EntityState.Deleted:
                    values[Camel(name)] = new JsonObject { ["before"] = Value(p.OriginalValue, secret) };
                    break;
                default:
                    if (p.IsModified && !Equals(Text(p.OriginalValue), Text(p.CurrentValue)))
                    {
                        values[Camel(name)] = new JsonObject { ["before"] = Value(p.OriginalValue, secret), ["after"] = Value(p.CurrentValue, secret) };
                    }

                    break;
            }
        }

        return values.Count == 0 && entry.State == EntityState.Modified ? null : values;
    }

    private static bool IsSecret(Type type, string name) =>
        name.Contains("Password", StringComparison.Ordinal) || name.Contains("Secret", StringComparison.Ordinal) || name.EndsWith("Hash", StringComparison.Ordinal)
        || name.Contains("Token", StringComparison.Ordinal) || (type == typeof(Channel) && name == nameof(Channel.Settings));

    private static JsonNode? Value(object? value, bool secret) =>
        secret ? (value is null ? null : Hidden) : value is null ? null : JsonValue.Create(Text(value));

    private static string? Text(object? value) => value switch
    {
        null => null,
        System.Collections.IEnumerable e and not string => string.Join(", ", e.Cast<object?>().Select(x => x?.ToString())),
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    private static string Key(EntityEntry e, string property) => Text(e.Property(property).CurrentValue ?? e.Property(property).OriginalValue) ?? "";

    private static string Camel(string name) => char.ToLowerInvariant(name[0]) + name[1..];
}
