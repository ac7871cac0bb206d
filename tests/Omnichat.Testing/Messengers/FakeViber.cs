using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Omnichat.Testing.Messengers;

/// <summary>
/// The Viber REST Bot API: <c>POST /pa/{method}</c> with <c>X-Viber-Auth-Token</c>; answers HTTP 200 with
/// <c>{"status":0,"status_message":"ok",…}</c>, or a non-zero status (2 invalidAuthToken for a wrong token).
/// </summary>
public sealed class FakeViber(string token = FakeViber.Token) : FakeVendorServer
{
    public const string Token = "4453b6ac12345678-e02c5f12174805f9-9a3c1a1d1b2c3d4e";

    private long _tokens = 5_000_000_000_000_000_000;

    public string ApiBaseUrl => BaseUrl + "/pa";

    protected override async Task AnswerAsync(HttpContext context, VendorRequest request)
    {
        if (request.Headers.GetValueOrDefault("X-Viber-Auth-Token") != token)
        {
            await JsonAsync(context, """{"status":2,"status_message":"invalidAuthToken"}""");
            return;
        }

        switch (request.Method)
        {
            case "set_webhook":
                await JsonAsync(context, """{"status":0,"status_message":"ok","event_types":["delivered","seen","failed","subscribed","unsubscribed","conversation_started"]}""");
                break;
            case "get_account_info":
                await JsonAsync(context, """{"status":0,"status_message":"ok","id":"pa:1","name":"Omnichat Test","uri":"omnichattest"}""");
                break;
            case "send_message":
                var body = JsonNode.Parse(request.Body);
                if (body?["receiver"] is null)
                {
                    await JsonAsync(context, """{"status":4,"status_message":"missingData"}""");
                    return;
                }

                var id = Interlocked.Increment(ref _tokens);
                await JsonAsync(context, "{\"status\":0,\"status_message\":\"ok\",\"message_token\":" + id + ",\"chat_hostname\":\"SN-CHAT-01_\"}");
                break;
            default:
                await JsonAsync(context, """{"status":3,"status_message":"badData"}""");
                break;
        }
    }
}
