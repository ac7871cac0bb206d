namespace Omnichat.Client.Internal;

/// <summary>Capped exponential back-off with jitter, so many apps do not retry in lock-step after an outage.</summary>
internal static class Backoff
{
    /// <summary>Delay before retry number <paramref name="attempt"/> (1 = first retry).</summary>
    public static TimeSpan Delay(int attempt, TimeSpan initial, TimeSpan max)
    {
        if (attempt <= 0 || initial <= TimeSpan.Zero)
        {
            return TimeSpan.Zero;
        }

        var exponent = Math.Min(attempt - 1, 20);
        var ticks = Math.Min(initial.Ticks * (double)(1L << exponent), max.Ticks);
        // ±20 % jitter; not security relevant.
#pragma warning disable CA5394
        var jitter = 0.8 + (Random.Shared.NextDouble() * 0.4);
#pragma warning restore CA5394
        return TimeSpan.FromTicks((long)Math.Min(ticks * jitter, max.Ticks));
    }
}
