using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Omnichat.Client.Tests.Infrastructure;

/// <summary>The staff side through the real staff API: channels, groups, operators, replies, closing.</summary>
public sealed class Staff(ServerHost server, HttpClient admin)
{
    public HttpClient Admin { get; } = admin;

    public static async Task<Staff> ForAsync(ServerHost server) => new(server, await server.AdminAsync());

    public sealed record ChannelInfo(Guid Id, string Key, string Secret)
    {
        /// <summary>The user hash a site's back end computes: lower-case hex HMAC-SHA256(secret, externalId).</summary>
        public string UserHash(string externalId) =>
            Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes(externalId)));
    }

    public async Task<ChannelInfo> ChannelAsync(string name = "App", bool requireVerifiedUser = false)
    {
        var response = await Admin.PostAsJsonAsync("api/v1/channels", new { kind = "webchat", name, settings = new { requireVerifiedUser } });
        var body = await Json(response.EnsureSuccessStatusCode());
        return new ChannelInfo(body.GetProperty("id").GetGuid(), body.GetProperty("key").GetString()!, body.GetProperty("secret").GetString()!);
    }

    public async Task<Guid> GroupAsync(string name, Guid channel) =>
        (await Json((await Admin.PostAsJsonAsync("api/v1/skill-groups", new { name, channelIds = new[] { channel } })).EnsureSuccessStatusCode()))
        .GetProperty("id").GetGuid();

    /// <summary>Creates a ready operator in the group; returns their signed-in API client.</summary>
    public async Task<(Guid Id, string DisplayName, HttpClient Client)> OperatorAsync(string login, Guid group)
    {
        const string password = "Operator-Passw0rd";
        var displayName = "Op " + login;
        var body = await Json((await Admin.PostAsJsonAsync("api/v1/operators", new
        {
            login, password, displayName, skillGroupIds = new[] { group }, capacity = 3,
        })).EnsureSuccessStatusCode());
        var client = await server.SignedInAsync(login, password);
        (await client.PutAsJsonAsync("api/v1/operators/me/status", new { status = "ready" })).EnsureSuccessStatusCode();
        return (body.GetProperty("id").GetGuid(), displayName, client);
    }

    /// <summary>A staff reply (the admin may write in any conversation; an operator in theirs).</summary>
    public static async Task<JsonElement> ReplyAsync(HttpClient staff, Guid conversationId, string text)
    {
        var response = await staff.PostAsJsonAsync($"api/v1/conversations/{conversationId}/messages", new { clientMessageId = Guid.NewGuid().ToString(), text });
        return await Json(response.EnsureSuccessStatusCode());
    }

    public static async Task CloseAsync(HttpClient staff, Guid conversationId) =>
        (await staff.PostAsync($"api/v1/conversations/{conversationId}/close", null)).EnsureSuccessStatusCode();

    /// <summary>Messages of a conversation as staff see them (notes included).</summary>
    public async Task<IReadOnlyList<JsonElement>> MessagesAsync(Guid conversationId)
    {
        var body = await Json((await Admin.GetAsync($"api/v1/conversations/{conversationId}/messages?afterSeq=0&limit=500")).EnsureSuccessStatusCode());
        return [.. body.GetProperty("messages").EnumerateArray()];
    }

    private static async Task<JsonElement> Json(HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>();
}
