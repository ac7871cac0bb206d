using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Omnichat.Core.Kernel;

namespace Omnichat.Bench;

/// <summary>The in-process benchmarks' host: Omnichat's use cases on a fresh database (SQLite in a temp folder, or the given PostgreSQL), migrated.</summary>
internal static class BenchHost
{
    public static async Task<ServiceProvider> StartAsync(string name, string? postgres, Action<IServiceCollection, IConfiguration>? more = null)
    {
        var dataPath = Path.Combine(Path.GetTempPath(), $"omnichat-{name}-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataPath);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(dataPath, recursive: true);
            }
            catch (IOException)
            {
                // Still open somewhere: the temp folder is cleaned by the system.
            }
        };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Omnichat:DataPath"] = dataPath,
            ["Omnichat:Database:Provider"] = postgres is null ? "Sqlite" : "Postgres",
            ["ConnectionStrings:Omnichat"] = postgres,
        }).Build();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton(TimeProvider.System)
            .AddLogging(l => l.SetMinimumLevel(LogLevel.Warning).AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Error));
        services.AddOptions<OmnichatOptions>().Bind(configuration.GetSection(OmnichatOptions.Section));
        services.AddOmnichatDatabase(configuration);
        services.AddOmnichatUseCases();
        services.AddOmnichatEvents(configuration, runDispatcher: false);
        more?.Invoke(services, configuration);
        var provider = services.BuildServiceProvider();
        await using var scope = provider.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<OmnichatDbContext>().Database.MigrateAsync();
        return provider;
    }

    /// <summary>Percentiles of the samples (milliseconds), one line.</summary>
    public static void Report(string what, List<double> samples, string format = "F2")
    {
        samples.Sort();
        string P(double p) => samples[Math.Min(samples.Count - 1, (int)Math.Ceiling(p * samples.Count) - 1)].ToString(format, CultureInfo.InvariantCulture);
        Console.WriteLine($"{what}: n={samples.Count} p50={P(0.50)} ms p95={P(0.95)} ms p99={P(0.99)} ms max={samples[^1].ToString(format, CultureInfo.InvariantCulture)} ms");
    }
}
