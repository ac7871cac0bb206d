using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Omnichat.Core.Channels.Messengers;

namespace Omnichat.Channels.Shared;

/// <summary>What every adapter needs: the named HTTP client, constant-time signature checks, tolerant JSON.</summary>
public static class VendorHttp
{
    public const string ClientName = "omnichat-messengers";

    /// <summary>Lowercase hex HMAC-SHA256 of the raw bytes.</summary>
    public static string HmacSha256Hex(string key, ReadOnlySpan<byte> body) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), body));

    /// <summary>Compares two secrets in time independent of where they differ.</summary>
    public static bool SecretEquals(string? given, string expected) =>
        given is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));

    public static string? Header(IReadOnlyDictionary<string, string> headers, string name) =>
        headers.TryGetValue(name, out var value) ? value : headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    /// <summary>Parses a JSON object; null for anything else (malformed, an array, empty).</summary>
    public static JsonObject? ParseObject(ReadOnlySpan<byte> body)
    {
        try
        {
            return JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static JsonObject? ParseObject(string json)
    {
        try
        {
            return JsonNode.Parse(json) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static string? Str(this JsonNode? node, string name) =>
        node is JsonObject o && o.TryGetPropertyValue(name, out var v) && v is JsonValue value
            ? value.GetValueKind() switch
            {
                JsonValueKind.String => value.GetValue<string>(),
                JsonValueKind.Number => value.ToJsonString(),
                _ => null,
            }
            : null;

    /// <summary>An integer (ids exceed 32 bits), given as a JSON number or a string.</summary>
    public static long? Whole(this JsonNode? node, string name) =>
        node.Str(name) is { } s && long.TryParse(s, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var l) ? l : null;

    public static double? Number(this JsonNode? node, string name) =>
        node is JsonObject o && o.TryGetPropertyValue(name, out var v) && v is JsonValue value && value.TryGetValue<double>(out var d) ? d : null;

    public static JsonObject? Obj(this JsonNode? node, string name) =>
        node is JsonObject o && o.TryGetPropertyValue(name, out var v) ? v as JsonObject : null;

    public static JsonArray? Arr(this JsonNode? node, string name) =>
        node is JsonObject o && o.TryGetPropertyValue(name, out var v) ? v as JsonArray : null;

    /// <summary>A base URL from the channel settings (for a self-hosted gateway or a test fake), else the vendor's.</summary>
    public static Uri BaseUrl(MessengerChannel channel, string vendorDefault) =>
        new((channel.Setting("apiBaseUrl") is { Length: > 0 } custom ? custom : vendorDefault).TrimEnd('/') + "/");

    public static bool IsAbsoluteHttpUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http";

    /// <summary>
    /// A failure of the call itself — network, connection, the per-call timeout, an unreadable answer — as opposed to
    /// the caller cancelling: temporary, worth a retry.
    /// </summary>
    public static bool IsTransportFailure(Exception ex, CancellationToken cancellationToken) =>
        ex is HttpRequestException or IOException or JsonException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    /// <summary>Network errors, timeouts and 5xx can succeed later.</summary>
    public static bool IsTemporary(HttpStatusCode status) => (int)status >= 500 || status == HttpStatusCode.TooManyRequests || status == HttpStatusCode.RequestTimeout;

    /// <summary>The <c>Retry-After</c> header as a delay (seconds form; a date is judged against the response's own Date).</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response) =>
        response.Headers.RetryAfter is { Delta: { } delta } ? delta
        : response.Headers.RetryAfter is { Date: { } date } && response.Headers.Date is { } now ? date - now
        : null;

    public static StreamContent FileContent(Stream stream, string contentType)
    {
        var content = new StreamContent(stream);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return content;
    }

    /// <summary>
    /// Fetches an inbound file the vendor gave by URL: null when it is gone (4xx), an exception to retry later on
    /// 5xx and network errors. The name is the declared one, else the URL's last segment.
    /// </summary>
    public static async Task<DownloadedFile?> DownloadByUrlAsync(IHttpClientFactory http, InboundFile file, string vendor, CancellationToken cancellationToken)
    {
        if (!IsAbsoluteHttpUrl(file.Reference))
        {
            return null;
        }

        var response = await http.CreateClient(ClientName).GetAsync(new Uri(file.Reference), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            response.Dispose();
            return IsTemporary(response.StatusCode) ? throw new IOException($"{vendor} file: HTTP {(int)response.StatusCode}") : null;
        }

        var name = file.FileName ?? Path.GetFileName(new Uri(file.Reference).AbsolutePath);
        return new DownloadedFile(string.IsNullOrEmpty(name) ? "file" : name, await response.Content.ReadAsStreamAsync(cancellationToken));
    }

    /// <summary>A cancellation token for one call: the caller's, limited by the per-call timeout.</summary>
    public static CancellationTokenSource Timeout(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        return cts;
    }
}
