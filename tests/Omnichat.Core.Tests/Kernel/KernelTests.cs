using System.Text.Json;
using Omnichat.Core.Conversations;
using Omnichat.Core.Kernel;
using Omnichat.Core.Kernel.Outbox;

namespace Omnichat.Core.Tests.Kernel;

public sealed class KernelTests
{
    [Theory]
    [InlineData(null, true, true, true)]
    [InlineData("", true, true, true)]
    [InlineData("all", true, true, true)]
    [InlineData("web", true, false, false)]
    [InlineData("Web, Worker", true, false, true)]
    [InlineData("channels;worker", false, true, true)]
    public void NodeRoles_Parse(string? value, bool web, bool channels, bool worker) =>
        Assert.Equal(new NodeRoles(web, channels, worker), NodeRoles.Parse(value));

    [Fact]
    public void NodeRoles_UnknownRole_IsAClearStartupError() =>
        Assert.Contains("frontend", Assert.Throws<InvalidOperationException>(() => NodeRoles.Parse("web,frontend")).Message, StringComparison.Ordinal);

    [Fact]
    public void DomainEvents_RoundTripThroughTheOutboxFormat()
    {
        var serializer = new DomainEventSerializer();
        var original = new ConversationTransferred(ConversationId.New(), OperatorId.New(), null, SkillGroupId.New(), "«кавычки» <b>");

        var payload = DomainEventSerializer.Serialize(original);
        var restored = serializer.Deserialize(DomainEventSerializer.NameOf(original.GetType()), payload);

        Assert.Equal(original, restored);
        Assert.Equal(original.ConversationId.Value.ToString(), JsonDocument.Parse(payload).RootElement.GetProperty("conversationId").GetString());
    }

    [Fact]
    public void DomainEvents_UnknownType_IsRejected() =>
        Assert.Throws<InvalidOperationException>(() => new DomainEventSerializer().Deserialize("NoSuchEvent", "{}"));

    [Fact]
    public void TypedIds_AreVersion7Guids_AndSerialiseAsPlainStrings()
    {
        var first = ConversationId.New();
        Assert.Equal(7, first.Value.Version);

        var json = JsonSerializer.Serialize(new { id = first }, DomainEventSerializer.Options);
        Assert.Equal($$"""{"id":"{{first.Value}}"}""", json);
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<ConversationId>("\"not-a-guid\"", DomainEventSerializer.Options));
    }
}
