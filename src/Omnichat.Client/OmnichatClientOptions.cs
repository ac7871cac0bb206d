using Microsoft.Extensions.Logging;

namespace Omnichat.Client;

/// <summary>Settings of an <see cref="OmnichatClient"/>.</summary>
public sealed class OmnichatClientOptions
{
    /// <summary>The Omnichat server, e.g. <c>https://chat.example.com/</c> (a path base is kept). Required.</summary>
    public Uri? ServerUri { get; set; }

    /// <summary>The channel's public key (shown to administrators when the channel is created). Required.</summary>
    public string ChannelKey { get; set; } = "";

    /// <summary>Optional verified identity (external id + user hash from your back end) and contacts.</summary>
    public OmnichatUser? User { get; set; }

    /// <summary>The user's language (<c>ru</c>, <c>en</c>): used for e-mails such as the transcript.</summary>
    public string? Locale { get; set; }

    /// <summary>
    /// Where the visitor id, the session token, the last seen message and the offline queue survive app
    /// restarts. Default: <see cref="InMemoryOmnichatStore"/> (nothing survives). In a .NET MAUI app use
    /// <c>new FileOmnichatStore(FileSystem.AppDataDirectory)</c>.
    /// </summary>
    public IOmnichatStore? Store { get; set; }

    /// <summary>
    /// Handler for the REST calls (tests, proxies, certificate pinning). Not disposed by the client.
    /// Default: the platform's handler (<c>new HttpClient()</c>). The realtime connection uses its own.
    /// </summary>
    public HttpMessageHandler? HttpMessageHandler { get; set; }

    /// <summary>Clock for token expiry, message timestamps and retry delays.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Optional logging (the SignalR connection logs through it too).</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>Connect the realtime hub (<c>/hubs/client</c>). Without it, call <see cref="OmnichatClient.CatchUpAsync"/> yourself (e.g. on a push notification).</summary>
    public bool EnableRealtime { get; set; } = true;

    /// <summary>First delay before retrying after a network failure; it doubles up to <see cref="RetryMaxDelay"/>.</summary>
    public TimeSpan RetryInitialDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest delay between retries. Retries never stop while the client runs.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Timeout of one REST call.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
