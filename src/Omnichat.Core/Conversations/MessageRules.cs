using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Conversations;

internal static class MessageRules
{
    /// <summary>Message text up to the configured length; it may be empty only when the message carries files.</summary>
    public static void OptionalText<T>(IRuleBuilder<T, string?> rule, int maxLength, Func<T, bool> hasFiles) =>
        rule.Must((request, text) => hasFiles(request) || !string.IsNullOrWhiteSpace(text)).WithMessage("'text' must not be empty.")
            .MaximumLength(maxLength).WithMessage($"'text' must be at most {maxLength} characters.");

    public static void ClientMessageId<T>(IRuleBuilder<T, string?> rule) =>
        rule.NotEmpty().MaximumLength(Message.MaxClientMessageIdLength)
            .Matches("^[A-Za-z0-9._:-]+$").WithMessage("'clientMessageId' may contain letters, digits and . _ : - only.");

    /// <summary>
    /// Runs an append with retries: a concurrent append to the same conversation (version conflict) or a
    /// racing first message (one-open-conversation index) makes the losing attempt start over on fresh data.
    /// </summary>
    public static async Task<T> WithConflictRetryAsync<T>(OmnichatDbContext db, Func<CancellationToken, Task<T>> attempt, CancellationToken cancellationToken)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        for (var i = 1; ; i++)
        {
            db.ChangeTracker.Clear();
            try
            {
                return await strategy.ExecuteAsync(attempt, cancellationToken);
            }
            catch (DbUpdateException) when (i < 8)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(5 * i * i), cancellationToken);
            }
        }
    }

    public static Task<Message?> FindBySenderKeyAsync(OmnichatDbContext db, string authorId, string clientMessageId, CancellationToken cancellationToken) =>
        db.Messages.AsNoTracking().Include(m => m.Attachments)
            .FirstOrDefaultAsync(m => m.AuthorId == authorId && m.ClientMessageId == clientMessageId, cancellationToken);
}
