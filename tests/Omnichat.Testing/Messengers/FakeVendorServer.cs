using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Omnichat.Testing.Messengers;

/// <summary>One request a fake vendor received: the method name (last path segment), headers, raw body and form fields.</summary>
public sealed record VendorRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body,
    IReadOnlyDictionary<string, string> Form, IReadOnlyDictionary<string, byte[]> Files, DateTimeOffset At);

/// <summary>A scripted answer for the next call(s) of a method: status, body, content type, delay.</summary>
public sealed record ScriptedAnswer(int Status, string Body, string ContentType = "application/json", TimeSpan? Delay = null);

/// <summary>
/// A vendor API as a small Kestrel app on a free loopback port: it records every request and answers through the
/// vendor's wire format; tests can script failures, delays and 429s for the next calls of a method.
/// </summary>
public abstract class FakeVendorServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<ScriptedAnswer>> _script = new();

    protected FakeVendorServer()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.Run(HandleAsync);
        _app.StartAsync().GetAwaiter().GetResult();
        BaseUrl = _app.Urls.First();
    }

    public string BaseUrl { get; }

    public ConcurrentQueue<VendorRequest> Requests { get; } = new();

    public IReadOnlyList<VendorRequest> Calls(string method) => Requests.Where(r => r.Method == method).ToList();

    /// <summary>The next <paramref name="times"/> calls of <paramref name="method"/> get this answer instead of the normal one.</summary>
    public void Script(string method, ScriptedAnswer answer, int times = 1)
    {
        var queue = _script.GetOrAdd(method, _ => new ConcurrentQueue<ScriptedAnswer>());
        for (var i = 0; i < times; i++)
        {
            queue.Enqueue(answer);
        }
    }

    /// <summary>Waits until <paramref name="count"/> calls of a method were recorded.</summary>
    public async Task<IReadOnlyList<VendorRequest>> WaitForAsync(string method, int count = 1, TimeSpan? timeout = null)
    {
        var deadline = TimeProvider.System.GetUtcNow() + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var calls = Calls(method);
            if (calls.Count >= count)
            {
                return calls;
            }

            if (TimeProvider.System.GetUtcNow() > deadline)
            {
                throw new TimeoutException($"{GetType().Name}: expected {count} call(s) of {method}, got {calls.Count}.");
            }

            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>The vendor's method name for a request path.</summary>
    protected virtual string MethodOf(HttpRequest request) => request.Path.Value?.Split('/', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "";

    /// <summary>The vendor's normal answer.</summary>
    protected abstract Task AnswerAsync(HttpContext context, VendorRequest request);

    private async Task HandleAsync(HttpContext context)
    {
        var form = new Dictionary<string, string>();
        var files = new Dictionary<string, byte[]>();
        string body;
        if (context.Request.HasFormContentType)
        {
            var read = await context.Request.ReadFormAsync();
            foreach (var (k, v) in read)
            {
                form[k] = v.ToString();
            }

            foreach (var f in read.Files)
            {
                using var ms = new MemoryStream();
                await f.CopyToAsync(ms);
                files[f.Name] = ms.ToArray();
                form[f.Name + ".filename"] = f.FileName;
            }

            body = string.Join("&", form.Select(kv => kv.Key + "=" + kv.Value));
        }
        else
        {
            using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
            body = await reader.ReadToEndAsync();
        }

        foreach (var (k, v) in context.Request.Query)
        {
            form.TryAdd(k, v.ToString());
        }

        var request = new VendorRequest(MethodOf(context.Request), context.Request.Path.Value ?? "",
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), body, form, files, TimeProvider.System.GetUtcNow());
        Requests.Enqueue(request);
        if (_script.TryGetValue(request.Method, out var queue) && queue.TryDequeue(out var scripted))
        {
            if (scripted.Delay is { } delay)
            {
                await Task.Delay(delay);
            }

            context.Response.StatusCode = scripted.Status;
            context.Response.ContentType = scripted.ContentType;
            await context.Response.WriteAsync(scripted.Body);
            return;
        }

        await AnswerAsync(context, request);
    }

    protected static Task JsonAsync(HttpContext context, string json, int status = 200)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(json);
    }
}
