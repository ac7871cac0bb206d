using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Omnichat.Core.Conversations;
using Omnichat.Core.Kernel;

namespace Omnichat.Core.Files;

/// <summary>Deletes uploads that were never sent in a message within <see cref="FilesOptions.UnsentLifetime"/> (row and bytes).</summary>
public sealed class DeleteUnsentUploads(OmnichatDbContext db, IFileStorage storage, TimeProvider time, IOptions<OmnichatOptions> options)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var before = time.GetUtcNow() - options.Value.Files.UnsentLifetime;
        var stale = await db.Set<MessageAttachment>().Where(a => a.MessageId == null && a.CreatedAt < before)
            .OrderBy(a => a.CreatedAt).Take(500).ToListAsync(cancellationToken);
        foreach (var a in stale)
        {
            // The row goes first: a file being sent right now keeps its row (the update below loses the race).
            var deleted = await db.Set<MessageAttachment>().Where(x => x.Id == a.Id && x.MessageId == null).ExecuteDeleteAsync(cancellationToken);
            if (deleted == 0)
            {
                continue;
            }

            await storage.DeleteAsync(a.StorageKey, cancellationToken);
            if (a.PreviewKey is { } preview)
            {
                await storage.DeleteAsync(preview, cancellationToken);
            }
        }

        return stale.Count;
    }
}

/// <summary>Runs <see cref="DeleteUnsentUploads"/> every ten minutes on worker nodes.</summary>
public sealed partial class DeleteUnsentUploadsService(IServiceScopeFactory scopes, TimeProvider time, ILogger<DeleteUnsentUploadsService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<DeleteUnsentUploads>().RunAsync(stoppingToken);
                await Task.Delay(TimeSpan.FromMinutes(10), time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogFailed(logger, ex);
                await Task.Delay(TimeSpan.FromMinutes(1), time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Deleting unsent uploads failed; trying again in a minute")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
