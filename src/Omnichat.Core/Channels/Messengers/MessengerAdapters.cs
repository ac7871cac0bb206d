using Omnichat.Core.Kernel;

namespace Omnichat.Core.Channels.Messengers;

/// <summary>The registered adapters by channel kind.</summary>
public sealed class MessengerAdapters(IEnumerable<IMessengerAdapter> adapters)
{
    private readonly Dictionary<ChannelKind, IMessengerAdapter> _byKind = adapters.ToDictionary(a => a.Kind);

    /// <summary>The adapter for a URL segment (<c>telegram</c>, <c>viber</c>, <c>vk</c>, <c>api</c>); null for anything else.</summary>
    public IMessengerAdapter? Find(string kind) =>
        Enum.TryParse<ChannelKind>(kind, ignoreCase: true, out var k) && k != ChannelKind.Webchat && !int.TryParse(kind, out _)
            ? Find(k) : null;

    public IMessengerAdapter? Find(ChannelKind kind) => _byKind.GetValueOrDefault(kind);

    public IEnumerable<IMessengerAdapter> All => _byKind.Values;

    /// <summary>Throws the settings error of a messenger channel (webchat settings are checked elsewhere).</summary>
    public void CheckSettings(ChannelKind kind, System.Text.Json.Nodes.JsonObject? settings)
    {
        if (Find(kind) is { } adapter && adapter.ValidateSettings(settings ?? []) is { } problem)
        {
            throw new FieldValidationException("settings." + problem.Field, problem.Message);
        }
    }
}
