using System.Text.Json;
using System.Text.Json.Serialization;

namespace Omnichat.Client.Internal;

/// <summary>
/// Enums as the protocol writes them (lower-case kebab strings). A value this SDK does not know reads as
/// the enum's zero member (<c>Unknown</c>): protocol v1 may add values, and an old app must keep working.
/// </summary>
internal sealed class LenientEnumConverter<TEnum> : JsonConverter<TEnum>
    where TEnum : struct, Enum
{
    private static readonly Dictionary<string, TEnum> ByName =
        Enum.GetValues<TEnum>().ToDictionary(v => JsonNamingPolicy.KebabCaseLower.ConvertName(v.ToString()), StringComparer.OrdinalIgnoreCase);

    private static readonly Dictionary<TEnum, string> Names = ByName.ToDictionary(p => p.Value, p => p.Key);

    public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String && reader.GetString() is { } name && ByName.TryGetValue(name, out var value))
        {
            return value;
        }

        reader.Skip();
        return default;
    }

    public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options) =>
        writer.WriteStringValue(Names.TryGetValue(value, out var name) ? name : JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString()));
}
