using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Omnichat.Core.Kernel;

/// <summary>Stores a typed id as its <see cref="Guid"/>.</summary>
public sealed class TypedIdValueConverter<TId>() : ValueConverter<TId, Guid>(id => id.Value, value => TypedIdFactory.From<TId>(value))
    where TId : struct, ITypedId<TId>;

/// <summary>Expression trees cannot call static abstract members directly; this indirection can be called.</summary>
public static class TypedIdFactory
{
    public static TId From<TId>(Guid value) where TId : struct, ITypedId<TId> => TId.From(value);
}

/// <summary>Writes typed ids as plain GUID strings in JSON (API bodies and outbox payloads).</summary>
public sealed class TypedIdJsonConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert.IsValueType && typeToConvert.GetInterfaces().Any(i =>
            i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ITypedId<>) && i.GetGenericArguments()[0] == typeToConvert);

    public override JsonConverter? CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter?)Activator.CreateInstance(typeof(TypedIdJsonConverter<>).MakeGenericType(typeToConvert));

    private sealed class TypedIdJsonConverter<TId> : JsonConverter<TId> where TId : struct, ITypedId<TId>
    {
        public override TId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.String || !reader.TryGetGuid(out var value))
            {
                throw new JsonException("Expected an identifier (a GUID string).");
            }

            return TId.From(value);
        }

        public override void Write(Utf8JsonWriter writer, TId value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.Value);
    }
}

public static class TypedIds
{
    /// <summary>Every typed id type declared in the core assembly.</summary>
    public static IReadOnlyList<Type> All { get; } = typeof(ITypedId<>).Assembly.GetTypes()
        .Where(t => t.IsValueType && t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ITypedId<>)))
        .ToArray();
}
