using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Omnichat.Core.Kernel.Outbox;

/// <summary>Serialises domain events for the outbox by their stable type name (the CLR type name).</summary>
public sealed class DomainEventSerializer
{
    private readonly FrozenDictionary<string, Type> _types;

    public DomainEventSerializer(IEnumerable<Type>? extraEventTypes = null)
    {
        var types = typeof(IDomainEvent).Assembly.GetTypes()
            .Concat(extraEventTypes ?? [])
            .Where(t => t is { IsAbstract: false, IsInterface: false } && typeof(IDomainEvent).IsAssignableFrom(t))
            .Distinct();
        _types = types.ToFrozenDictionary(NameOf, t => t, StringComparer.Ordinal);
    }

    public static JsonSerializerOptions Options { get; } = CreateOptions();

    public static string NameOf(Type eventType) => eventType.Name;

    public static string Serialize(IDomainEvent domainEvent) =>
        JsonSerializer.Serialize(domainEvent, domainEvent.GetType(), Options);

    public IDomainEvent Deserialize(string type, string payload)
    {
        if (!_types.TryGetValue(type, out var clrType))
        {
            throw new InvalidOperationException($"Unknown domain event type '{type}'.");
        }

        return (IDomainEvent)(JsonSerializer.Deserialize(payload, clrType, Options)
            ?? throw new InvalidOperationException($"Empty payload for domain event '{type}'."));
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        options.Converters.Add(new TypedIdJsonConverterFactory());
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
