using System.Net;
using System.Text.Json;

namespace Omnichat.Client;

/// <summary>
/// A failed Omnichat call. For an answer of the server it carries the ProblemDetails
/// (<see cref="Status"/>, <see cref="Title"/>, <see cref="Detail"/>, the invalid <see cref="Field"/> and all
/// <see cref="Errors"/>); for a network failure or timeout <see cref="Status"/> is <see langword="null"/> and
/// <see cref="IsTransient"/> is true.
/// </summary>
public sealed class OmnichatClientException : Exception
{
    private static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> NoErrors = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>Creates an exception with a generic message.</summary>
    public OmnichatClientException()
        : this("The Omnichat request failed.")
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    public OmnichatClientException(string message)
        : base(message)
    {
        Errors = NoErrors;
    }

    /// <summary>Creates an exception with a message and its cause.</summary>
    public OmnichatClientException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = NoErrors;
    }

    private OmnichatClientException(
        string message, int? status, string? title, string? detail, string? field,
        IReadOnlyDictionary<string, IReadOnlyList<string>> errors, string? traceId, Exception? innerException)
        : base(message, innerException)
    {
        Status = status;
        Title = title;
        Detail = detail;
        Field = field;
        Errors = errors;
        TraceId = traceId;
    }

    /// <summary>HTTP status of the server's answer; <see langword="null"/> when no answer came (network failure, timeout).</summary>
    public int? Status { get; }

    /// <summary>ProblemDetails <c>title</c>.</summary>
    public string? Title { get; }

    /// <summary>ProblemDetails <c>detail</c>.</summary>
    public string? Detail { get; }

    /// <summary>
    /// The field the server (or the SDK's own check) refused, as a JSON path of the request
    /// (<c>text</c>, <c>clientMessageId</c>, <c>email</c>, <c>user.userHash</c>): the first key of
    /// <see cref="Errors"/>, else the ProblemDetails <c>field</c> extension.
    /// </summary>
    public string? Field { get; }

    /// <summary>Every invalid field with its messages (ValidationProblemDetails <c>errors</c>).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Errors { get; }

    /// <summary>The server's trace id, for support.</summary>
    public string? TraceId { get; }

    /// <summary>
    /// True when trying again later may succeed: no answer (network, timeout), <c>5xx</c>, <c>408</c>,
    /// <c>429</c>. Any other <c>4xx</c> will fail the same way again.
    /// </summary>
    public bool IsTransient => Status is null or >= 500 or 408 or 429;

    /// <summary>True when the server refused to start the session (not a problem of the message being sent).</summary>
    internal bool IsSessionFailure { get; private init; }

    internal static OmnichatClientException Network(Exception cause) =>
        new($"The Omnichat server could not be reached: {cause.Message}", null, null, null, null, NoErrors, null, cause);

    internal static OmnichatClientException Invalid(string field, string message) =>
        new(message, (int)HttpStatusCode.BadRequest, "One or more fields are invalid.", null, field,
            new Dictionary<string, IReadOnlyList<string>> { [field] = [message] }, null, null);

    internal OmnichatClientException AsSessionFailure() =>
        new(Message, Status, Title, Detail, Field, Errors, TraceId, InnerException) { IsSessionFailure = true };

    /// <summary>Reads the ProblemDetails of a failed response (any body that is not one still gives the status).</summary>
    internal static async Task<OmnichatClientException> FromResponseAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        string? title = null, detail = null, field = null, traceId = null;
        var errors = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        try
        {
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            if (body.Length > 0)
            {
                using var json = JsonDocument.Parse(body);
                var root = json.RootElement;
                if (root.ValueKind == JsonValueKind.Object)
                {
                    title = StringOf(root, "title");
                    detail = StringOf(root, "detail");
                    traceId = StringOf(root, "traceId");
                    field = StringOf(root, "field");
                    if (root.TryGetProperty("errors", out var e) && e.ValueKind == JsonValueKind.Object)
                    {
                        foreach (var p in e.EnumerateObject())
                        {
                            errors[p.Name] = p.Value.ValueKind == JsonValueKind.Array
                                ? [.. p.Value.EnumerateArray().Where(m => m.ValueKind == JsonValueKind.String).Select(m => m.GetString()!)]
                                : [];
                        }
                    }
                }
            }
        }
        catch (JsonException)
        {
            // Not ProblemDetails (a proxy's HTML page, say): the status is all there is.
        }

        var firstField = errors.Keys.FirstOrDefault();
        var message = detail
            ?? (firstField is not null && errors[firstField] is [var first, ..] ? first : null)
            ?? title
            ?? $"The Omnichat server answered {status} {response.ReasonPhrase}.";
        return new OmnichatClientException(message, status, title, detail, firstField ?? field, errors, traceId, null);
    }

    private static string? StringOf(JsonElement root, string name) =>
        root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
