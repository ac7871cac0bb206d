using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Omnichat.Client.Tests.Infrastructure;

/// <summary>
/// A TCP forwarder on a loopback port in front of the server: the app's network. <see cref="Cut"/> resets
/// every open connection and refuses new ones (the phone lost its network) while the server keeps running
/// for the operator; <see cref="Restore"/> lets traffic through again.
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<Guid, (Socket In, Socket Out)> _open = new();
    private readonly Task _accepting;
    private volatile bool _cut;
    private int _forwarded;

    public TcpProxy(int targetPort)
    {
        _targetPort = targetPort;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = Task.Run(AcceptAsync);
    }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    /// <summary>Connections accepted and forwarded so far.</summary>
    public int Forwarded => Volatile.Read(ref _forwarded);

    public void Cut()
    {
        _cut = true;
        foreach (var (id, pair) in _open)
        {
            Reset(pair.In);
            Reset(pair.Out);
            _open.TryRemove(id, out _);
        }
    }

    public void Restore() => _cut = false;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        Cut();
        try
        {
            await _accepting;
        }
        catch (OperationCanceledException)
        {
            // stopped
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket inbound;
            try
            {
                inbound = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            if (_cut)
            {
                Reset(inbound);
                continue;
            }

            var outbound = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await outbound.ConnectAsync(new IPEndPoint(IPAddress.Loopback, _targetPort), _stop.Token);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                Reset(outbound);
                Reset(inbound);
                continue;
            }

            var id = Guid.NewGuid();
            _open[id] = (inbound, outbound);
            if (_cut)
            {
                // Cut while this one was being connected.
                _open.TryRemove(id, out _);
                Reset(outbound);
                Reset(inbound);
                continue;
            }

            Interlocked.Increment(ref _forwarded);
            _ = PumpAsync(id, inbound, outbound);
        }
    }

    private async Task PumpAsync(Guid id, Socket inbound, Socket outbound)
    {
        await Task.WhenAll(CopyAsync(inbound, outbound), CopyAsync(outbound, inbound));
        _open.TryRemove(id, out _);
        Reset(inbound);
        Reset(outbound);
    }

    private static async Task CopyAsync(Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None);
                if (read == 0)
                {
                    to.Shutdown(SocketShutdown.Send);
                    return;
                }

                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // One side went away: so does the other (its copy loop ends too).
            Reset(from);
            Reset(to);
        }
    }

    /// <summary>Closes with RST, as a dropped network looks to the peer.</summary>
    private static void Reset(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
            socket.Close();
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // already closed
        }
    }
}
