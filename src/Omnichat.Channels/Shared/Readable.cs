using System.Globalization;

namespace Omnichat.Channels.Shared;

/// <summary>Locations and contacts as text an operator can read and click.</summary>
public static class Readable
{
    public static string Location(double lat, double lon) => string.Create(CultureInfo.InvariantCulture,
        $"📍 {lat:0.######}, {lon:0.######} https://www.openstreetmap.org/?mlat={lat:0.######}&mlon={lon:0.######}#map=17/{lat:0.######}/{lon:0.######}");

    /// <summary>Text cut to a vendor's limit, with an ellipsis when cut.</summary>
    public static string Clip(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    public static string Contact(string? name, string? phone) => "👤 " + string.Join(", ", new[] { name, phone }.Where(s => !string.IsNullOrWhiteSpace(s)));
}
