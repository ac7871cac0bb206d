using System.Net;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Omnichat.Client.Internal;

namespace Omnichat.Client;

/// <summary>
/// The realtime connection to <c>/hubs/client</c>: automatic reconnect that never gives up (capped
/// back-off), a full restart when the connection closes anyway, and after each (re)connect a catch-up read
/// and a flush of the offline queue.
/// </summary>
public sealed partial class OmnichatClient
{
    private async Task RunRealtimeAsync(Run run, TaskCompletionSource firstAttempt)
    {
        var stop = run.Stop.Token;
        var failures = 0;
        var everConnected = false;
        while (!stop.IsCancellationRequested)
        {
            HubConnection? hub = null;
            try
            {
                await EnsureSessionAsync(stop).ConfigureAwait(false);
                hub = BuildHub(run);
                var closed = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
                hub.Closed += e =>
                {
                    closed.TrySetResult(e);
                    return Task.CompletedTask;
                };
                await hub.StartAsync(stop).ConfigureAwait(false);
                run.Hub = hub;
                everConnected = true;
                failures = 0;
                LogRealtimeConnected(_logger, hub.ConnectionId);
                SetState(ConnectionState.Connected);
                firstAttempt.TrySetResult();
                run.Inbox.Writer.TryWrite(new CatchUpRequest(null));
                SignalOutbox(run);

                var reason = await closed.Task.WaitAsync(stop).ConfigureAwait(false);
                LogRealtimeClosed(_logger, reason?.Message);
                failures = 1;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                failures++;
                if (e is HttpRequestException { StatusCode: HttpStatusCode.Unauthorized })
                {
                    InvalidateCurrentSession();
                }
                else if (e is OmnichatClientException { IsTransient: false } refused)
                {
                    Raise(Error, new OmnichatErrorEventArgs(refused), nameof(Error));
                }

                LogRealtimeFailed(_logger, failures, e.Message);
            }
            finally
            {
                run.Hub = null;
                if (hub is not null)
                {
                    await hub.DisposeAsync().ConfigureAwait(false);
                }

                firstAttempt.TrySetResult();
            }

            if (stop.IsCancellationRequested)
            {
                break;
            }

            SetState(everConnected ? ConnectionState.Reconnecting : ConnectionState.Connecting);
            try
            {
                await Task.Delay(Backoff.Delay(failures, _options.RetryInitialDelay, _options.RetryMaxDelay), _time, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private HubConnection BuildHub(Run run)
    {
        var builder = new HubConnectionBuilder()
            .WithUrl(new Uri(_baseUri, "hubs/client"), o =>
                // The header on native platforms; the SignalR client itself uses access_token only in browsers.
                o.AccessTokenProvider = async () => (await EnsureSessionAsync(CancellationToken.None).ConfigureAwait(false)).Token)
            .WithAutomaticReconnect(new ForeverRetryPolicy(this))
            .AddJsonProtocol(o => o.PayloadSerializerOptions = OmnichatJsonContext.HubPayloadOptions());
        if (_options.LoggerFactory is { } loggerFactory)
        {
            builder.Services.AddSingleton(loggerFactory);
        }

        var hub = builder.Build();
        hub.On<Message>("message", m => run.Inbox.Writer.TryWrite(new PushedMessage(m)));
        hub.On<ConversationStatusEvent>("conversation", e => run.Inbox.Writer.TryWrite(new StatusPush(e)));
        hub.On<TypingEvent>("typing", e => run.Inbox.Writer.TryWrite(new TypingPush(e)));
        hub.On<QueuePosition>("queue", e => run.Inbox.Writer.TryWrite(new QueuePush(e)));
        // The client was merged into another or split: drop the token and reconnect with a new session.
        hub.On<SessionEndedEvent>("session", ended =>
        {
            InvalidateCurrentSession();
            _ = hub.StopAsync();
        });
        hub.Reconnecting += e =>
        {
            LogRealtimeReconnecting(_logger, e?.Message);
            SetState(ConnectionState.Reconnecting);
            return Task.CompletedTask;
        };
        hub.Reconnected += id =>
        {
            LogRealtimeConnected(_logger, id);
            SetState(ConnectionState.Connected);
            // Everything pushed while the connection was down: read it, and send what waited.
            run.Inbox.Writer.TryWrite(new CatchUpRequest(null));
            SignalOutbox(run);
            return Task.CompletedTask;
        };
        return hub;
    }

    /// <summary>Reconnects forever: immediately, then with the client's capped back-off; a refused token is renewed.</summary>
    private sealed class ForeverRetryPolicy(OmnichatClient owner) : IRetryPolicy
    {
        public TimeSpan? NextRetryDelay(RetryContext retryContext)
        {
            if (retryContext.RetryReason is HttpRequestException { StatusCode: HttpStatusCode.Unauthorized })
            {
                owner.InvalidateCurrentSession();
            }

            return Backoff.Delay((int)Math.Min(retryContext.PreviousRetryCount, 30), owner._options.RetryInitialDelay, owner._options.RetryMaxDelay);
        }
    }
}
