using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Omnichat.Client.Internal;

namespace Omnichat.Client;

/// <summary>Sessions and REST calls.</summary>
public sealed partial class OmnichatClient
{
    /// <summary>A token is renewed this long before it expires.</summary>
    private static readonly TimeSpan TokenRenewalMargin = TimeSpan.FromMinutes(1);

    private StoredSession? _session;
    private bool _sessionLoaded;

    /// <summary>
    /// The session to use: the one held, else the stored one (same identity, not expired), else a new one
    /// for the stored visitor id — the server continues the same client. One request at a time.
    /// </summary>
    private async Task<StoredSession> EnsureSessionAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _session) is { } held && IsFresh(held))
        {
            return held;
        }

        await _sessionLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var current = Volatile.Read(ref _session);
            if (current is not null && IsFresh(current))
            {
                return current;
            }

            if (!_sessionLoaded)
            {
                _sessionLoaded = true;
                if (await ReadStoredSessionAsync(cancellationToken).ConfigureAwait(false) is { } stored
                    && stored.IdentityKey == _identityKey && IsFresh(stored))
                {
                    Volatile.Write(ref _session, stored);
                    LogSessionResumed(_logger, stored.VisitorId, stored.ClientId);
                    return stored;
                }
            }

            var visitorId = await _store.GetValueAsync(_visitorKey, cancellationToken).ConfigureAwait(false) ?? current?.VisitorId;
            SessionResponse response;
            try
            {
                response = await RequestSessionAsync(visitorId, cancellationToken).ConfigureAwait(false);
            }
            catch (OmnichatClientException e) when (e.Status == 400 && e.Field == "visitorId" && visitorId is not null)
            {
                // A stored id the server cannot accept (edited storage): start as a new client rather than never.
                response = await RequestSessionAsync(null, cancellationToken).ConfigureAwait(false);
            }

            var session = new StoredSession(response.VisitorId, response.ClientId, response.Token, response.ExpiresAt, _identityKey);
            await _store.SetValueAsync(_visitorKey, session.VisitorId, cancellationToken).ConfigureAwait(false);
            await _store.SetValueAsync(_sessionKey, JsonSerializer.Serialize(session, OmnichatJsonContext.Default.StoredSession), cancellationToken)
                .ConfigureAwait(false);
            Volatile.Write(ref _session, session);
            LogSessionStarted(_logger, session.VisitorId, session.ClientId, session.ExpiresAt);
            return session;
        }
        catch (OmnichatClientException e) when (!e.IsTransient && !e.IsSessionFailure)
        {
            throw e.AsSessionFailure();
        }
        finally
        {
            _sessionLock.Release();
        }
    }

    private Task<SessionResponse> RequestSessionAsync(string? visitorId, CancellationToken cancellationToken)
    {
        var request = new SessionRequest(_options.ChannelKey, visitorId, _options.User, _options.Locale);
        return SendRequestAsync(
            HttpMethod.Post, "api/client/v1/sessions",
            () => JsonContent.Create(request, OmnichatJsonContext.Default.SessionRequest),
            OmnichatJsonContext.Default.SessionResponse, authorized: false, cancellationToken);
    }

    private async Task<StoredSession?> ReadStoredSessionAsync(CancellationToken cancellationToken)
    {
        var json = await _store.GetValueAsync(_sessionKey, cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(json, OmnichatJsonContext.Default.StoredSession);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private bool IsFresh(StoredSession session) => session.ExpiresAt - TokenRenewalMargin > _time.GetUtcNow();

    /// <summary>The server refused this token (expired, revoked, keys rotated): the next call starts a new session.</summary>
    private void InvalidateSession(StoredSession session)
    {
        if (Interlocked.CompareExchange(ref _session, null, session) == session)
        {
            LogSessionRefused(_logger, session.VisitorId);
        }
    }

    /// <summary>Invalidates whatever session is held (the realtime connection was refused with 401).</summary>
    private void InvalidateCurrentSession()
    {
        if (Volatile.Read(ref _session) is { } session)
        {
            InvalidateSession(session);
        }
    }

    /// <summary>
    /// One REST call with the client's conventions: bearer token (a 401 gets a new session and one more try),
    /// ProblemDetails as <see cref="OmnichatClientException"/>, network failures and timeouts as transient ones.
    /// </summary>
    private async Task<T> SendRequestAsync<T>(
        HttpMethod method, string path, Func<HttpContent>? content, JsonTypeInfo<T> result, bool authorized, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var session = authorized ? await EnsureSessionAsync(cancellationToken).ConfigureAwait(false) : null;
            using var request = new HttpRequestMessage(method, new Uri(_baseUri, path)) { Content = content?.Invoke() };
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            if (session is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", session.Token);
            }

            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException e)
            {
                NoteReachability(false);
                throw OmnichatClientException.Network(e);
            }
            catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                NoteReachability(false);
                throw OmnichatClientException.Network(new TimeoutException($"No answer within {_http.Timeout.TotalSeconds:0} s.", e));
            }

            using (response)
            {
                if (response.StatusCode == HttpStatusCode.Unauthorized && session is not null && attempt == 1)
                {
                    InvalidateSession(session);
                    continue;
                }

                if (!response.IsSuccessStatusCode)
                {
                    var error = await OmnichatClientException.FromResponseAsync(response, cancellationToken).ConfigureAwait(false);
                    NoteReachability(error.Status is < 500);
                    throw error;
                }

                NoteReachability(true);
                if (response.StatusCode == HttpStatusCode.NoContent)
                {
                    return default!; // callers of body-less endpoints ignore the result
                }

                try
                {
                    return await response.Content.ReadFromJsonAsync(result, cancellationToken).ConfigureAwait(false)
                           ?? throw new OmnichatClientException($"The server answered {method} {path} with an empty body.");
                }
                catch (JsonException e)
                {
                    throw new OmnichatClientException($"The server's answer to {method} {path} could not be read.", e);
                }
            }
        }
    }

    /// <summary>Without realtime, the connection state follows whether the server answers.</summary>
    private void NoteReachability(bool reachable)
    {
        if (!_options.EnableRealtime && Volatile.Read(ref _run) is not null)
        {
            SetState(reachable ? ConnectionState.Connected : ConnectionState.Reconnecting);
        }
    }
}
