using System.Text.Json;

namespace Omnichat.Client.Tests;

/// <summary>The two stores keep the same contract; the file store survives a new instance and writes atomically.</summary>
public sealed class StoreTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"omnichat-store-{Guid.NewGuid():N}");

    public static TheoryData<string> Kinds => ["memory", "file"];

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Store_KeepsValuesAndAnOrderedQueue_WithoutDuplicates(string kind)
    {
        var store = Create(kind);
        var ct = TestContext.Current.CancellationToken;
        Assert.Null(await store.GetValueAsync("k", ct));
        await store.SetValueAsync("k", "v1", ct);
        await store.SetValueAsync("k", "v2", ct);
        Assert.Equal("v2", await store.GetValueAsync("k", ct));
        await store.SetValueAsync("k", null, ct);
        Assert.Null(await store.GetValueAsync("k", ct));

        var a = Pending("a");
        var b = Pending("b");
        var c = Pending("c");
        await store.EnqueueAsync("q", a, ct);
        await store.EnqueueAsync("q", b, ct);
        await store.EnqueueAsync("q", a with { Text = "resent" }, ct);
        await store.EnqueueAsync("q", c, ct);
        await store.EnqueueAsync("other", Pending("x"), ct);

        Assert.Equal(["a", "b", "c"], (await store.GetQueueAsync("q", ct)).Select(p => p.ClientMessageId));
        Assert.Equal("text a", (await store.GetQueueAsync("q", ct))[0].Text);
        Assert.True(await store.RemoveFromQueueAsync("q", "b", ct));
        Assert.False(await store.RemoveFromQueueAsync("q", "b", ct));
        Assert.Equal([a, c], await store.GetQueueAsync("q", ct));
        Assert.Single(await store.GetQueueAsync("other", ct));
        Assert.Empty(await store.GetQueueAsync("none", ct));
        (store as IDisposable)?.Dispose();
    }

    [Fact]
    public async Task FileStore_ANewInstanceSeesEverything_AndNoTemporaryFileIsLeft()
    {
        var ct = TestContext.Current.CancellationToken;
        using (var store = new FileOmnichatStore(_folder))
        {
            await store.SetValueAsync("omnichat:k:visitor", "visitor-1", ct);
            await Task.WhenAll(Enumerable.Range(0, 20).Select(i => store.EnqueueAsync("q", Pending($"m{i:00}"), ct)));
            await store.RemoveFromQueueAsync("q", "m05", ct);
        }

        Assert.Equal([Path.Combine(_folder, FileOmnichatStore.DefaultFileName)], Directory.GetFiles(_folder));
        using (var reopened = new FileOmnichatStore(_folder))
        {
            Assert.Equal("visitor-1", await reopened.GetValueAsync("omnichat:k:visitor", ct));
            var queue = await reopened.GetQueueAsync("q", ct);
            Assert.Equal(19, queue.Count);
            Assert.DoesNotContain(queue, p => p.ClientMessageId == "m05");
            Assert.Equal(queue.Select(p => p.ClientMessageId).Distinct().Count(), queue.Count);
        }

        // The file is plain JSON an engineer can read.
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_folder, FileOmnichatStore.DefaultFileName), ct));
        Assert.Equal("visitor-1", json.RootElement.GetProperty("values").GetProperty("omnichat:k:visitor").GetString());
    }

    [Fact]
    public async Task FileStore_ACorruptFileIsSetAside_AndALeftoverTempFileRemoved()
    {
        var ct = TestContext.Current.CancellationToken;
        Directory.CreateDirectory(_folder);
        var path = Path.Combine(_folder, FileOmnichatStore.DefaultFileName);
        await File.WriteAllTextAsync(path, "{\"values\": {\"k\": ", ct);
        await File.WriteAllTextAsync(path + ".0123.tmp", "half a write", ct);

        using var store = new FileOmnichatStore(_folder);
        Assert.Null(await store.GetValueAsync("k", ct));
        await store.SetValueAsync("k", "fresh", ct);

        Assert.True(File.Exists(path + ".corrupt"));
        Assert.False(File.Exists(path + ".0123.tmp"));
        using var reopened = new FileOmnichatStore(_folder);
        Assert.Equal("fresh", await reopened.GetValueAsync("k", ct));
    }

    private IOmnichatStore Create(string kind) => kind == "file" ? new FileOmnichatStore(_folder) : new InMemoryOmnichatStore();

    private static PendingMessage Pending(string id) =>
        new() { ClientMessageId = id, Text = "text " + id, CreatedAt = new DateTimeOffset(2026, 11, 27, 9, 0, 0, TimeSpan.Zero) };
}
