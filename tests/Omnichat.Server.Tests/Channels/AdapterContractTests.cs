using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Omnichat.Channels.Telegram;
using Omnichat.Channels.Viber;
using Omnichat.Channels.Vk;
using Omnichat.Core.Channels;
using Omnichat.Core.Channels.Messengers;
using Omnichat.Core.Conversations;
using Omnichat.Core.Kernel;

namespace Omnichat.Server.Tests.Channels;

/// <summary>
/// Contract tests of the adapters' parsers: every inbound event type PROTOCOLS.md lists, in the vendor's wire
/// format, maps to what it means (or to nothing); unknown fields and types are tolerated. The outbound methods are
/// exercised end to end against the fakes in the per-vendor suites.
/// </summary>
public sealed class AdapterContractTests
{
    private static readonly IOptions<MessengerOptions> Options = Microsoft.Extensions.Options.Options.Create(new MessengerOptions());

    private static MessengerChannel Channel(ChannelKind kind, object settings) =>
        new(ChannelId.New(), kind, "Test", "channel-secret", JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(settings))!.AsObject());

    private static Dictionary<string, string> Headers(params (string, string)[] h) => h.ToDictionary(x => x.Item1, x => x.Item2, StringComparer.OrdinalIgnoreCase);

    [Fact]
    public void Viber_callbacks_map_by_event_type()
    {
        var viber = new ViberAdapter(null!, Options);
        var channel = Channel(ChannelKind.Viber, new { authToken = "viber-token-123" });
        IReadOnlyList<InboundItem> Read(string json) => viber.Interpret(channel, json);
        const string sender = "\"sender\":{\"id\":\"u1\",\"name\":\"Мария\",\"avatar\":\"http://x\",\"country\":\"RU\",\"language\":\"ru\",\"api_version\":10}";

        Assert.Equal(new DeliveryReceipt("5", DeliveryStatus.Delivered), Assert.Single(Read("""{"event":"delivered","timestamp":1,"message_token":5,"user_id":"u1"}""")));
        Assert.Equal(new DeliveryReceipt("5", DeliveryStatus.Read), Assert.Single(Read("""{"event":"seen","timestamp":1,"message_token":5,"user_id":"u1"}""")));
        Assert.Equal(new DeliveryReceipt("5", DeliveryStatus.Failed, "Viber: not reachable"),
            Assert.Single(Read("""{"event":"failed","timestamp":1,"message_token":5,"user_id":"u1","desc":"not reachable"}""")));
        Assert.Equal(new UserUnsubscribed("u1"), Assert.Single(Read("""{"event":"unsubscribed","timestamp":1,"message_token":5,"user_id":"u1"}""")));
        Assert.Empty(Read("""{"event":"subscribed","timestamp":1,"message_token":5,"user":{"id":"u1","name":"M"}}"""));
        Assert.Empty(Read("""{"event":"conversation_started","timestamp":1,"message_token":5,"type":"open","user":{"id":"u1"},"subscribed":false}"""));
        Assert.Empty(Read("""{"event":"client_status","timestamp":1}""")); // a type that does not exist yet

        var text = (InboundMessage)Assert.Single(Read("{\"event\":\"message\",\"timestamp\":1,\"message_token\":6," + sender + ",\"message\":{\"type\":\"text\",\"text\":\"Привет\"}}"));
        Assert.Equal(("u1", "Мария", "Привет"), (text.UserId, text.UserName, text.Text));
        var picture = (InboundMessage)Assert.Single(Read("{\"event\":\"message\",\"message_token\":7," + sender + ",\"message\":{\"type\":\"picture\",\"text\":\"фото\",\"media\":\"https://dl/p.jpg\",\"thumbnail\":\"https://dl/t.jpg\"}}"));
        Assert.Equal("https://dl/p.jpg", Assert.Single(picture.Files).Reference);
        Assert.Equal("фото", picture.Text);
        var file = (InboundMessage)Assert.Single(Read("{\"event\":\"message\",\"message_token\":8," + sender + ",\"message\":{\"type\":\"file\",\"media\":\"https://dl/f\",\"file_name\":\"a.pdf\",\"size\":10}}"));
        Assert.Equal(("https://dl/f", "a.pdf", 10L), (file.Files[0].Reference, file.Files[0].FileName, file.Files[0].Size!.Value));
        var video = (InboundMessage)Assert.Single(Read("{\"event\":\"message\",\"message_token\":9," + sender + ",\"message\":{\"type\":\"video\",\"media\":\"https://dl/v.mp4\",\"size\":10,\"duration\":3}}"));
        Assert.Single(video.Files);
        var location = (InboundMessage)Assert.Single(Read("{\"event\":\"message\",\"message_token\":10," + sender + ",\"message\":{\"type\":\"location\",\"location\":{\"lat\":55.75,\"lon\":37.62}}}"));
        Assert.StartsWith("📍 55.75, 37.62", location.Text, StringComparison.Ordinal);
        var contact = (InboundMessage)Assert.Single(Read("{\"event\":\"message\",\"message_token\":11," + sender + ",\"message\":{\"type\":\"contact\",\"contact\":{\"name\":\"Иван\",\"phone_number\":\"+79001112233\"}}}"));
        Assert.Equal("👤 Иван, +79001112233", contact.Text);
        var url = (InboundMessage)Assert.Single(Read("{\"event\":\"message\",\"message_token\":12," + sender + ",\"message\":{\"type\":\"url\",\"media\":\"https://example.com\"}}"));
        Assert.Equal("https://example.com", url.Text);
        var sticker = (InboundMessage)Assert.Single(Read("{\"event\":\"message\",\"message_token\":13," + sender + ",\"message\":{\"type\":\"sticker\",\"sticker_id\":46105}}"));
        Assert.Equal("[sticker]", sticker.Text);
        var button = (InboundMessage)Assert.Single(Read("{\"event\":\"message\",\"message_token\":14," + sender + ",\"message\":{\"type\":\"text\",\"text\":\"rate:3\"}}"));
        Assert.Equal(("rate:3", (string?)null), (button.Payload, button.Text));
    }

    [Fact]
    public void Viber_signature_is_checked_over_the_raw_bytes()
    {
        var viber = new ViberAdapter(null!, Options);
        var channel = Channel(ChannelKind.Viber, new { authToken = "viber-token-123" });
        var body = Encoding.UTF8.GetBytes("""{"event":"seen","timestamp":1,"message_token":5,"user_id":"u1"}""");
        var good = Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(Encoding.UTF8.GetBytes("viber-token-123"), body));
        Assert.Equal(200, viber.ReadWebhook(channel, Headers(("X-Viber-Content-Signature", good)), body).StatusCode);
        Assert.Equal(200, viber.ReadWebhook(channel, Headers(("x-viber-content-signature", good.ToUpperInvariant())), body).StatusCode);
        Assert.Equal(403, viber.ReadWebhook(channel, Headers(("X-Viber-Content-Signature", good[..^1] + "0")), body).StatusCode);
        Assert.Equal(403, viber.ReadWebhook(channel, Headers(), body).StatusCode);
    }

    [Fact]
    public void Telegram_updates_map_by_kind_and_tolerate_what_they_do_not_know()
    {
        var telegram = new TelegramAdapter(null!, Options);
        var channel = Channel(ChannelKind.Telegram, new { botToken = "1:x" });
        IReadOnlyList<InboundItem> Read(string json) => telegram.Interpret(channel, json);
        const string chat = "\"chat\":{\"id\":9007199254740993,\"type\":\"private\"},\"from\":{\"id\":9007199254740993,\"is_bot\":false,\"first_name\":\"A\",\"last_name\":\"B\",\"username\":\"ab\",\"language_code\":\"ru\"}";

        var text = (InboundMessage)Assert.Single(Read("{\"update_id\":1,\"message\":{\"message_id\":1,\"date\":1," + chat + ",\"text\":\"hi\"}}"));
        Assert.Equal(("9007199254740993", "A B", "hi"), (text.UserId, text.UserName, text.Text)); // ids beyond 2^53 survive
        var document = (InboundMessage)Assert.Single(Read("{\"update_id\":2,\"message\":{\"message_id\":2,\"date\":1," + chat + ",\"caption\":\"c\",\"document\":{\"file_id\":\"D\",\"file_unique_id\":\"u\",\"file_name\":\"a.pdf\",\"mime_type\":\"application/pdf\",\"file_size\":5}}}"));
        Assert.Equal(("D", "a.pdf", "c"), (document.Files[0].Reference, document.Files[0].FileName, document.Text));
        Assert.Empty(Read("{\"update_id\":3,\"edited_message\":{\"message_id\":1,\"date\":1," + chat + ",\"text\":\"edited\"}}"));
        Assert.Empty(Read("""{"update_id":4,"my_chat_member":{"chat":{"id":1}}}"""));
        var press = (InboundMessage)Assert.Single(Read("{\"update_id\":5,\"callback_query\":{\"id\":\"q\",\"from\":{\"id\":7,\"first_name\":\"A\"},\"message\":{\"message_id\":3,\"date\":1,\"chat\":{\"id\":7,\"type\":\"private\"}},\"data\":\"rate:2\"}}"));
        Assert.Equal(("7", "rate:2", "q"), (press.UserId, press.Payload, press.CallbackId));
        var sticker = (InboundMessage)Assert.Single(Read("{\"update_id\":6,\"message\":{\"message_id\":4,\"date\":1," + chat + ",\"sticker\":{\"file_id\":\"S\",\"emoji\":\"👍\"}}}"));
        Assert.Equal("👍", sticker.Text);
        var otherContact = (InboundMessage)Assert.Single(Read("{\"update_id\":7,\"message\":{\"message_id\":5,\"date\":1," + chat + ",\"contact\":{\"phone_number\":\"+1\",\"first_name\":\"X\",\"user_id\":1}}}"));
        Assert.Null(otherContact.Phone); // someone else's contact does not fill the client's phone
    }

    [Fact]
    public void VK_events_map_by_type_and_the_secret_and_community_are_checked()
    {
        var vk = new VkAdapter(null!, Options);
        var channel = Channel(ChannelKind.Vk, new { accessToken = "t", groupId = 42, confirmationCode = "code" });
        IReadOnlyList<InboundItem> Read(string json) => vk.Interpret(channel, json);

        var message = (InboundMessage)Assert.Single(Read("""
            {"type":"message_new","event_id":"e","v":"5.199","group_id":42,"object":{"message":{"id":1,"date":1,"peer_id":5,"from_id":5,"text":"t",
             "attachments":[{"type":"photo","photo":{"sizes":[{"type":"s","url":"https://s","width":10},{"type":"x","url":"https://x","width":600}]}},
                            {"type":"doc","doc":{"title":"a.pdf","url":"https://d","size":3}},{"type":"sticker","sticker":{}}],
             "geo":{"coordinates":{"latitude":1.5,"longitude":2.5}},"payload":"{\"rate\":4}","conversation_message_id":1,"fwd_messages":[]},
             "client_info":{"button_actions":["text"],"keyboard":true,"inline_keyboard":true,"carousel":false,"lang_id":0}}}
            """));
        Assert.Equal(["https://x", "https://d"], message.Files.Select(f => f.Reference));
        Assert.StartsWith("t\n📍 1.5, 2.5", message.Text, StringComparison.Ordinal);
        Assert.Equal("rate:4", message.Payload);
        Assert.Empty(Read("""{"type":"message_reply","object":{"id":2,"peer_id":5,"from_id":-42,"text":"ours"}}"""));
        Assert.Empty(Read("""{"type":"message_edit","object":{"id":2,"peer_id":5,"text":"x"}}"""));
        Assert.Empty(Read("""{"type":"message_typing_state","object":{"state":"typing","from_id":5,"to_id":-42}}"""));
        Assert.Empty(Read("""{"type":"message_allow","object":{"user_id":5,"key":""}}"""));
        Assert.Equal(new ReadUpTo("5", 99), Assert.Single(Read("""{"type":"message_read","object":{"from_id":5,"peer_id":5,"read_message_id":99,"conversation_message_id":4}}""")));
        Assert.Equal(new UserUnsubscribed("5"), Assert.Single(Read("""{"type":"message_deny","object":{"user_id":5}}""")));
        var press = (InboundMessage)Assert.Single(Read("""{"type":"message_event","object":{"user_id":5,"peer_id":5,"event_id":"ev","payload":{"rate":1}}}"""));
        Assert.Equal(("rate:1", "ev"), (press.Payload, press.CallbackId));

        var confirmation = vk.ReadWebhook(channel, Headers(), """{"type":"confirmation","group_id":42}"""u8);
        Assert.Equal("code", confirmation.ResponseText);
        Assert.Equal(403, vk.ReadWebhook(channel, Headers(), """{"type":"message_new","group_id":42,"secret":"nope","object":{}}"""u8).StatusCode);
        Assert.Equal(403, vk.ReadWebhook(channel, Headers(), """{"type":"message_new","group_id":43,"secret":"channel-secret","object":{}}"""u8).StatusCode);
        Assert.Equal(400, vk.ReadWebhook(channel, Headers(), "ok"u8).StatusCode);
        var accepted = vk.ReadWebhook(channel, Headers(), """{"type":"message_new","event_id":"e9","group_id":42,"secret":"channel-secret","object":{"message":{"id":77,"peer_id":5}}}"""u8);
        Assert.Equal("vk:message:77", Assert.Single(accepted.Events).Key);
        Assert.DoesNotContain("channel-secret", accepted.Events[0].Json, StringComparison.Ordinal);
    }
}
