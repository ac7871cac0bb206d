using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Omnichat.Core.Kernel;
using Omnichat.Testing;

namespace Omnichat.Server.Tests.Infrastructure;

/// <summary>
/// Base of the API suites: each concrete class picks a provider, so the same tests run on SQLite and
/// on PostgreSQL. One server and database per test class.
/// </summary>
public abstract class ApiTestBase(DatabaseProvider provider) : IAsyncLifetime
{
    private OmnichatApp? _app;

    protected OmnichatApp App => _app ?? throw new InvalidOperationException("Not initialised.");

    protected DatabaseProvider Provider { get; } = provider;

    public async ValueTask InitializeAsync()
    {
        var database = await TestDatabase.CreateAsync(Provider);
        _app = new OmnichatApp(database);
        Configure(_app);
        _ = App.Server; // start now: migrations and bootstrap run here
    }

    /// <summary>Per-suite settings, applied before the server starts.</summary>
    protected virtual void Configure(OmnichatApp app)
    {
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    protected static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>();

    /// <summary>Asserts a ProblemDetails response with the given status; returns its body.</summary>
    protected static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await ReadJsonAsync(response);
        Assert.Equal((int)status, body.GetProperty("status").GetInt32());
        return body;
    }

    /// <summary>Asserts a 400 ValidationProblemDetails naming <paramref name="field"/>; returns the field's message.</summary>
    protected static async Task<string> AssertInvalidFieldAsync(HttpResponseMessage response, string field)
    {
        var body = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        var errors = body.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var messages), $"Expected an error for '{field}', got: {errors}");
        return messages[0].GetString() ?? "";
    }
}
