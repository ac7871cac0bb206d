using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Omnichat.Client;

/// <summary>
/// The Omnichat customer chat for .NET apps (client protocol v1, see docs/client-protocol.md): one client of
/// one channel. It mirrors the TypeScript SDK of the website widget.
/// <list type="bullet">
/// <item>Sessions: the visitor id and token are kept in the <see cref="IOmnichatStore"/>, so the same client
/// (and its open conversation) continues after an app restart; an expired or refused token is re-issued.</item>
/// <item>Sending is idempotent: every message gets a <c>clientMessageId</c> and is written to the offline queue
/// in the store before it is sent; the queue is sent in order when the server is reachable again — also by
/// a new client over the same store after a restart — and the server never stores a message twice.</item>
/// <item>Receiving: the realtime hub pushes messages; after every (re)connect the client reads everything
/// after the last seen sequence, so <see cref="MessageReceived"/> reports each message exactly once, in
/// order, also across app restarts.</item>
/// </list>
/// Events are raised on background threads (marshal to the UI thread yourself, e.g.
/// <c>MainThread.BeginInvokeOnMainThread</c>); conversation and message events are raised one at a time.
/// </summary>
public sealed partial class OmnichatClient : IAsyncDisposable
{
    private const int PageSize = 100;

    private readonly OmnichatClientOptions _options;
    private readonly Uri _baseUri;
    private readonly IOmnichatStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly HttpClient _http;
    private readonly string _visitorKey;
    private readonly string _sessionKey;
    private readonly string _lastSeenKey;
    private readonly string _queueName;
    private readonly string _identityKey;
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private readonly SemaphoreSlim _sessionLock = new(1, 1);
    private readonly ConcurrentDictionary<string, SendWaiter> _sendWaiters = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<TaskCompletionSource> _flushWaiters = new();

    private Run? _run;
    private bool _disposed;
    private int _state;

    /// <summary>Creates a client; nothing is sent until <see cref="StartAsync"/>.</summary>
    public OmnichatClient(OmnichatClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.ServerUri is not { IsAbsoluteUri: true } server)
        {
            throw new ArgumentException("ServerUri must be an absolute http(s) URI.", nameof(options));
        }

        if (string.IsNullOrWhiteSpace(options.ChannelKey))
        {
            throw new ArgumentException("ChannelKey is required.", nameof(options));
        }

        _options = options;
        _baseUri = server.AbsoluteUri.EndsWith('/') ? server : new Uri(server.AbsoluteUri + "/");
        _store = options.Store ?? new InMemoryOmnichatStore();
        _time = options.TimeProvider ?? TimeProvider.System;
        _logger = options.LoggerFactory?.CreateLogger<OmnichatClient>() ?? (ILogger)NullLogger.Instance;
        _http = options.HttpMessageHandler is { } handler ? new HttpClient(handler, disposeHandler: false) : new HttpClient();
        _http.Timeout = options.RequestTimeout > TimeSpan.Zero ? options.RequestTimeout : TimeSpan.FromSeconds(30);

