using Omnichat.Core.Kernel;

namespace Omnichat.Core.Push;

/// <summary>A mobile app installation of a client that can receive push notifications (token from FCM, APNs or another service).</summary>
public sealed class PushDevice
{
    public const int MaxTokenLength = 4096;
    public static readonly IReadOnlyList<string> Platforms = ["fcm", "apns", "other"];

    public long Id { get; set; }

    public ClientId ClientId { get; set; }

    public string Platform { get; set; } = "";

    public string Token { get; set; } = "";

    public DateTimeOffset RegisteredAt { get; set; }
}

/// <summary>Where pushes go: the company's own push sender (which holds the FCM/APNs credentials).</summary>
public sealed class PushOptions
{
    public const string Section = "Omnichat:Push";

    /// <summary>The push gateway webhook (empty: push is off).</summary>
    public Uri? GatewayUrl { get; set; }

    /// <summary>Key of the HMAC-SHA256 signature in <c>X-Omnichat-Signature</c>.</summary>
    public string? Secret { get; set; }

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
}
