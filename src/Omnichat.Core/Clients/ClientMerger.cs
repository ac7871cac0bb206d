using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Audit;
using Omnichat.Core.Conversations;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Clients;

/// <summary>
/// Joins two clients that are one person (C4): the merged client's conversations, identities, push devices
/// and unsent uploads move to the survivor in one transaction with the audit record and the
/// <see cref="ClientsMerged"/> event. Used by an operator's merge, a confirmed phone or e-mail and a
/// verified sign-in of an anonymous visitor.
/// </summary>
internal static class ClientMerger
{
    public const string ClientSubject = "client";
    public const string MergeAction = "client.merge";
    public const string SplitAction = "client.split";

    /// <summary>Why the clients were joined, kept in the audit record.</summary>
    public enum Trigger
    {
        Operator,
        ConfirmedPhone,
        ConfirmedEmail,
        VerifiedUser,
    }

    public sealed record Snapshot(Guid Id, string? DisplayName, string? Phone, bool PhoneConfirmed, string? Email, bool EmailConfirmed, IReadOnlyList<string> Identities)
    {
        public static Snapshot Of(Client c) => new(c.Id.Value, c.DisplayName, c.Phone, c.PhoneConfirmed, c.Email, c.EmailConfirmed,
            c.Identities.OrderBy(i => i.CreatedAt).Select(i => $"{i.ChannelKind.ToString().ToLowerInvariant()}:{i.ExternalId}").ToList());
    }

    /// <summary>
    /// Merges <paramref name="mergedId"/> into <paramref name="survivorId"/>; runs inside the caller's
    /// execution strategy and opens a transaction unless one is open. Refused (409) when both clients have an
    /// open conversation in the same channel, or when the merged client is already merged.
    /// </summary>
    public static async Task<IReadOnlyList<Guid>> MergeAsync(OmnichatDbContext db, ClientId survivorId, ClientId mergedId, Actor actor, Trigger trigger,
        string? reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (survivorId == mergedId)
        {
            throw new FieldValidationException("clientId", "A client cannot be merged with itself.");
        }

        var own = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        try
        {
            var clients = await db.Clients.Include(c => c.Identities).Where(c => c.Id == survivorId || c.Id == mergedId).ToListAsync(cancellationToken);
            var survivor = clients.Find(c => c.Id == survivorId) ?? throw new NotFoundException("Client", survivorId);
            var merged = clients.Find(c => c.Id == mergedId) ?? throw new NotFoundException("Client", mergedId);
            if (merged.MergedIntoId is not null || survivor.MergedIntoId is not null)
            {
                throw new ConflictException("This client has already been merged into another one.", "clientId");
            }

            var open = await db.Conversations.IgnoreQueryFilters()
                .Where(c => (c.ClientId == survivorId || c.ClientId == mergedId) && c.Status != ConversationStatus.Closed && c.Status != ConversationStatus.Rated)
                .Select(c => new { c.ClientId, c.ChannelId }).ToListAsync(cancellationToken);
            if (open.GroupBy(o => o.ChannelId).Any(g => g.Select(o => o.ClientId).Distinct().Count() > 1))
            {
                throw new ConflictException("Both clients have an open conversation in the same channel; close one of them first.", "clientId");
            }

            // Claim the merged client first: of two merges racing for it, the second finds it taken (PostgreSQL
            // makes it wait for the first's row lock, then re-checks the condition).
            if (await db.Clients.Where(c => c.Id == mergedId && c.MergedIntoId == null)
                    .ExecuteUpdateAsync(s => s.SetProperty(c => c.MergedIntoId, (ClientId?)survivorId), cancellationToken) != 1)
            {
                throw new ConflictException("This client has already been merged into another one.", "clientId");
            }

            var moved = await db.Conversations.IgnoreQueryFilters().Where(c => c.ClientId == mergedId).OrderBy(c => c.CreatedAt).Select(c => c.Id.Value).ToListAsync(cancellationToken);
            var details = new { trigger = trigger.ToString(), survivor = Snapshot.Of(survivor), merged = Snapshot.Of(merged), conversations = moved };
            merged.MergeInto(survivor, now);
            db.Add(AuditRecord.Create(actor, MergeAction, ClientSubject, survivorId.ToString(), mergedId.ToString(), reason, details, now));
            await db.SaveChangesAsync(cancellationToken);
            await MoveOwnedRowsAsync(db, mergedId, survivorId, null, cancellationToken);
            if (own is not null)
            {
                await own.CommitAsync(cancellationToken);
            }

            return moved;
        }
        finally
        {
            if (own is not null)
            {
                await own.DisposeAsync();
            }
        }
    }

    /// <summary>Moves conversations (all, or <paramref name="only"/>), push devices and unsent uploads from one client to another.</summary>
    public static async Task MoveOwnedRowsAsync(OmnichatDbContext db, ClientId from, ClientId to, IReadOnlyCollection<ConversationId>? only, CancellationToken cancellationToken)
    {
        var conversations = db.Conversations.IgnoreQueryFilters().Where(c => c.ClientId == from);
        if (only is not null)
        {
            conversations = conversations.Where(c => only.Contains(c.Id));
        }

        try
        {
            await conversations.ExecuteUpdateAsync(s => s.SetProperty(c => c.ClientId, to).SetProperty(c => c.Version, c => c.Version + 1), cancellationToken);
        }
        catch (DbException)
        {
            // A conversation opened for the old client since the check: the one-open-per-channel index refused the move.
            throw new ConflictException("The client has just opened a conversation in the same channel; try again.", "clientId");
        }

        if (only is not null)
        {
            return;
        }

        await db.PushDevices.Where(d => d.ClientId == from && db.PushDevices.Any(o => o.ClientId == to && o.Token == d.Token)).ExecuteDeleteAsync(cancellationToken);
        await db.PushDevices.Where(d => d.ClientId == from).ExecuteUpdateAsync(s => s.SetProperty(d => d.ClientId, to), cancellationToken);
        var (fromText, toText) = (from.ToString(), to.ToString());
        await db.Set<MessageAttachment>().Where(a => a.MessageId == null && a.UploadedByKind == ActorKind.Client && a.UploadedBy == fromText)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.UploadedBy, toText), cancellationToken);
    }
}