        var prefix = "omnichat:" + options.ChannelKey + ":";
        _visitorKey = prefix + "visitor";
        _sessionKey = prefix + "session";
        _lastSeenKey = prefix + "lastSeen";
        _queueName = prefix + "outbox";
        _identityKey = IdentityKeyOf(options.User);
    }

    /// <summary>A message of the current conversation arrived (pushed, read on catch-up, or the server's copy of your own message).</summary>
    public event EventHandler<MessageReceivedEventArgs>? MessageReceived;

    /// <summary>The current conversation was loaded or its status or operator changed.</summary>
    public event EventHandler<ConversationChangedEventArgs>? ConversationChanged;

    /// <summary>A conversation this client saw open was closed by the operator.</summary>
    public event EventHandler<ConversationClosedEventArgs>? ConversationClosed;

    /// <summary>The operator started or stopped typing.</summary>
    public event EventHandler<TypingEventArgs>? Typing;

    /// <summary>The conversation's place in the queue (and expected wait) changed, while it waits for an operator.</summary>
    public event EventHandler<QueuePositionChangedEventArgs>? QueuePositionChanged;

    /// <summary>The connection state changed (show "connecting…" / "offline" in the UI).</summary>
    public event EventHandler<ConnectionStateChangedEventArgs>? ConnectionStateChanged;

    /// <summary>The server refused a queued message for good (4xx such as too long): it left the queue and will not be sent.</summary>
    public event EventHandler<SendFailedEventArgs>? SendFailed;

    /// <summary>The offline queue changed.</summary>
    public event EventHandler<PendingMessagesChangedEventArgs>? PendingMessagesChanged;

    /// <summary>A background failure that retrying alone will not fix (the channel was disabled, the user must be verified…).</summary>
    public event EventHandler<OmnichatErrorEventArgs>? Error;

    /// <summary>The connection state (also raised as <see cref="ConnectionStateChanged"/>).</summary>
    public ConnectionState ConnectionState => (ConnectionState)Volatile.Read(ref _state);

    /// <summary>The current conversation as last known; <see langword="null"/> before the first message or before it was loaded.</summary>
    public Conversation? Conversation => Volatile.Read(ref _conversation);

    /// <summary>The session held, if any (visitor id, client id, expiry).</summary>
    public SessionInfo? Session => Volatile.Read(ref _session) is { } s ? new SessionInfo(s.VisitorId, s.ClientId, s.ExpiresAt) : null;

    /// <summary>The sequence number of the last message reported by <see cref="MessageReceived"/> in the current conversation.</summary>
    public long LastSeenSeq => Interlocked.Read(ref _watermarkSeq);

    /// <summary>True between <see cref="StartAsync"/> and <see cref="StopAsync"/>.</summary>
    public bool IsRunning => Volatile.Read(ref _run) is not null;

    /// <summary>
    /// Starts (or resumes) the session, connects the realtime hub, reports the messages after the last seen
    /// one and sends whatever the offline queue holds. Offline, it returns anyway and keeps trying in the
    /// background (see <see cref="ConnectionState"/>). Throws <see cref="OmnichatClientException"/> when the server
    /// refuses the session (unknown or disabled channel, verified user required).
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await _lifecycle.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_run is not null)
            {
                return;
            }

            SetState(ConnectionState.Connecting);
            try
            {
                await LoadWatermarkAsync(cancellationToken).ConfigureAwait(false);
                await EnsureSessionAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OmnichatClientException e) when (e.IsTransient)
            {
                LogStartingOffline(_logger, e.Message);
            }
            catch
            {
                SetState(ConnectionState.Disconnected);
                throw;
            }

            var run = new Run();
            Volatile.Write(ref _run, run);
            try
            {
                run.Loops.Add(Task.Run(() => RunInboxAsync(run), CancellationToken.None));
                run.Loops.Add(Task.Run(() => RunOutboxAsync(run), CancellationToken.None));
                if (_options.EnableRealtime)
                {
                    var firstAttempt = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    run.Loops.Add(Task.Run(() => RunRealtimeAsync(run, firstAttempt), CancellationToken.None));
                    try
                    {
                        // Online this is quick; on a network that swallows packets it is not worth waiting for.
                        await firstAttempt.Task.WaitAsync(_http.Timeout, _time, cancellationToken).ConfigureAwait(false);
                    }
                    catch (TimeoutException)
                    {
                        // The realtime loop keeps trying in the background.
                    }
                }

                try
                {
                    await RequestCatchUpAsync(run, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Logged, retried in the background (and after every realtime reconnect); see the Error event.
                }

                SignalOutbox(run);
            }
            catch (OperationCanceledException)
            {
                await StopCoreAsync().ConfigureAwait(false);
                throw;
            }
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>
    /// Disconnects and stops retrying (e.g. when the app goes to the background). Queued messages stay in the
    /// store and are sent after the next <see cref="StartAsync"/>.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        await _lifecycle.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await StopCoreAsync().ConfigureAwait(false);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>
    /// Sends a message. It gets a new <c>clientMessageId</c> and is written to the offline queue first; then,
    /// while the client runs, it is sent (after any older queued message). The result says whether the server
    /// stored it or it waits in the queue (offline; it is re-sent automatically, also after an app restart).
    /// Throws <see cref="OmnichatClientException"/> (with <see cref="OmnichatClientException.Field"/>) when
    /// the text is empty or the server refuses the message (too long…); a refused message leaves the queue
    /// and <see cref="SendFailed"/> is raised. Cancelling stops the wait, not the send.
    /// </summary>
    /// <param name="text">The text, 1 to 4,000 characters by default (the server's limit), sent exactly as typed.</param>
    /// <param name="cancellationToken">Stops waiting for the outcome.</param>
    public Task<SendResult> SendAsync(string text, CancellationToken cancellationToken = default) =>
        SendAsync(text, null, cancellationToken);

    /// <summary>
    /// Sends a message like <see cref="SendAsync(string, CancellationToken)"/>, as an offline request: every
    /// operator answer in this conversation is also e-mailed to <paramref name="notifyEmail"/>.
    /// </summary>
    /// <param name="text">The text, sent exactly as typed.</param>
    /// <param name="notifyEmail">Where to e-mail the operator's answers; <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">Stops waiting for the outcome.</param>
    public async Task<SendResult> SendAsync(string text, string? notifyEmail, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (string.IsNullOrWhiteSpace(text))
        {
            throw OmnichatClientException.Invalid("text", "'text' must not be empty.");
        }

        return await QueueAsync(new PendingMessage
        {
            ClientMessageId = Guid.NewGuid().ToString("D"),
            Text = text,
            CreatedAt = _time.GetUtcNow(),
            NotifyEmail = string.IsNullOrWhiteSpace(notifyEmail) ? null : notifyEmail.Trim(),
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Puts a message in the offline queue and waits until it is stored or left for a retry.</summary>
    private async Task<SendResult> QueueAsync(PendingMessage pending, CancellationToken cancellationToken)
    {
        var waiter = new SendWaiter(pending);
        _sendWaiters[pending.ClientMessageId] = waiter;
        try
        {
            await _store.EnqueueAsync(_queueName, pending, cancellationToken).ConfigureAwait(false);
            LogQueued(_logger, pending.ClientMessageId);
            await RaisePendingChangedAsync().ConfigureAwait(false);
            if (Volatile.Read(ref _run) is not { } run)
            {
                return new SendResult(pending, null);
            }

            SignalOutbox(run);
            return await waiter.Done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _sendWaiters.TryRemove(pending.ClientMessageId, out _);
        }
    }

    /// <summary>Messages typed but not yet confirmed by the server, oldest first.</summary>
    public Task<IReadOnlyList<PendingMessage>> GetPendingMessagesAsync(CancellationToken cancellationToken = default) =>
        _store.GetQueueAsync(_queueName, cancellationToken);

    /// <summary>
    /// Tries the offline queue now, without waiting for the back-off (call it when the device's connectivity
    /// comes back, e.g. from <c>Connectivity.ConnectivityChanged</c>); completes after that attempt.
    /// </summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref _run) is not { } run)
        {
            return;
        }

        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _flushWaiters.Enqueue(done);
        SignalOutbox(run);
        await done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads everything after the last seen message now (the client does this by itself after every
    /// reconnect); new messages are reported through <see cref="MessageReceived"/>.
    /// </summary>
    public Task CatchUpAsync(CancellationToken cancellationToken = default) =>
        Volatile.Read(ref _run) is { } run
            ? RequestCatchUpAsync(run, cancellationToken)
            : throw new InvalidOperationException("Start the client first (StartAsync).");

    /// <summary>The first page of the current conversation (see <see cref="GetMessagesAsync(long, int?, Guid?, CancellationToken)"/>).</summary>
    public Task<MessagesPage> GetMessagesAsync(CancellationToken cancellationToken = default) =>
        GetMessagesAsync(0, null, null, cancellationToken);

    /// <summary>
    /// One page of messages of the current conversation (or of <paramref name="conversationId"/>) after
    /// <paramref name="afterSeq"/>, oldest first — for history screens and paging. A plain read: it does not
    /// raise <see cref="MessageReceived"/>; if you show both, key your list by <see cref="Message.Id"/>.
    /// </summary>
    /// <param name="afterSeq">Return messages with a greater sequence number (0: from the start).</param>
    /// <param name="limit">Page size, 1–500 (server default 100).</param>
    /// <param name="conversationId">A conversation of this client; default: the current one.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public Task<MessagesPage> GetMessagesAsync(long afterSeq, int? limit = null, Guid? conversationId = null, CancellationToken cancellationToken = default)
    {
        var path = new StringBuilder("api/client/v1/messages?afterSeq=").Append(afterSeq.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (limit is { } l)
        {
            path.Append("&limit=").Append(l.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (conversationId is { } id)
        {
            path.Append("&conversationId=").Append(id.ToString("D"));
        }

        return SendRequestAsync(HttpMethod.Get, path.ToString(), null, Internal.OmnichatJsonContext.Default.MessagesPage, authorized: true, cancellationToken);
    }

    /// <summary>
    /// Asks the server to e-mail the transcript of the current conversation to the address the client gave
    /// before (else the server answers 400 on <c>email</c>).
    /// </summary>
    public Task<TranscriptReceipt> RequestTranscriptAsync(CancellationToken cancellationToken = default) =>
        RequestTranscriptAsync(null, null, cancellationToken);

    /// <summary>
    /// Asks the server to e-mail the transcript of the current (or given) conversation, without staff notes,
    /// to <paramref name="email"/> (remembered for the client). Without an address the one the client gave
    /// before is used (else the server answers 400 on <c>email</c>).
    /// </summary>
    public Task<TranscriptReceipt> RequestTranscriptAsync(string? email, CancellationToken cancellationToken = default) =>
        RequestTranscriptAsync(email, null, cancellationToken);

    /// <summary>As <see cref="RequestTranscriptAsync(string?, CancellationToken)"/>, for a given conversation of this client.</summary>
    public Task<TranscriptReceipt> RequestTranscriptAsync(string? email, Guid? conversationId, CancellationToken cancellationToken = default)
    {
        var request = new Internal.TranscriptRequest(string.IsNullOrWhiteSpace(email) ? null : email.Trim(), conversationId ?? Conversation?.Id, _options.Locale);
        return SendRequestAsync(
            HttpMethod.Post, "api/client/v1/transcript",
            () => System.Net.Http.Json.JsonContent.Create(request, Internal.OmnichatJsonContext.Default.TranscriptRequest),
            Internal.OmnichatJsonContext.Default.TranscriptReceipt, authorized: true, cancellationToken);
    }

    /// <summary>
    /// Rates the current (or given) conversation once it is closed: <paramref name="score"/> 1–5 and an optional
    /// comment, once per conversation (a second rating → <see cref="OmnichatClientException"/> with status 409).
    /// </summary>
    public Task<Rating> RateAsync(int score, string? comment = null, Guid? conversationId = null, CancellationToken cancellationToken = default)
    {
        var request = new Internal.RatingRequest(conversationId ?? Conversation?.Id, score, string.IsNullOrWhiteSpace(comment) ? null : comment.Trim());
        return SendRequestAsync(
            HttpMethod.Post, "api/client/v1/rating",
            () => System.Net.Http.Json.JsonContent.Create(request, Internal.OmnichatJsonContext.Default.RatingRequest),
            Internal.OmnichatJsonContext.Default.Rating, authorized: true, cancellationToken);
    }

    /// <summary>Ends the open conversation ("end chat"); ended while waiting for an operator it counts as abandoned.</summary>
    public Task<EndedConversation> EndConversationAsync(CancellationToken cancellationToken = default) =>
        SendRequestAsync(HttpMethod.Post, "api/client/v1/conversation/end", null,
            Internal.OmnichatJsonContext.Default.EndedConversation, authorized: true, cancellationToken);

    /// <summary>
    /// Registers this device's push token (<paramref name="platform"/>: <c>fcm</c>, <c>apns</c> or <c>other</c>).
    /// Messages that arrive while the app has no realtime connection are then sent to the company's push
    /// gateway for this device. Call again whenever the platform issues a new token.
    /// </summary>
    public async Task RegisterPushTokenAsync(string platform, string token, CancellationToken cancellationToken = default)
    {
        var request = new Internal.PushTokenRequest(platform, token);
        await SendRequestAsync(
            HttpMethod.Put, "api/client/v1/push-token",
            () => System.Net.Http.Json.JsonContent.Create(request, Internal.OmnichatJsonContext.Default.PushTokenRequest),
            Internal.OmnichatJsonContext.Default.Boolean, authorized: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes this device's push token (sign-out on the device).</summary>
    public async Task RemovePushTokenAsync(string token, CancellationToken cancellationToken = default) =>
        await SendRequestAsync(
            HttpMethod.Delete, "api/client/v1/push-token?token=" + Uri.EscapeDataString(token), null,
            Internal.OmnichatJsonContext.Default.Boolean, authorized: true, cancellationToken).ConfigureAwait(false);

    /// <summary>Tells the operator the user is (or stopped) typing. Best effort: nothing happens while the realtime connection is down.</summary>
    public async Task SendTypingAsync(bool isTyping, CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref _run)?.Hub is not { State: HubConnectionState.Connected } hub)
        {
            return;
        }

        try
        {
            await hub.SendAsync("Typing", isTyping, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogTypingFailed(_logger, e.Message);
        }
    }

    /// <summary>
    /// Stops and forgets this device's client: visitor id, token, last seen message and unsent messages
    /// (e.g. when the app user signs out). The next start is a new client.
    /// </summary>
    public async Task ResetAsync(CancellationToken cancellationToken = default)
    {
        await _lifecycle.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            await StopCoreAsync().ConfigureAwait(false);
            foreach (var pending in await _store.GetQueueAsync(_queueName, cancellationToken).ConfigureAwait(false))
            {
                await _store.RemoveFromQueueAsync(_queueName, pending.ClientMessageId, cancellationToken).ConfigureAwait(false);
            }

            await _store.SetValueAsync(_visitorKey, null, cancellationToken).ConfigureAwait(false);
            await _store.SetValueAsync(_sessionKey, null, cancellationToken).ConfigureAwait(false);
            await _store.SetValueAsync(_lastSeenKey, null, cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _session, null);
            _sessionLoaded = true;
            _watermarkConversation = null;
            Interlocked.Exchange(ref _watermarkSeq, 0);
            _watermarkLoaded = true;
            Volatile.Write(ref _conversation, null);
            await RaisePendingChangedAsync().ConfigureAwait(false);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>Stops the client (queued messages stay in the store).</summary>
    public async ValueTask DisposeAsync()
    {
        await _lifecycle.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            await StopCoreAsync().ConfigureAwait(false);
        }
        finally
        {
            _lifecycle.Release();
        }

        _http.Dispose();
    }

    private async Task StopCoreAsync()
    {
        if (Volatile.Read(ref _run) is not { } run)
        {
            return;
        }

        Volatile.Write(ref _run, null);
        await run.Stop.CancelAsync().ConfigureAwait(false);
        run.Inbox.Writer.TryComplete();
        try
        {
            await Task.WhenAll(run.Loops).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            LogLoopFailed(_logger, e);
        }

        while (run.Inbox.Reader.TryRead(out var item))
        {
            if (item is CatchUpRequest { Done: { } done })
            {
                done.TrySetCanceled();
            }
        }

        foreach (var waiter in _sendWaiters.Values)
        {
            waiter.Done.TrySetResult(new SendResult(waiter.Pending, null));
        }

        while (_flushWaiters.TryDequeue(out var flush))
        {
            flush.TrySetResult();
        }

        run.Dispose();
        SetState(ConnectionState.Disconnected);
    }

    private void SetState(ConnectionState state)
    {
        var previous = (ConnectionState)Interlocked.Exchange(ref _state, (int)state);
        if (previous != state)
        {
            LogState(_logger, previous, state);
            Raise(ConnectionStateChanged, new ConnectionStateChangedEventArgs(previous, state), nameof(ConnectionStateChanged));
        }
    }

    private async Task RaisePendingChangedAsync()
    {
        if (PendingMessagesChanged is null)
        {
            return;
        }

        var pending = await _store.GetQueueAsync(_queueName).ConfigureAwait(false);
        Raise(PendingMessagesChanged, new PendingMessagesChangedEventArgs(pending), nameof(PendingMessagesChanged));
    }

    /// <summary>Raises an event; an exception of the app's handler is logged, never breaks the client's loops.</summary>
    private void Raise<T>(EventHandler<T>? handler, T args, string name)
    {
        if (handler is null)
        {
            return;
        }

        try
        {
            handler(this, args);
        }
        catch (Exception e)
        {
            LogHandlerFailed(_logger, name, e);
        }
    }

    /// <summary>Which identity a stored session was issued for (a hash: the user hash is not kept).</summary>
    private static string IdentityKeyOf(OmnichatUser? user) =>
        user?.ExternalId is { Length: > 0 } externalId
            ? Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(externalId + "\n" + user.UserHash)))
            : "anonymous";

    private sealed class SendWaiter(PendingMessage pending)
    {
        public PendingMessage Pending { get; } = pending;

        public TaskCompletionSource<SendResult> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>Everything that lives from one start to the next stop.</summary>
    private sealed class Run : IDisposable
    {
        private HubConnection? _hub;

        public CancellationTokenSource Stop { get; } = new();

        public Channel<InboxItem> Inbox { get; } = Channel.CreateUnbounded<InboxItem>(new UnboundedChannelOptions { SingleReader = true });

        public Channel<bool> OutboxSignal { get; } =
            Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

        public List<Task> Loops { get; } = [];

        public HubConnection? Hub
        {
            get => Volatile.Read(ref _hub);
            set => Volatile.Write(ref _hub, value);
        }

        public void Dispose() => Stop.Dispose();
    }
}
