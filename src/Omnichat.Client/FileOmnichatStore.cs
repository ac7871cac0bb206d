using System.Text.Json;
using Omnichat.Client.Internal;

namespace Omnichat.Client;

/// <summary>
/// Keeps the SDK's values and offline queue in one small JSON file in a folder — in a .NET MAUI app pass
/// <c>FileSystem.AppDataDirectory</c>. Every change is written to a temporary file in the same folder,
/// flushed to disk and then renamed over the previous file, so a crash or power loss leaves either the old
/// or the new content, never a torn file. A file that cannot be read is kept aside as <c>*.corrupt</c> and
/// the store starts empty. Use one instance per file within a process (the content is cached).
/// </summary>
public sealed class FileOmnichatStore : IOmnichatStore, IDisposable
{
    /// <summary>File name used when none is given.</summary>
    public const string DefaultFileName = "omnichat-store.json";

    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly string _folder;
    private readonly string _fileName;
    private FileStoreState? _state;

    /// <summary>A store in <paramref name="folder"/> (created on the first write) in the file <paramref name="fileName"/>.</summary>
    public FileOmnichatStore(string folder, string fileName = DefaultFileName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        ArgumentException.ThrowIfNullOrWhiteSpace(fileName);
        if (fileName.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || fileName.Contains(Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException("A file name without a folder is expected.", nameof(fileName));
        }

        _folder = Path.GetFullPath(folder);
        _fileName = fileName;
        FilePath = Path.Combine(_folder, fileName);
    }

    /// <summary>Full path of the JSON file.</summary>
    public string FilePath { get; }

    /// <inheritdoc />
    public async Task<string?> GetValueAsync(string key, CancellationToken cancellationToken = default)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var state = await LoadAsync(cancellationToken).ConfigureAwait(false);
            return state.Values.TryGetValue(key, out var value) ? value : null;
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <inheritdoc />
    public Task SetValueAsync(string key, string? value, CancellationToken cancellationToken = default) =>
        ChangeAsync(state =>
        {
            if (value is null)
            {
                return state.Values.Remove(key);
            }

            if (state.Values.TryGetValue(key, out var old) && old == value)
            {
                return false;
            }

            state.Values[key] = value;
            return true;
        }, cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyList<PendingMessage>> GetQueueAsync(string queue, CancellationToken cancellationToken = default)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var state = await LoadAsync(cancellationToken).ConfigureAwait(false);
            return state.Queues.TryGetValue(queue, out var list) ? [.. list] : [];
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <inheritdoc />
    public Task EnqueueAsync(string queue, PendingMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        return ChangeAsync(state =>
        {
            if (!state.Queues.TryGetValue(queue, out var list))
            {
                state.Queues[queue] = list = [];
            }

            if (list.Exists(m => m.ClientMessageId == message.ClientMessageId))
            {
                return false;
            }

            list.Add(message);
            return true;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<bool> RemoveFromQueueAsync(string queue, string clientMessageId, CancellationToken cancellationToken = default)
    {
        var removed = false;
        await ChangeAsync(state =>
        {
            removed = state.Queues.TryGetValue(queue, out var list) && list.RemoveAll(m => m.ClientMessageId == clientMessageId) > 0;
            if (removed && list!.Count == 0)
            {
                state.Queues.Remove(queue);
            }

            return removed;
        }, cancellationToken).ConfigureAwait(false);
        return removed;
    }

    /// <inheritdoc />
    public void Dispose() => _lock.Dispose();

    /// <summary>Applies a change to a copy and, when something changed, writes it before it becomes the content.</summary>
    private async Task ChangeAsync(Func<FileStoreState, bool> change, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var next = Copy(await LoadAsync(cancellationToken).ConfigureAwait(false));
            if (change(next))
            {
                // Once started, a write is not abandoned half-way: the caller's token only covered the wait.
                await WriteAsync(next).ConfigureAwait(false);
                _state = next;
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    private async Task<FileStoreState> LoadAsync(CancellationToken cancellationToken)
    {
        if (_state is not null)
        {
            return _state;
        }

        DeleteLeftoverTempFiles();
        if (!File.Exists(FilePath))
        {
            return _state = new FileStoreState();
        }

        try
        {
            var stream = new FileStream(FilePath, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, useAsync: true);
            await using (stream.ConfigureAwait(false))
            {
                var state = await JsonSerializer.DeserializeAsync(stream, OmnichatJsonContext.Default.FileStoreState, cancellationToken).ConfigureAwait(false);
                return _state = Normalise(state);
            }
        }
        catch (JsonException)
        {
            // Unreadable (edited by hand, written by something else): keep it for inspection, start empty.
            File.Move(FilePath, FilePath + ".corrupt", overwrite: true);
            return _state = new FileStoreState();
        }
    }

    private async Task WriteAsync(FileStoreState state)
    {
        Directory.CreateDirectory(_folder);
        var temp = Path.Combine(_folder, $"{_fileName}.{Guid.NewGuid():N}.tmp");
        try
        {
            var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, useAsync: true);
            await using (stream.ConfigureAwait(false))
            {
                await JsonSerializer.SerializeAsync(stream, state, OmnichatJsonContext.Default.FileStoreState).ConfigureAwait(false);
                await stream.FlushAsync().ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, FilePath, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    private void DeleteLeftoverTempFiles()
    {
        if (!Directory.Exists(_folder))
        {
            return;
        }

        foreach (var file in Directory.EnumerateFiles(_folder, _fileName + ".*.tmp"))
        {
            TryDelete(file);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp file is removed on the next start.
        }
        catch (UnauthorizedAccessException)
        {
            // Same.
        }
    }

    private static FileStoreState Normalise(FileStoreState? state)
    {
        var result = new FileStoreState();
        if (state is null)
        {
            return result;
        }

        foreach (var (key, value) in state.Values ?? [])
        {
            if (value is not null)
            {
                result.Values[key] = value;
            }
        }

        foreach (var (queue, list) in state.Queues ?? [])
        {
            if (list is { Count: > 0 })
            {
                result.Queues[queue] = [.. list.Where(m => m is not null)];
            }
        }

        return result;
    }

    private static FileStoreState Copy(FileStoreState state)
    {
        var copy = new FileStoreState();
        foreach (var (key, value) in state.Values)
        {
            copy.Values[key] = value;
        }

        foreach (var (queue, list) in state.Queues)
        {
            copy.Queues[queue] = [.. list];
        }

        return copy;
    }
}
